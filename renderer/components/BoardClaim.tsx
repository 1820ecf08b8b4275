import { Unlock } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TerminalView } from '../../shared/contract';
import { call } from '../bridge';
import { useAction } from '../lib/use-action';
import { useTerminalsStore } from '../stores/terminals-store';
import { ErrorNotice } from './ErrorNotice';
import { Modal } from './Modal';

/**
 * The shop board's word on one terminal, for the manager's Devices screen: which till holds it and
 * since when, and "release claim" for a till that went down mid-charge. Main journals the release on
 * the shop server; the confirmation says when it is safe (the sale ended on the terminal), because a
 * till that died mid-charge may still have a card on it. Nothing shows without a shop server.
 */
export function BoardClaim({ terminal }: { terminal: TerminalView }) {
  const { t, i18n } = useTranslation();
  const [asking, setAsking] = useState(false);
  const { busy, error, run } = useAction();
  const board = terminal.board;
  if (!board) return null;
  if (!board.reachable && !board.claim) return <div className="muted">{t('terminals.boardUnreachableShort')}</div>;
  const claim = board.claim;
  if (!claim) return null;
  const time = new Date(claim.since).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' });
  const release = () =>
    run(async () => {
      useTerminalsStore.setState({ terminals: await call('terminals.releaseClaim', { terminalId: terminal.id }) });
      setAsking(false);
    });
  return (
    <div className="board-claim" data-testid={`claim-${terminal.id}`}>
      <span className="muted">
        {claim.mine
          ? t('terminals.claimedByMe', { sale: claim.saleId.slice(0, 8), time })
          : t('terminals.claimedBy', { till: claim.till, time })}
      </span>
      {!claim.mine && (
        <div>
          <button
            type="button"
            aria-label={t('terminals.releaseClaimOf', { label: terminal.label })}
            onClick={() => setAsking(true)}
          >
            <Unlock aria-hidden size={16} /> {t('terminals.releaseClaim')}
          </button>
        </div>
      )}
      {asking && (
        <Modal title={t('terminals.releaseClaimTitle', { label: terminal.label })} onClose={() => setAsking(false)}>
          <p>{t('terminals.releaseClaimConfirm', { till: claim.till })}</p>
          {error && <ErrorNotice error={error} />}
          <div className="actions">
            <button type="button" onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => void release()}>
              {t('terminals.releaseClaim')}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
