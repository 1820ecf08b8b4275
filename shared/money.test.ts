import { describe, expect, it } from 'vitest';
import { decimalToMinor, formatMoney, isWithinSiteLimits, minorToDecimalString, minorToHundredths } from './money';

describe('money', () => {
  it('converts to each wire format from integers only', () => {
    expect(minorToHundredths(1500, 'MLA')).toBe(1500);
    expect(minorToHundredths(1500, 'MLC')).toBe(150000);
    expect(minorToDecimalString(1505, 'MLA')).toBe('15.05');
    expect(minorToDecimalString(7, 'MLB')).toBe('0.07');
    expect(minorToDecimalString(1500, 'MLC')).toBe('1500');
  });

  it('parses decimals without floating point drift and refuses extra precision', () => {
    expect(decimalToMinor('0.3', 'MLA')).toBe(30);
    expect(decimalToMinor('15,50', 'MLA')).toBe(1550);
    expect(decimalToMinor(0.1 + 0.2, 'MLA')).toBe(30);
    expect(decimalToMinor('1.005', 'MLA')).toBeNull();
    expect(decimalToMinor('1500.5', 'MLC')).toBeNull();
    expect(decimalToMinor('abc', 'MLA')).toBeNull();
  });

  it('checks site limits in hundredths', () => {
    expect(isWithinSiteLimits(499, 'MLA')).toBe(false);
    expect(isWithinSiteLimits(500, 'MLA')).toBe(true);
    expect(isWithinSiteLimits(100, 'MLB')).toBe(true);
    expect(isWithinSiteLimits(7_000_001, 'MLB')).toBe(false);
  });

  it('formats with the currency’s own decimals', () => {
    expect(formatMoney(150000, 'MLA', 'es-AR')).toMatch(/1\.500,00/);
    expect(formatMoney(1500, 'MLC', 'es-CL')).not.toMatch(/,\d\d$/);
  });
});
