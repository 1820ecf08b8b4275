import { useEffect, useState } from 'react';
import type { AppInfo } from '../shared/contract';
import { call } from './bridge';

/** Placeholder shell until the cashier screens land: proves a call travels the whole contract. */
export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('app.getInfo').then(setInfo, (e: Error) => setError(e.message));
  }, []);
  return (
    <main>
      <h1>Caja</h1>
      {info && (
        <p data-testid="app-info">
          Caja {info.version} · {info.shell} · {info.backend} · {info.platform}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
    </main>
  );
}
