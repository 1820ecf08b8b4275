import { CreditCard, Smartphone } from 'lucide-react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TerminalView } from '../../shared/contract';
import { useAppStore } from '../stores/app-store';
import { unavailable, useTerminalsStore, type Unavailable } from '../stores/terminals-store';
import { ErrorNotice } from './ErrorNotice';

const shortId = (id: string) => id.slice(0, 8);

export function useUnavailableText(): (u: Unavailable) => string {
  const { t } = useTranslation();
  return (u) => {
    switch (u.why) {
      case 'busy':
        if (u.saleId && u.register) return t('terminals.busyWith', { sale: shortId(u.saleId), register: u.register });
        if (u.saleId) return t('terminals.busyWithSale', { sale: shortId(u.saleId) });
        return t('terminals.busyElsewhere');
      case 'offline':
        return t('terminals.offlineWhy');
      case 'standalone':
        return t('terminals.standaloneWhy');
      case 'other_register':
        return t('terminals.otherRegister', { register: u.register });
      case 'other_till':
        return t('terminals.busyOnTill', { till: u.till });
    }
  };
}

const TerminalOption = memo(function TerminalOption({
  terminal,
  register,
  checked,
  name,
  onSelect,
}: {
  terminal: TerminalView;
  register: string | null;
  checked: boolean;
  name: string;
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation();
  const why = unavailable(terminal, register);
  const explain = useUnavailableText();
  const status = why
    ? why.why === 'offline'
      ? 'offline'
      : why.why === 'busy' || why.why === 'other_till'
        ? 'busy'
        : 'blocked'
    : 'free';
  const Icon = terminal.family === 'mobile' ? Smartphone : CreditCard;
  return (
    <li>
      <label className={`terminal terminal-${status}${checked ? ' selected' : ''}`} data-testid={`terminal-${terminal.id}`}>
        <input
          type="radio"
          name={name}
          value={terminal.id}
          checked={checked}
          disabled={why !== null}
          onChange={() => onSelect(terminal.id)}
        />
        <Icon aria-hidden size={22} />
        <span className="terminal-text">
          <span className="terminal-label">{terminal.label}</span>
          <span className="terminal-status">
            <span className={`dot dot-${status}`} aria-hidden />
            {why ? explain(why) : `${t('terminals.free')} · ${t(`terminals.family_${terminal.family}`)}`}
          </span>
        </span>
      </label>
    </li>
  );
});

/**
 * This shop's terminals, live. Only free ones can be chosen; every other one says why not, so the
 * cashier never wonders why a terminal greys out.
 */
export function TerminalPicker({
  name = 'terminal',
  selectedId,
  onSelect,
}: {
  name?: string;
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation();
  const terminals = useTerminalsStore((s) => s.terminals);
  const loaded = useTerminalsStore((s) => s.loaded);
  const error = useTerminalsStore((s) => s.error);
  const register = useAppStore((s) => s.settings?.registerId ?? null);

  return (
    <fieldset className="terminals">
      <legend>{t('terminals.choose')}</legend>
      {!loaded && <p className="muted">{t('terminals.loading')}</p>}
      {loaded && terminals.length === 0 && !error && <p className="muted">{t('terminals.none')}</p>}
      {error && <ErrorNotice error={{ ...error, text: t('terminals.refreshError', { error: error.text }) }} />}
      {terminals.some((x) => x.board?.reachable === false) && (
        <p className="notice" role="status" data-testid="board-unreachable">
          {t('terminals.boardUnreachable')}
        </p>
      )}
      <ul className="terminal-list">
        {terminals.map((terminal) => (
          <TerminalOption
            key={terminal.id}
            terminal={terminal}
            register={register}
            checked={terminal.id === selectedId}
            name={name}
            onSelect={onSelect}
          />
        ))}
      </ul>
    </fieldset>
  );
}
