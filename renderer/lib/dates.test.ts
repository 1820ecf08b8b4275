import { describe, expect, it } from 'vitest';
import { addDays, dateOrder, formatDay, parseDay } from './dates';

describe('days in the cashier language', () => {
  it('writes a day in the order of the language on screen, not the browser', () => {
    expect(formatDay('2026-12-01', 'es-AR')).toBe('01/12/2026');
    expect(formatDay('2026-12-01', 'pt-BR')).toBe('01/12/2026');
    expect(formatDay('2026-12-01', 'en')).toBe('12/01/2026');
    expect(dateOrder('en').order).toEqual(['month', 'day', 'year']);
    expect(dateOrder('es-MX').order).toEqual(['day', 'month', 'year']);
  });

  it('reads what a cashier types in that same order', () => {
    expect(parseDay('01/12/2026', 'es-AR')).toBe('2026-12-01');
    expect(parseDay('1-12-26', 'es-AR')).toBe('2026-12-01');
    expect(parseDay(' 1.12.2026 ', 'pt-BR')).toBe('2026-12-01');
    expect(parseDay('12/01/2026', 'en')).toBe('2026-12-01');
    expect(parseDay('12/01/2026', 'es-AR')).toBe('2026-01-12');
  });

  it('refuses what is not a real day', () => {
    for (const text of ['', '31/02/2026', '1/13/2026', '2026', '1/2', 'ab/cd/efgh', '1/2/3/4', '00/01/2026']) {
      expect(parseDay(text, 'es-AR'), text).toBeNull();
    }
    expect(parseDay('02/31/2026', 'en')).toBeNull();
  });

  it('steps calendar days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
