import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { localeReady } from './i18n';
import { App } from './App';

// The first language's messages were asked for by boot.ts; the first frame waits for them rather
// than showing keys.
void localeReady.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
