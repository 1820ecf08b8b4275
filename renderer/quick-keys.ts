/**
 * The quick keys (favourites), asked of main as the very first thing the page's script does: this
 * module is main.tsx's first import, so the socket opens and main answers while React, i18n and the
 * screens are still being evaluated and rendered, instead of after the first render.
 */
import type { Product } from '../shared/contract';
import { call } from './bridge';

export const FAVOURITE_KEYS = 12;

const ask = () => call('catalog.search', { query: '', limit: FAVOURITE_KEYS });

let early: Promise<Product[]> | null = ask();
early.catch(() => undefined);

/** The early answer once; after that (the screen opened again) main is asked afresh. */
export function takeFavourites(): Promise<Product[]> {
  const answer = early ?? ask();
  early = null;
  return answer;
}
