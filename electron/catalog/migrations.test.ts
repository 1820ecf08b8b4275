import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { CATALOG_SCHEMA_VERSION, currentVersion, migrate } from './migrations';

describe('migrate', () => {
  it('runs each pending step once, in order, and records the version', () => {
    const db = new DatabaseSync(':memory:');
    const ran: number[] = [];
    const steps = [() => ran.push(1), () => ran.push(2)];
    expect(migrate(db, steps)).toBe(2);
    expect(migrate(db, [...steps, () => ran.push(3)])).toBe(3);
    expect(ran).toEqual([1, 2, 3]);
    expect(currentVersion(db)).toBe(3);
  });

  it('rolls back a failing step with its version bump', () => {
    const db = new DatabaseSync(':memory:');
    const steps = [
      (d: DatabaseSync) => d.exec('CREATE TABLE a (x)'),
      (d: DatabaseSync) => {
        d.exec('CREATE TABLE b (x)');
        throw new Error('boom');
      },
    ];
    expect(() => migrate(db, steps)).toThrow('boom');
    expect(currentVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
  });

  it('refuses a newer schema instead of downgrading', () => {
    const db = new DatabaseSync(':memory:');
    db.exec(`PRAGMA user_version = ${CATALOG_SCHEMA_VERSION + 5}`);
    expect(() => migrate(db)).toThrow(/newer version of Caja/);
  });
});
