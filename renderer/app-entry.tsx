// First: asks main for the quick keys before anything else is evaluated (see quick-keys.ts).
import './quick-keys';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { localeReady } from './i18n';
import './styles.css';
import { App } from './App';

// The system language's messages are fetched while React and the app are evaluated; the first
// frame waits for them rather than showing keys.
void localeReady.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
