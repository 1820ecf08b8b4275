/**
 * Demo or live: a choice a person makes, never a fallback. The demo approves charges no terminal
 * took, so a till that once had a Mercado Pago token must never slip into it because the token went
 * missing or cannot be read: it stays live and refuses to charge, saying why.
 *
 * The choice is recorded in `backend.json` in the data folder: `demo` when a person asked for the
 * demo on a folder that never had a token (`npm start`'s first run, the Welcome screen's demo button), `live` as
 * soon as a token is saved. The `--demo` flag is a choice for one run and is not recorded.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export type BackendMode = 'demo' | 'live';
/** Why a live till cannot charge right now, or null when it can. */
export type TokenProblem = 'missing' | 'unreadable' | null;

const RecordSchema = z.object({ mode: z.enum(['demo', 'live']) });

export interface BackendDecision {
  mode: BackendMode;
  problem: TokenProblem;
  /** What to record for the next start, when it changes. */
  record: BackendMode | null;
}

export interface BackendInputs {
  /** `--demo`: this run only. */
  forceDemo: boolean;
  /** A launcher that stands for a person choosing the demo on a brand-new folder (`npm start`). */
  firstRunDemo: boolean;
  vault: 'empty' | 'readable' | 'unreadable';
  recorded: BackendMode | null;
}

export function decideBackend(inputs: BackendInputs): BackendDecision {
  if (inputs.forceDemo) return { mode: 'demo', problem: null, record: null };
  if (inputs.vault === 'readable') return { mode: 'live', problem: null, record: inputs.recorded === 'live' ? null : 'live' };
  if (inputs.vault === 'unreadable') return { mode: 'live', problem: 'unreadable', record: inputs.recorded === 'live' ? null : 'live' };
  if (inputs.recorded === 'demo') return { mode: 'demo', problem: null, record: null };
  if (inputs.recorded === null && inputs.firstRunDemo) return { mode: 'demo', problem: null, record: 'demo' };
  // Never had a token and nobody chose the demo, or had one that is gone: live, waiting for a token.
  return { mode: 'live', problem: 'missing', record: null };
}

export interface BackendChoiceFile {
  get(): BackendMode | null;
  set(mode: BackendMode): void;
}

export function openBackendChoice(file: string): BackendChoiceFile {
  const read = (): BackendMode | null => {
    if (!existsSync(file)) return null;
    try {
      return RecordSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).mode;
    } catch {
      // A damaged record is read as "live": the safe side is a till that refuses, not one that fakes.
      return 'live';
    }
  };
  let current = read();
  return {
    get: () => current,
    set(mode) {
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ mode }), { mode: 0o600 });
      renameSync(tmp, file);
      current = mode;
    },
  };
}

/** What the cashier and the manager read when a live till cannot charge. */
export const TOKEN_PROBLEM_MESSAGE: Record<Exclude<TokenProblem, null>, string> = {
  unreadable: "The saved Mercado Pago token can't be read on this computer; a manager must enter it again on the Manager screen.",
  missing: 'No Mercado Pago token is set; a manager must enter one on the Manager screen (or start the demo).',
};
