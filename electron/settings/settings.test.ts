import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { redact } from '../redact';
import { DEFAULT_SETTINGS, openSettingsStore } from './settings-store';
import { createFileKeySecretBox, openTokenVault } from './token-vault';

const TOKEN = 'APP_USR-7654321098765432-010203-0123456789abcdef0123456789abcdef-123456789';
const tmp = () => mkdtempSync(join(tmpdir(), 'caja-settings-'));

describe('settings store', () => {
  it('starts from defaults, persists updates and reloads them', () => {
    const dir = tmp();
    const file = join(dir, 'settings.json');
    expect(openSettingsStore(file).get()).toEqual(DEFAULT_SETTINGS);
    openSettingsStore(file).update({ registerId: 'CAJA7', locale: 'pt-BR' });
    expect(openSettingsStore(file).get()).toMatchObject({ registerId: 'CAJA7', locale: 'pt-BR' });
  });

  it('keeps good fields of a damaged file and defaults the rest', () => {
    const dir = tmp();
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ registerId: 'CAJA9', site: 'XXX', locale: 12 }));
    expect(openSettingsStore(file).get()).toMatchObject({ registerId: 'CAJA9', site: 'MLA', locale: null });
    writeFileSync(file, '{ not json');
    expect(openSettingsStore(file).get()).toEqual(DEFAULT_SETTINGS);
  });
});

describe('token vault', () => {
  it('never writes the token in plain text and reads it back after a restart', () => {
    const dir = tmp();
    const file = join(dir, 'token.vault');
    openTokenVault(file, createFileKeySecretBox(dir, join(dir, 'keys'))).set(TOKEN);
    expect(readFileSync(file).toString('latin1')).not.toContain(TOKEN.slice(8, 24));
    expect(openTokenVault(file, createFileKeySecretBox(dir, join(dir, 'keys'))).get()).toBe(TOKEN);
  });

  it('treats a vault sealed with another key as empty instead of crashing', () => {
    const a = tmp();
    const b = tmp();
    openTokenVault(join(a, 'token.vault'), createFileKeySecretBox(a, join(a, 'keys'))).set(TOKEN);
    expect(openTokenVault(join(a, 'token.vault'), createFileKeySecretBox(b, join(b, 'keys'))).has()).toBe(false);
  });
});

describe('redaction', () => {
  it('scrubs tokens and bearer headers from anything logged', () => {
    const dir = tmp();
    const log = createLogger({ file: join(dir, 'caja.log') });
    log.error(`failed with ${TOKEN}`, { headers: { Authorization: `Bearer ${TOKEN}` }, token: TOKEN, note: `TEST-1234567890-abc` });
    const text = readFileSync(join(dir, 'caja.log'), 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('TEST-1234567890');
    expect(redact(`Authorization: Bearer abc.def`)).toBe('Authorization: Bearer [redacted]');
  });
});
