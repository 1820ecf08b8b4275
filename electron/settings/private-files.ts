/**
 * The data folder holds the journal (card last four, payment ids), the catalog, the log, settings
 * and the sealed token: only the user who runs Caja may read any of it. On POSIX that is the folder
 * at 0700 and every file at 0600; on Windows the user's profile folder already is private and the
 * modes below are mostly ignored by Node (docs/architecture.md, Security).
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates (or tightens) the data folder and everything already in it, and makes the process create
 * every later file private too: SQLite's -wal/-shm files, the simulator's state and Electron's own
 * files are created by code that takes no mode, so the umask is the one place that covers them.
 */
export function makeDataFolderPrivate(dir: string): void {
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot change the umask; the chmod pass below still covers what exists.
  }
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir);
}

/** chmod the folder and its files (one level of sub-folders: the simulator's, the renderer's cache). */
export function tighten(dir: string, depth = 2): void {
  try {
    chmodSync(dir, PRIVATE_DIR_MODE);
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) continue; // removed meanwhile (a -wal checkpointed away)
      if (stat.isDirectory()) {
        if (depth > 0) tighten(path, depth - 1);
      } else if ((stat.mode & 0o077) !== 0) {
        chmodSync(path, PRIVATE_FILE_MODE);
      }
    }
  } catch {
    // A file we cannot chmod is not ours (or the folder is on a filesystem without modes): leave it.
  }
}
