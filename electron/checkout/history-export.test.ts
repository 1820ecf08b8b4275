/**
 * The sales export opened the way a shop's spreadsheet would: split on `,` (en) and on `;` (Excel's
 * list separator in es-AR and pt-BR), quotes ignored as a careless import would. No cell may start
 * like a formula, however the product names and messages were written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { csvField, neutraliseFormulas } from './history';
import { INTENT, startKit, type Kit } from '../test-kits/engine-test-kit';

let kit: Kit;
afterEach(async () => kit?.close());

const FORMULA = /^[=+\-@\t\r]/;

/** Every cell a naive split would produce, on either separator, over the whole file. */
function cellsSplitOn(csv: string, separator: string): string[] {
  return csv.split(/\r?\n/).flatMap((line) => line.split(separator)).flatMap((cell) => [cell, cell.replace(/^"/, '')]);
}

const HOSTILE_NAMES = [
  '=HYPERLINK("http://evil.example","x")',
  'x;=cmd|\' /C calc\'!A0',
  'x,=cmd|\' /C calc\'!A0',
  'Vino; +SUM(1,2)',
  'Queso\t-1+1',
  '@SUM(A1)',
  'line\n=1+1',
];

describe('sales CSV export', () => {
  it('neutralises every piece of every field, under `,` and `;`', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    const sale = await engine.charge({
      cart: {
        lines: HOSTILE_NAMES.map((name, i) => ({ productId: null, sku: null, name, unitPrice: 100 + i, quantity: 1, discount: 0 })),
        cartDiscount: 0,
      },
      terminalId: INTENT,
    });
    // The export lists a sale whatever its state: the lines are journaled before the charge leaves.
    expect(engine.get(sale.id).id).toBe(sale.id);
    const { csv } = engine.exportCsv({});
    // The hostile text is in the file (neutralised, not dropped)…
    expect(csv).toContain("Vino; '+SUM(1");
    expect(csv).toContain("x;'=cmd");
    for (const separator of [',', ';']) {
      const cells = cellsSplitOn(csv, separator);
      expect(cells.length).toBeGreaterThan(20);
      // …and no cell of either reading starts a formula.
      expect(cells.filter((c) => FORMULA.test(c))).toEqual([]);
    }
  });

  it('quotes a field holding either separator, so careful readers keep it in one cell', () => {
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('a\tb')).toBe('"a\tb"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(-150)).toBe('-150'); // our own numbers stay numbers
    expect(neutraliseFormulas('1 x a; 1 x =b;  -c')).toBe("1 x a; 1 x =b;  '-c");
  });
});
