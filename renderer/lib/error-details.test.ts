import i18next, { type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../shared/contract';
import { en, type Messages } from '../i18n/locales/en';
import { esAR } from '../i18n/locales/es-AR';
import { esMX } from '../i18n/locales/es-MX';
import { ptBR } from '../i18n/locales/pt-BR';
import { detailedText } from './error-details';

const MESSAGES: Record<Locale, Messages> = { en, 'es-AR': esAR, 'es-MX': esMX, 'pt-BR': ptBR };

/** The real locale files in a fresh i18next (the app's own instance needs a page to boot). */
async function wordsIn(locale: Locale): Promise<TFunction> {
  const i = i18next.createInstance();
  await i.init({ lng: locale, resources: { [locale]: { translation: MESSAGES[locale] } }, interpolation: { escapeValue: false } });
  return i.t;
}

describe('refusals that name what the code alone cannot', () => {
  it('a busy terminal says which till holds it, in every language', async () => {
    const said: Record<Locale, string> = {
      en: 'Terminal busy — in use by Till 3.',
      'es-AR': 'Terminal ocupada — en uso por Till 3.',
      'es-MX': 'Terminal ocupada — en uso por Till 3.',
      'pt-BR': 'Maquininha ocupada — em uso por Till 3.',
    };
    for (const locale of Object.keys(said) as Locale[]) {
      const t = await wordsIn(locale);
      expect(detailedText('TERMINAL_BUSY', { till: 'Till 3' }, t), locale).toBe(said[locale]);
      // Without the detail the code's own words stand (a charge of this till's own, no shop board).
      expect(detailedText('TERMINAL_BUSY', undefined, t)).toBeNull();
    }
  });

  it("the shop server away is not the network: its words say so and that this till's history still works", async () => {
    for (const locale of ['en', 'es-AR', 'es-MX', 'pt-BR'] as const) {
      const t = await wordsIn(locale);
      const text = detailedText('NETWORK', { server: 'shop' }, t);
      expect(text, locale).not.toBeNull();
      expect(text).not.toBe(t('errors.NETWORK'));
      expect(text).toContain(t('history.scopeTill'));
      expect(text).not.toContain('errorDetails');
      expect(detailedText('NETWORK', undefined, t)).toBeNull();
    }
    expect(detailedText('NETWORK', { server: 'shop' }, await wordsIn('es-MX'))).toMatch(/elige/);
  });
});
