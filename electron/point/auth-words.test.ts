/**
 * Where a manager fixes the access token: the Manager screen's account section (Settings only points
 * there). Main's refusals carry the code (AUTH) and the renderer words it in the cashier's language;
 * main's English for a refused token is the renderer's own English words, so an English screen shows
 * one sentence (describeError adds main's text only when it differs) and no screen sends anyone to
 * Settings for the token.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { en, type Messages } from '../../renderer/i18n/locales/en';
import { esAR } from '../../renderer/i18n/locales/es-AR';
import { esMX } from '../../renderer/i18n/locales/es-MX';
import { ptBR } from '../../renderer/i18n/locales/pt-BR';
import { TOKEN_PROBLEM_MESSAGE } from '../settings/backend-choice';
import { startSimulator, type Simulator } from '../simulator/index';
import { SEED_ACCOUNTS } from '../simulator/seed';
import { PointError } from './point-error';
import { TerminalDirectory } from './terminal-directory';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function refusal(token: string | null): Promise<PointError> {
  sim ??= await startSimulator({ port: 0 });
  const dir = new TerminalDirectory({ baseUrl: sim.baseUrl, getToken: () => token, site: 'MLA', minReadIntervalMs: 0 });
  const error = await dir.listTerminals().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PointError);
  return error as PointError;
}

describe('the access token is fixed on the Manager screen', () => {
  it("a token Mercado Pago refuses: AUTH, in the renderer's own English words", async () => {
    const error = await refusal(`${SEED_ACCOUNTS[0]!.token}-revoked`);
    expect(error.code).toBe('AUTH');
    expect(error.message).toBe(en.errors.AUTH);
    expect(error.message).not.toMatch(/Settings/);
  });

  it('no token at all: AUTH, naming the Manager screen', async () => {
    const error = await refusal(null);
    expect(error.code).toBe('AUTH');
    expect(error.message).toMatch(/Manager screen/);
    expect(error.message).not.toMatch(/Settings/);
  });

  it('every language words AUTH and the token problems with the Manager screen, never Settings', () => {
    const manager: [string, Messages, RegExp, RegExp][] = [
      ['en', en, /Manager screen/, /Settings/],
      ['es-AR', esAR, /Encargado/, /Configuraci[oó]n|Ajustes/],
      ['es-MX', esMX, /Encargado/, /Configuraci[oó]n|Ajustes/],
      ['pt-BR', ptBR, /Gerente/, /Configura[cç][oõ]es|Ajustes/],
    ];
    for (const [locale, words, where, stale] of manager) {
      expect(words.errors.AUTH, locale).toMatch(where);
      expect(words.errors.AUTH, locale).not.toMatch(stale);
    }
    // What the demo host's command line prints for a token problem is the app's own refusal.
    for (const text of Object.values(TOKEN_PROBLEM_MESSAGE)) {
      expect(text).toMatch(/Manager screen/);
      expect(text).not.toMatch(/Settings/);
    }
  });

  it('nothing in electron/ or docs/ sends anyone to Settings for the token or the account', () => {
    const files = [...walk('electron'), ...walk('docs')].filter((f) => /\.(ts|md)$/.test(f) && !f.endsWith('.test.ts'));
    const stale = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ at: `${f}:${i + 1}`, line }))
        // A place a person goes ("in Settings", "the Settings button"), on a line about the token or the account.
        .filter(({ line }) => /\b(in|from|on|to|open|under|the) Settings\b|\bSettings (button|screen|tab|page)\b/.test(line))
        .filter(({ line }) => /\b(token|account)s?\b/i.test(line) && !/Manager screen|not Settings/.test(line)),
    );
    expect(stale).toEqual([]);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
