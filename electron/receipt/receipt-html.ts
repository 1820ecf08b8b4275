/**
 * The printable receipt: one self-contained HTML document (inline CSS, no scripts, no external
 * resources, a CSP that forbids both) laid out for 80 mm thermal paper.
 *
 * Every piece of text comes from data a person typed (shop, product names) or Mercado Pago sent
 * (card brand, ids), so all of it is escaped. "Approved" appears only for an approved sale: a receipt
 * for anything else says NOT PAID in large type, because a receipt is what a customer leaves with.
 */
import type { Locale, SaleDetail } from '../../shared/contract';
import { formatMoney } from '../../shared/money';
import { LABELS } from './receipt-labels';

export interface ReceiptOptions {
  /** IANA zone for the printed date; the machine's own zone when absent. */
  timeZone?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `
@page { size: 80mm auto; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 4mm; width: 80mm; font: 12px/1.35 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; color: #000; background: #fff; }
h1 { font-size: 15px; margin: 0; text-align: center; }
.center { text-align: center; }
.muted { font-size: 11px; }
hr { border: 0; border-top: 1px dashed #000; margin: 6px 0; }
table { width: 100%; border-collapse: collapse; }
td { padding: 1px 0; vertical-align: top; }
td.amount { text-align: right; white-space: nowrap; padding-left: 6px; }
.line-name { overflow-wrap: anywhere; }
.detail td { font-size: 11px; padding-left: 8px; }
/* Ids (sale UUID, terminal serial) are longer than an 80 mm line: let them wrap instead of running off the paper. */
tr.id td.amount { white-space: normal; overflow-wrap: anywhere; font-size: 11px; }
.total td { font-size: 15px; font-weight: bold; }
.status { margin: 8px 0; padding: 4px; text-align: center; font-weight: bold; font-size: 15px; border: 2px solid #000; }
.status.unpaid { background: #000; color: #fff; }
@media screen { body { box-shadow: 0 0 6px rgba(0, 0, 0, .2); } }
`;

export function renderReceiptHtml(
  sale: SaleDetail,
  shop: { name: string; address: string },
  locale: Locale,
  options: ReceiptOptions = {},
): string {
  const t = LABELS[locale] ?? LABELS.en;
  const money = (minor: number) => escapeHtml(formatMoney(minor, sale.site, locale));
  const row = (label: string, amount: string, cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}><td>${label}</td><td class="amount">${amount}</td></tr>`;

  const lines = sale.lines
    .map((line) => {
      const gross = line.unitPrice * line.quantity;
      const detail = [`<tr class="detail"><td>${line.quantity} × ${money(line.unitPrice)}</td><td></td></tr>`];
      if (line.discount > 0)
        detail.push(
          `<tr class="detail"><td>${escapeHtml(t.discount)}</td><td class="amount">−${money(line.discount)}</td></tr>`,
        );
      return (
        `<tr><td class="line-name">${line.quantity} × ${escapeHtml(line.name)}</td><td class="amount">${money(gross - line.discount)}</td></tr>` +
        detail.join('')
      );
    })
    .join('\n');
  const subtotal = sale.lines.reduce((sum, l) => sum + l.unitPrice * l.quantity - l.discount, 0);

  const totals = [row(escapeHtml(t.subtotal), money(subtotal))];
  if (sale.cartDiscount > 0) totals.push(row(escapeHtml(t.cartDiscount), `−${money(sale.cartDiscount)}`));
  totals.push(row(escapeHtml(t.total), money(sale.total), 'total'));
  if (sale.refunds.length > 0 || sale.refundedAmount > 0) {
    for (const refund of sale.refunds) {
      const state = refund.state === 'approved' ? '' : ` (${escapeHtml(t.refundStates[refund.state])})`;
      totals.push(
        row(
          `${escapeHtml(t.refund)} ${escapeHtml(formatDate(refund.at, locale, options))}${state}`,
          `−${money(refund.amount)}`,
        ),
      );
    }
    totals.push(row(escapeHtml(t.refunded), `−${money(sale.refundedAmount)}`));
    totals.push(row(escapeHtml(t.net), money(sale.total - sale.refundedAmount), 'total'));
  }

  const approved = sale.state === 'approved';
  const status = approved
    ? `<div class="status paid">${escapeHtml(t.approved)}</div>`
    : `<div class="status unpaid">${escapeHtml(t.notPaid)} — ${escapeHtml(t.states[sale.state])}</div>`;

  const payment: string[] = [];
  if (sale.cardBrand || sale.cardLast4) {
    const card = [sale.cardBrand, sale.cardLast4 ? `•••• ${sale.cardLast4}` : null].filter(Boolean).join(' ');
    payment.push(row(escapeHtml(t.card), escapeHtml(card)));
  }
  if (sale.paymentId) payment.push(row(escapeHtml(t.paymentId), escapeHtml(sale.paymentId), 'id'));
  if (sale.terminalId) payment.push(row(escapeHtml(t.terminal), escapeHtml(sale.terminalId), 'id'));

  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)} ${escapeHtml(sale.id)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(shop.name)}</h1>
<p class="center muted">${escapeHtml(shop.address)}</p>
<hr>
<table>
${row(escapeHtml(t.date), escapeHtml(formatDate(sale.createdAt, locale, options)))}
${row(escapeHtml(t.sale), escapeHtml(sale.id), 'id')}
</table>
<hr>
<table>
${lines}
</table>
<hr>
<table>
${totals.join('\n')}
</table>
<hr>
<p class="center">${escapeHtml(t.payment)}</p>
${status}
<table>
${payment.join('\n')}
</table>
<hr>
<p class="center muted">${escapeHtml(t.thanks)}</p>
</body>
</html>
`;
}

function formatDate(iso: string, locale: Locale, options: ReceiptOptions): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // 24-hour, full year: a receipt is read later, by people comparing it with a bank statement.
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  }).format(date);
}
