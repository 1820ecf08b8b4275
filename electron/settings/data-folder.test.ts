/**
 * The data folder: a manager's choice is validated with clear reasons, applied at the next start with
 * a backup first and SQLite's consistent copies, and never half-done — a copy that fails leaves the
 * old folder in use, the target as it was, and the reason for the Manager screen.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataFolder } from './data-folder';

const dirs: string[] = [];
const tmp = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `caja-df-${name}-`));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) {
    chmodSync(d, 0o700);
    rmSync(d, { recursive: true, force: true });
  }
});
const log = { lines: [] as string[], info: (m: string) => log.lines.push(`info ${m}`), error: (m: string) => log.lines.push(`error ${m}`) };

/** A journal with rows still in its WAL (the connection is left open: nothing checkpointed). */
function journalWithWal(path: string, rows: number): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE sales (id INTEGER PRIMARY KEY, total INTEGER)');
  for (let i = 0; i < rows; i++) db.prepare('INSERT INTO sales (total) VALUES (?)').run(i * 100);
  return db;
}
const count = (path: string) => {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('choosing a data folder', () => {
  it('says why a folder cannot be used, and saves nothing then', () => {
    const home = tmp('home');
    const app = tmp('app');
    const folder = openDataFolder(home, log, [app]);
    const file = join(home, 'a-file.txt');
    writeFileSync(file, 'x');
    const used = tmp('used');
    writeFileSync(join(used, 'catalog.sqlite'), '');
    expect(folder.validate('relative/path')).toBe('not_absolute');
    expect(folder.validate(home)).toBe('same');
    expect(folder.validate(join(app, 'resources', 'data'))).toBe('inside_app');
    expect(folder.validate(file)).toBe('not_directory');
    expect(folder.validate(join(file, 'below'))).toBe('not_creatable');
    expect(folder.validate(used)).toBe('holds_journal');
    expect(folder.request('relative/path')).toMatchObject({ problem: 'not_absolute', state: { pending: null } });
    expect(existsSync(join(home, 'data-folder.json'))).toBe(false);
  });

  it('takes an empty folder, or one that can be created, and only records it for the next start', () => {
    const home = tmp('home');
    const folder = openDataFolder(home, log, []);
    const target = join(tmp('disk'), 'caja', 'data');
    expect(folder.validate(target)).toBeNull(); // created at the move
    expect(folder.request(`  ${target} `)).toEqual({ problem: null, state: { inUse: home, home, pending: target, lastError: null } });
    expect(existsSync(target)).toBe(false);
    expect(openDataFolder(home, log, []).state()).toMatchObject({ pending: null, inUse: target }); // the next start moves
  });

  it('a pending move can be forgotten before the next start', () => {
    const home = tmp('home');
    const folder = openDataFolder(home, log, []);
    folder.request(tmp('disk'));
    expect(folder.request(null).state.pending).toBeNull();
    expect(openDataFolder(home, log, []).inUse()).toBe(home);
  });
});

describe('moving at the next start', () => {
  it('backs up first, copies every journal and the catalog with what is in their WAL, then switches and tidies the old folder', () => {
    const home = tmp('home');
    const journal = journalWithWal(join(home, 'journal-100001.sqlite'), 30);
    const catalog = journalWithWal(join(home, 'catalog.sqlite'), 5);
    writeFileSync(join(home, 'settings.json'), '{}');
    const target = join(tmp('disk'), 'caja');
    openDataFolder(home, log, []).request(target);
    // As after a crash: the rows are still only in the WAL when the next start moves the data.
    expect(existsSync(join(home, 'journal-100001.sqlite-wal'))).toBe(true);

    const moved = openDataFolder(home, log, []);
    journal.close();
    catalog.close();
    expect(moved.state()).toEqual({ inUse: target, home, pending: null, lastError: null });
    expect(readdirSync(target).sort()).toEqual(['catalog.sqlite', 'journal-100001.sqlite']);
    expect(count(join(target, 'journal-100001.sqlite'))).toBe(30);
    expect(count(join(target, 'catalog.sqlite'))).toBe(5);
    const [backup] = readdirSync(join(home, 'backups'));
    expect(backup).toMatch(/^before-move-/);
    expect(count(join(home, 'backups', backup!, 'journal-100001.sqlite'))).toBe(30);
    // The old copies are gone (the backup keeps them); settings stay in the app's folder.
    expect(readdirSync(home).filter((n) => n.includes('sqlite'))).toEqual([]);
    expect(existsSync(join(home, 'settings.json'))).toBe(true);
    expect(openDataFolder(home, log, []).inUse()).toBe(target); // and it stays moved
  });

  it('a copy that fails leaves the old folder in use, nothing in the target, and the reason', () => {
    const home = tmp('home');
    journalWithWal(join(home, 'journal.sqlite'), 3).close();
    const disk = tmp('disk');
    const target = join(disk, 'caja');
    openDataFolder(home, log, []).request(target);
    // Between the choice and the restart, someone else put a catalog there.
    mkdirSync(target);
    writeFileSync(join(target, 'catalog.sqlite'), 'not ours');

    const after = openDataFolder(home, log, []);
    expect(after.inUse()).toBe(home);
    expect(after.state()).toMatchObject({ pending: null, lastError: { target, detail: expect.stringContaining('already holds a Caja journal') } });
    expect(readdirSync(target)).toEqual(['catalog.sqlite']); // untouched, no staging left
    expect(count(join(home, 'journal.sqlite'))).toBe(3);
    expect(log.lines.at(-1)).toMatch(/^error Data folder NOT moved/);
  });

  // Root writes anywhere: the case cannot be made when the tests run as root.
  it.skipIf(process.getuid?.() === 0)('a target that cannot be written at start: nothing moves, the old folder stays', () => {
    const home = tmp('home');
    journalWithWal(join(home, 'journal.sqlite'), 2).close();
    const disk = tmp('disk');
    openDataFolder(home, log, []).request(join(disk, 'caja'));
    chmodSync(disk, 0o500);
    const after = openDataFolder(home, log, []);
    expect(after.inUse()).toBe(home);
    expect(after.state().lastError).not.toBeNull();
    expect(count(join(home, 'journal.sqlite'))).toBe(2);
  });
});
