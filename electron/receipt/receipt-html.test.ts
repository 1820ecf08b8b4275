import { describe, expect, it } from 'vitest';
import { SaleDetailSchema, type SaleDetail } from '../../shared/contract';
import { formatMoney } from '../../shared/money';
import { renderReceiptHtml } from './receipt-html';

const shop = {
  name: 'Almacén "Don José"',
  address: 'Av. Corrientes 1234, CABA',
};

function sale(patch: Partial<SaleDetail> = {}): SaleDetail {
  return SaleDetailSchema.parse({
    id: 'sale-0001',
    createdAt: '2025-03-14T18:30:00.000Z',
    updatedAt: '2025-03-14T18:31:00.000Z',
    state: 'approved',
    total: 390000,
    site: 'MLA',
    currency: 'ARS',
    lines: [
      {
        productId: 'p1',
        sku: 'BEB-0001',
        name: 'Agua Mineral 500ml',
        unitPrice: 150000,
        quantity: 2,
        discount: 10000,
      },
      {
        productId: 'p2',
        sku: null,
        name: 'Alfajor <script>alert(1)</script>',
        unitPrice: 120000,
        quantity: 1,
        discount: 0,
      },
    ],
    cartDiscount: 10000,
    register: 'CAJA1',
    terminalId: 'PAX_A910__SMARTPOS1234',
    family: 'orders',
    externalReference: 'ext-1',
    paymentId: '1234567890',
    cardBrand: 'visa',
    cardLast4: '4242',
    refundedAmount: 0,
    expiresAt: null,
    cancellable: false,
    retryable: false,
    resolvable: false,
    reason: null,
    errorCode: null,
    timeline: [],
    refunds: [],
    ...patch,
  });
}

/** What a person reads: the body's text, whitespace collapsed. */
const text = (html: string) =>
  html
    .replace(/^[\s\S]*<body>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[ \t\r\n]+/g, ' '); // not \s: formatted money keeps its no-break spaces

describe('renderReceiptHtml', () => {
  it('is one self-contained document for 80 mm paper', () => {
    const html = renderReceiptHtml(sale(), shop, 'es-AR');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('@page { size: 80mm auto');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|src=|href=|url\(|@import/i);
  });

  it('shows shop, date, sale, lines, discounts, total and the payment', () => {
    const html = renderReceiptHtml(sale(), shop, 'es-AR', {
      timeZone: 'America/Argentina/Buenos_Aires',
    });
    const body = text(html);
    const ars = (minor: number) => formatMoney(minor, 'MLA', 'es-AR');
    expect(body).toContain('Almacén &#34;Don José&#34;');
    expect(body).toContain('Av. Corrientes 1234, CABA');
    expect(body).toMatch(/Fecha 14\/03\/2025,? 15:30/); // 18:30 UTC in Buenos Aires
    expect(body).toContain('sale-0001');
    expect(body).toContain(`2 × Agua Mineral 500ml ${ars(290000)}`); // 2 × 1.500 − 100
    expect(body).toContain(`2 × ${ars(150000)}`);
    expect(body).toContain(`Descuento −${ars(10000)}`);
    expect(body).toContain(`Descuento general −${ars(10000)}`);
    expect(body).toContain(`Total ${ars(390000)}`);
    expect(body).toContain('Aprobado');
    expect(body).toContain('visa •••• 4242');
    expect(body).toContain('1234567890');
    expect(body).toContain('PAX_A910__SMARTPOS1234');
    expect(body).not.toContain('Devuelto');
  });

  it('escapes every piece of text', () => {
    const html = renderReceiptHtml(
      sale({ id: 'x"><img src=x>', cardBrand: '<b>', terminalId: "t'1" }),
      { name: '<script>alert("shop")</script>', address: 'A & B' },
      'en',
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('Alfajor &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('A &#38; B');
    expect(html).toContain('t&#39;1');
  });

  it('says NOT PAID and the state for anything but an approved sale', () => {
    for (const state of [
      'rejected',
      'cancelled',
      'expired',
      'failed',
      'unknown',
      'processing',
      'at_terminal',
      'resolved',
    ] as const) {
      const html = renderReceiptHtml(sale({ state, paymentId: null }), shop, 'en');
      expect(html).toContain('NOT PAID');
      expect(html).not.toMatch(/approved/i);
    }
    const es = text(renderReceiptHtml(sale({ state: 'rejected' }), shop, 'es-AR'));
    expect(es).toContain('NO PAGADO — rechazado');
    const resolved = text(renderReceiptHtml(sale({ state: 'resolved', paymentId: null }), shop, 'pt-BR'));
    expect(resolved).toContain('NÃO PAGO');
    expect(es).not.toContain('Aprobado');
  });

  it('lists refunds and the net', () => {
    const html = renderReceiptHtml(
      sale({
        refundedAmount: 150000,
        refunds: [
          {
            id: 'r1',
            at: '2025-03-14T19:00:00.000Z',
            amount: 150000,
            state: 'approved',
          },
          {
            id: 'r2',
            at: '2025-03-14T19:05:00.000Z',
            amount: 50000,
            state: 'failed',
          },
        ],
      }),
      shop,
      'en',
      { timeZone: 'UTC' },
    );
    const body = text(html);
    const ars = (minor: number) => formatMoney(minor, 'MLA', 'en');
    expect(body).toMatch(/Refund 03\/14\/2025,? 19:00 −/);
    expect(body).toContain(`19:00 −${ars(150000)}`);
    expect(body).toContain(`(failed) −${ars(50000)}`);
    expect(body).toContain(`Refunded −${ars(150000)}`);
    expect(body).toContain(`Net ${ars(240000)}`);
  });

  it('speaks the cashier’s locale, with money formatted for it', () => {
    const labels = {
      'es-AR': 'Descuento general',
      'es-MX': 'Ticket de venta',
      'pt-BR': 'Desconto geral',
      en: 'Cart discount',
    } as const;
    for (const [locale, label] of Object.entries(labels) as [keyof typeof labels, string][]) {
      const html = renderReceiptHtml(sale(), shop, locale);
      expect(html).toContain(`lang="${locale}"`);
      expect(html).toContain(label);
      expect(html).toContain(formatMoney(390000, 'MLA', locale).replace(/&/g, '&#38;'));
    }
    expect(text(renderReceiptHtml(sale(), shop, 'pt-BR'))).toContain('Aprovado');
    const clp = renderReceiptHtml(
      sale({
        site: 'MLC',
        currency: 'CLP',
        total: 3900,
        lines: [
          {
            productId: null,
            sku: null,
            name: 'Completo',
            unitPrice: 3900,
            quantity: 1,
            discount: 0,
          },
        ],
        cartDiscount: 0,
      }),
      shop,
      'es-AR',
    );
    expect(clp).toContain(formatMoney(3900, 'MLC', 'es-AR'));
  });
});
