/**
 * Where the money data lives: the journals (one per account, and the demo's) and the catalog, with
 * their backups. Settings, the sealed token, the PIN and the log stay in the app's own folder (the
 * "home"), which is also where this pointer file is kept, so Caja finds the data folder before it
 * opens anything.
 *
 * A manager's choice is applied on the next start, before any database is open: the journals and the
 * catalog are first backed up in the home folder, then copied into a staging folder inside the
 * target with SQLite's own consistent copy (VACUUM INTO, which also takes what is still in the WAL),
 * checked, and only then renamed into place and the pointer switched. Anything failing before the
 * switch removes what was written in the target and leaves the old folder in use, with the reason
 * kept for the Manager screen: never half-moved.
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import type { DataFolderProblem, DataFolderState } from '../../shared/contract';

const PointerSchema = z.object({
  folder: z.string().nullable(),
  pending: z.string().nullable(),
  lastError: z.object({ target: z.string(), detail: z.string(), at: z.number() }).nullable(),
});
type Pointer = z.infer<typeof PointerSchema>;
const EMPTY: Pointer = { folder: null, pending: null, lastError: null };

/** The files that move: every journal and the catalog (their -wal/-shm are folded into the copy). */
export function isMovedFile(name: string): boolean {
  return /^(journal(-[\w-]+)?|catalog)\.sqlite$/.test(name);
}

/** Folders a data folder may not be inside: the installed app (replaced by every update). */
export function appFolders(): string[] {
  const out = [dirname(process.execPath)];
  // macOS: the executable is deep inside Caja.app; the whole bundle is the app.
  const bundle = process.execPath.indexOf('.app/');
  if (bundle > 0) out.push(process.execPath.slice(0, bundle + 4));
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) out.push(resources);
  return out;
}

const inside = (child: string, parent: string) => {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

export interface DataFolder {
  /** The folder the journals and catalog are read from in this run. */
  inUse(): string;
  state(): DataFolderState;
  /** Why `target` cannot be the data folder, or null when it can. Writes nothing that stays. */
  validate(target: string): DataFolderProblem | null;
  /** Records the move for the next start (null: forget a pending one). Validated first. */
  request(target: string | null): { state: DataFolderState; problem: DataFolderProblem | null };
}

export interface DataFolderLog {
  info(message: string): void;
  error(message: string): void;
}

export function openDataFolder(home: string, log: DataFolderLog, forbidden: readonly string[] = appFolders()): DataFolder {
  const file = join(home, 'data-folder.json');
  let pointer = load(file);
  const save = (next: Pointer) => {
    writeFileSync(`${file}.tmp`, JSON.stringify(next), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    pointer = next;
  };
  if (pointer.pending) pointer = applyMove(home, pointer, pointer.pending, save, log);
  const inUse = pointer.folder ?? home;

  const validate = (raw: string): DataFolderProblem | null => {
    const target = raw.trim();
    if (!isAbsolute(target)) return 'not_absolute';
    const abs = resolve(target);
    if (abs === resolve(inUse)) return 'same';
    if (forbidden.some((f) => inside(abs, resolve(f)))) return 'inside_app';
    const stat = statSync(abs, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) return 'not_directory';
    if (stat) {
      if (readdirSync(abs).some(isMovedFile)) return 'holds_journal';
      return probeWrite(abs) ? null : 'not_writable';
    }
    // Not there yet: it can be made if the nearest existing folder above it takes new entries.
    let up = dirname(abs);
    while (!existsSync(up) && dirname(up) !== up) up = dirname(up);
    const above = statSync(up, { throwIfNoEntry: false });
    if (!above?.isDirectory()) return 'not_creatable';
    try {
      accessSync(up, constants.W_OK);
      return null;
    } catch {
      return 'not_creatable';
    }
  };

  const state = (): DataFolderState => ({ inUse, home, pending: pointer.pending, lastError: pointer.lastError });

  return {
    inUse: () => inUse,
    state,
    validate,
    request(target) {
      if (target === null) {
        save({ ...pointer, pending: null });
        return { state: state(), problem: null };
      }
      const problem = validate(target);
      if (problem) return { state: state(), problem };
      save({ ...pointer, pending: resolve(target.trim()), lastError: null });
      return { state: state(), problem: null };
    },
  };
}

function probeWrite(dir: string): boolean {
  const probe = join(dir, `.caja-probe-${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
    return true;
  } catch {
    return false;
  }
}

function load(file: string): Pointer {
  if (!existsSync(file)) return EMPTY;
  try {
    return PointerSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // A damaged pointer must not point the till at an empty folder: the home is where data starts.
    return EMPTY;
  }
}

/** SQLite's consistent copy of one database (the WAL's pages included). */
function copyDatabase(from: string, to: string): void {
  const db = new DatabaseSync(from);
  try {
    db.exec(`VACUUM INTO '${to.replace(/'/g, "''")}'`);
  } finally {
    db.close();
  }
  const copy = new DatabaseSync(to, { readOnly: true });
  try {
    const row = copy.prepare('PRAGMA quick_check').get() as { quick_check: string } | undefined;
    if (row?.quick_check !== 'ok') throw new Error(`the copy of ${from} did not pass SQLite's check (${row?.quick_check ?? 'no answer'})`);
  } finally {
    copy.close();
  }
}

function applyMove(home: string, pointer: Pointer, target: string, save: (p: Pointer) => void, log: DataFolderLog): Pointer {
  const from = pointer.folder ?? home;
  const names = existsSync(from) ? readdirSync(from).filter(isMovedFile) : [];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const staging = join(target, `.caja-moving-${stamp}`);
  const placed: string[] = [];
  try {
    // 1. Backup first, in the home folder, whatever happens next.
    const backup = join(home, 'backups', `before-move-${stamp}`);
    mkdirSync(backup, { recursive: true, mode: 0o700 });
    for (const name of names) copyDatabase(join(from, name), join(backup, name));
    // 2. Copies into a staging folder of the target, each checked.
    mkdirSync(staging, { recursive: true, mode: 0o700 });
    if (readdirSync(target).some(isMovedFile)) throw new Error(`${target} already holds a Caja journal or catalog`);
    for (const name of names) copyDatabase(join(from, name), join(staging, name));
    // 3. Into place: a rename within one folder, file by file; undone below if one fails.
    for (const name of names) {
      renameSync(join(staging, name), join(target, name));
      placed.push(name);
    }
    rmSync(staging, { recursive: true, force: true });
    // 4. The switch: from here on the target is the data folder.
    const next: Pointer = { folder: resolve(target) === resolve(home) ? null : target, pending: null, lastError: null };
    save(next);
    log.info(`Data folder moved from ${from} to ${target} (${names.length} databases; backup in ${backup}).`);
    // 5. The old copies go (the backup keeps them); one that cannot be removed is only clutter.
    for (const name of names) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(from, name + suffix), { force: true });
    }
    return next;
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    for (const name of placed) rmSync(join(target, name), { force: true });
    rmSync(staging, { recursive: true, force: true });
    const next: Pointer = { ...pointer, pending: null, lastError: { target, detail, at: Date.now() } };
    try {
      save(next);
    } catch {
      // The home folder itself refuses writes: the move is retried next start, the old folder still in use.
    }
    log.error(`Data folder NOT moved to ${target}: ${detail}. Still using ${from}.`);
    return next;
  }
}
