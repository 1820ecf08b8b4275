import { HeartPulse, OctagonX, RefreshCw, Star } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthCheck, Output, TerminalView } from '../../shared/contract';
import { call } from '../bridge';
import { ErrorNotice } from '../components/ErrorNotice';
import { ManagerGate } from '../components/ManagerGate';
import { BoardClaim } from '../components/BoardClaim';
import { Modal } from '../components/Modal';
import { describeError, type ShownError } from '../lib/errors';
import { useAction } from '../lib/use-action';
import { useAppStore } from '../stores/app-store';
import { useTerminalsStore } from '../stores/terminals-store';

/**
 * Model and serial as Mercado Pago spells a Point device id (`PAX_A910__SMARTPOS1234567890`); a
 * phone's id is its own name and has no model to tell.
 */
export function modelAndSerial(t: TerminalView): { model: string | null; serial: string } {
  const [model, serial] = t.id.split('__');
  return serial && t.family !== 'mobile' ? { model: model!.replace(/_/g, ' '), serial } : { model: null, serial: t.id };
}

type Pending =
  | { kind: 'mode'; terminal: TerminalView; mode: 'PDV' | 'STANDALONE' }
  | { kind: 'clear'; terminal: TerminalView }
  | { kind: 'remove'; terminal: TerminalView }
  | { kind: 'registers'; terminal: TerminalView };

function HealthPanel() {
  const { t } = useTranslation();
  const [checks, setChecks] = useState<HealthCheck[] | null>(null);
  const terminals = useTerminalsStore((s) => s.terminals);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setChecks(await call('terminals.health'));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const words = (c: HealthCheck) => {
    const what = c.check === 'terminal' ? t('devices.health.terminal', { label: terminals.find((x) => x.id === c.terminalId)?.label ?? c.label ?? c.terminalId ?? '' }) : t(`devices.health.${c.check}`);
    const state = c.problem ? t(`devices.problem.${c.problem}`, { value: c.value ?? '' }) : t('devices.health.ok');
    return { what, state, fix: c.problem ? t(`devices.fix.${c.problem}`) : null };
  };
  return (
    <section className="panel stack" aria-labelledby="health-title">
      <h2 id="health-title">
        <HeartPulse aria-hidden size={20} /> {t('devices.healthTitle')}
      </h2>
      <p className="muted">{t('devices.healthHelp')}</p>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void run()}>
          {t('devices.runHealth')}
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
      {checks && (
        <ul className="health-list" aria-label={t('devices.healthTitle')}>
          {checks.map((c, i) => {
            const w = words(c);
            return (
              <li key={i} className={`health health-${c.level}`} data-level={c.level} data-testid={`health-${c.check}${c.terminalId ? `-${c.terminalId}` : ''}`}>
                <span className="health-dot" aria-hidden />
                <span className="sr-only">{t(`devices.level.${c.level}`)}: </span>
                <strong>{w.what}</strong> — {w.state}
                {w.fix && <div className="health-fix">{w.fix}</div>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * Which registers may charge on a terminal: ticked ones only, none ticked meaning any register. The
 * dialog says what changes (and when this register loses the terminal) before anything is saved.
 */
function RegistersDialog({ terminal, register, known, onClose }: { terminal: TerminalView; register: string; known: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useTerminalsStore((s) => s.update);
  const [chosen, setChosen] = useState<string[]>(terminal.allowed);
  const [extra, setExtra] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const { busy, error, run } = useAction();
  const names = [...new Set([register, ...known, ...terminal.allowed, ...extra])].filter(Boolean).sort();
  const after = [...chosen].sort();
  const words = (list: string[]) => (list.length === 0 ? t('devices.anyRegister') : list.join(', '));
  const changed = words(after) !== words(terminal.allowed);
  const losesThis = after.length > 0 && !after.includes(register) && (terminal.allowed.length === 0 || terminal.allowed.includes(register));
  const toggle = (name: string) => setChosen(chosen.includes(name) ? chosen.filter((x) => x !== name) : [...chosen, name]);
  const add = () => {
    const name = typed.trim().slice(0, 32);
    if (!name) return;
    setExtra([...extra, name]);
    if (!chosen.includes(name)) setChosen([...chosen, name]);
    setTyped('');
  };
  const save = () =>
    run(async () => {
      update(await call('terminals.assign', { terminalId: terminal.id, registers: after }));
      onClose();
    });
  return (
    <Modal title={t('devices.registersTitle', { label: terminal.label })} onClose={onClose}>
      <p>{t('devices.registersHelp')}</p>
      <fieldset className="stack">
        <legend className="sr-only">{t('devices.registers')}</legend>
        {names.map((name) => (
          <label key={name} className="check">
            <input type="checkbox" checked={chosen.includes(name)} onChange={() => toggle(name)} />{' '}
            {name === register ? t('devices.thisRegister', { id: name }) : name}
          </label>
        ))}
      </fieldset>
      <div className="form inline-form">
        <label className="field">
          <span>{t('devices.anotherRegister')}</span>
          <input
            value={typed}
            maxLength={32}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
        </label>
        <button type="button" disabled={!typed.trim()} onClick={add}>
          {t('devices.addRegister')}
        </button>
      </div>
      <p className={losesThis ? 'notice notice-error' : 'notice'} role="status" data-testid="registers-change">
        {changed ? t('devices.registersChange', { label: terminal.label, before: words(terminal.allowed), after: words(after) }) : t('devices.registersSame')}
        {losesThis && <> {t('devices.registersLosesThis', { id: register })}</>}
      </p>
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="button" className="primary" disabled={busy || !changed} onClick={() => void save()}>
          {t('common.confirm')}
        </button>
      </div>
    </Modal>
  );
}

function ConfirmDialog({ pending, onClose }: { pending: Exclude<Pending, { kind: 'registers' }>; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useTerminalsStore((s) => s.update);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [done, setDone] = useState<Output<'terminals.clearStuck'> | null>(null);
  const label = pending.terminal.label;

  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      if (pending.kind === 'mode') {
        update(await call('terminals.setMode', { terminalId: pending.terminal.id, mode: pending.mode }));
        onClose();
      } else if (pending.kind === 'remove') {
        useTerminalsStore.setState({ terminals: await call('terminals.removeDevice', { terminalId: pending.terminal.id }) });
        void useTerminalsStore.getState().refresh();
        onClose();
      } else {
        setDone(await call('terminals.clearStuck', { terminalId: pending.terminal.id }));
        void useTerminalsStore.getState().refresh();
      }
    } catch (err) {
      const shown = describeError(err);
      // A second terminal of one point of sale going PDV: Mercado Pago's 412, said plainly.
      setError(pending.kind === 'mode' && shown.code === 'CONFLICT' ? { ...shown, text: t('devices.samePos') } : shown);
    } finally {
      setBusy(false);
    }
  };

  const title =
    pending.kind === 'mode'
      ? t('devices.switchTitle', { label, mode: pending.mode })
      : pending.kind === 'remove'
        ? t('devices.removeTitle', { label })
        : t('devices.clearTitle', { label });
  return (
    <Modal title={title} onClose={onClose}>
      {pending.kind === 'mode' && <p>{t(pending.mode === 'PDV' ? 'devices.toPdv' : 'devices.toStandalone', { label })}</p>}
      {pending.kind === 'clear' && <p>{t('devices.clearExplain', { label })}</p>}
      {pending.kind === 'remove' && <p>{t('devices.removeExplain', { label })}</p>}
      {done && (
        <p className="notice notice-ok" role="status" data-testid="clear-outcome">
          {t(`devices.cleared.${done.outcome}`, { label })}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="button" onClick={onClose}>
          {done ? t('common.close') : t('common.cancel')}
        </button>
        {!done && (
          <button type="button" className={pending.kind === 'mode' ? 'primary' : 'danger'} disabled={busy} onClick={() => void go()}>
            {t('common.confirm')}
          </button>
        )}
      </div>
    </Modal>
  );
}

function DeviceRow({ terminal, register, onAsk }: { terminal: TerminalView; register: string; onAsk: (p: Pending) => void }) {
  const { t } = useTranslation();
  const defaultId = useAppStore((s) => s.settings?.defaultTerminalId ?? null);
  const [error, setError] = useState<ShownError | null>(null);
  const { model, serial } = modelAndSerial(terminal);
  const act = async (work: () => Promise<void>) => {
    try {
      await work();
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };
  const busyText =
    terminal.status !== 'busy'
      ? null
      : terminal.busyWith?.saleId
        ? t('devices.busyWith', { sale: terminal.busyWith.saleId.slice(0, 8), register: terminal.busyWith.register ?? '?' })
        : t('devices.busyOther');
  return (
    <tr data-testid={`device-${terminal.id}`}>
      <td className="device-name">
        <strong>{terminal.label}</strong>
        {defaultId === terminal.id && (
          <span className="badge">
            <Star aria-hidden size={14} /> {t('devices.default')}
          </span>
        )}
        {error && <ErrorNotice error={error} />}
      </td>
      <td>
        {model ?? t('common.none')}
        <div>
          <code>{serial}</code>
        </div>
        <div className="muted">{t(`terminals.family_${terminal.family}`)}</div>
      </td>
      <td>
        {terminal.mode ?? t('common.none')}
        <div className="muted">{terminal.storeId ? `${terminal.storeId} / ${terminal.posId ?? '—'}` : ''}</div>
      </td>
      <td>
        {terminal.status === 'offline' ? t('devices.offline') : t('devices.online')}
        <div className="muted">{busyText ?? (terminal.status === 'free' ? t('devices.free') : '')}</div>
        <BoardClaim terminal={terminal} />
      </td>
      <td>
        <span data-testid={`allowed-${terminal.id}`}>{terminal.allowed.length === 0 ? t('devices.anyRegister') : terminal.allowed.join(', ')}</span>
        {terminal.allowed.length > 0 && !terminal.allowed.includes(register) && <div className="muted">{t('devices.notThisRegister', { id: register })}</div>}
        <div>
          <button type="button" aria-label={t('devices.registersOf', { label: terminal.label })} onClick={() => onAsk({ kind: 'registers', terminal })}>
            {t('devices.chooseRegisters')}
          </button>
        </div>
      </td>
      <td className="row-actions">
        {terminal.mode && (
          <button type="button" onClick={() => onAsk({ kind: 'mode', terminal, mode: terminal.mode === 'PDV' ? 'STANDALONE' : 'PDV' })}>
            {t('devices.switchTo', { mode: terminal.mode === 'PDV' ? 'STANDALONE' : 'PDV', label: terminal.label })}
          </button>
        )}
        {defaultId !== terminal.id && (
          <button
            type="button"
            aria-label={t('devices.makeDefaultOf', { label: terminal.label })}
            onClick={() => void act(async () => void (await useAppStore.getState().updateSettings({ defaultTerminalId: terminal.id })))}
          >
            {t('devices.makeDefault')}
          </button>
        )}
        {terminal.family === 'mobile' && terminal.status !== 'busy' && (
          <button type="button" aria-label={t('devices.removeOf', { label: terminal.label })} onClick={() => onAsk({ kind: 'remove', terminal })}>
            {t('devices.remove')}
          </button>
        )}
        {terminal.status === 'busy' && (
          <button type="button" className="danger" aria-label={t('devices.clearOf', { label: terminal.label })} onClick={() => onAsk({ kind: 'clear', terminal })}>
            <OctagonX aria-hidden size={16} /> {t('devices.clear')}
          </button>
        )}
      </td>
    </tr>
  );
}

/** The mobile API's one-time account step; harmless to repeat, so it is offered whenever phones are listed. */
function PhonesPanel() {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [error, setError] = useState<ShownError | null>(null);
  const enable = async () => {
    setState('busy');
    setError(null);
    try {
      await call('terminals.enableIntegrators');
      setState('done');
    } catch (err) {
      setError(describeError(err));
      setState('idle');
    }
  };
  return (
    <section className="panel stack" aria-labelledby="phones-title">
      <h2 id="phones-title">{t('devices.phones')}</h2>
      <p className="muted">{t('devices.phonesHelp')}</p>
      <div className="actions">
        {state === 'done' && (
          <span className="notice notice-ok" role="status">
            {t('devices.phonesEnabled')}
          </span>
        )}
        <button type="button" disabled={state === 'busy'} onClick={() => void enable()}>
          {t('devices.enablePhones')}
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

export function DevicesScreen() {
  const { t } = useTranslation();
  const terminals = useTerminalsStore((s) => s.terminals);
  const listError = useTerminalsStore((s) => s.error);
  const register = useAppStore((s) => s.settings?.registerId ?? '');
  const [pending, setPending] = useState<Pending | null>(null);
  useEffect(() => {
    void useTerminalsStore.getState().refresh();
  }, []);
  return (
    <div className="page">
      <ManagerGate title={t('devices.title')}>
        <div className="page-head">
          <h1>{t('devices.title')}</h1>
          <button type="button" onClick={() => void useTerminalsStore.getState().refresh()}>
            <RefreshCw aria-hidden size={18} /> {t('devices.refresh')}
          </button>
        </div>
        <HealthPanel />
        <section className="panel stack" aria-labelledby="devices-title">
          <h2 id="devices-title">{t('devices.table')}</h2>
          {listError && <ErrorNotice error={listError} />}
          <div className="table-scroll">
            <table className="data devices" aria-label={t('devices.table')}>
              <thead>
                <tr>
                  <th>{t('devices.name')}</th>
                  <th>
                    {t('devices.model')} / {t('devices.serial')} / {t('devices.family')}
                  </th>
                  <th>
                    {t('settings.mode')} <span className="muted">({t('devices.storePos')})</span>
                  </th>
                  <th>{t('devices.state')}</th>
                  <th>{t('devices.registers')}</th>
                  <th>{t('devices.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {terminals.map((x) => (
                  <DeviceRow key={x.id} terminal={x} register={register} onAsk={setPending} />
                ))}
              </tbody>
            </table>
          </div>
        </section>
        {terminals.some((x) => x.family === 'mobile') && <PhonesPanel />}
        {pending?.kind === 'registers' && (
          <RegistersDialog terminal={pending.terminal} register={register} known={terminals.flatMap((x) => x.allowed)} onClose={() => setPending(null)} />
        )}
        {pending && pending.kind !== 'registers' && <ConfirmDialog pending={pending} onClose={() => setPending(null)} />}
      </ManagerGate>
    </div>
  );
}
