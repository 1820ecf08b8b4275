/** History queries over the journal and their CSV export. */
import type { HistoryFilter, SaleView } from '../../shared/contract';
import { HistoryFilterSchema } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import { minorToDecimalString, type SiteId } from '../../shared/money';
import type { Journal, SaleRow } from './journal';
import { loadView } from './views';

/** Local calendar day of a timestamp: the shop closes its day by its own clock, not UTC's. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function where(filter: ReturnType<typeof HistoryFilterSchema.parse>): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (filter.from) {
    clauses.push('day >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    clauses.push('day <= ?');
    params.push(filter.to);
  }
  if (filter.terminalId) {
    clauses.push('terminal_id = ?');
    params.push(filter.terminalId);
  }
  if (filter.state) {
    clauses.push('state = ?');
    params.push(filter.state);
  }
  const text = filter.text?.trim().toLowerCase();
  if (text && [...text].length >= 3) {
    // search_text holds line names, references and payment ids, lower-cased. Three characters or
    // more: the journal's trigram index (migration 3) finds the substring, quoted as one phrase so
    // nothing in it is read as FTS syntax.
    clauses.push('rowid IN (SELECT rowid FROM sales_fts WHERE sales_fts MATCH ?)');
    params.push(`"${text.replace(/"/g, '""')}"`);
  } else if (text) {
    // Shorter than a trigram: read every sale. LIKE wildcards in the text are escaped ("5%" is five percent).
    clauses.push("search_text LIKE ? ESCAPE '\\'");
    params.push(`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function parseFilter(filter: HistoryFilter) {
  const parsed = HistoryFilterSchema.safeParse(filter);
  if (!parsed.success) throw new CajaError('INVALID_INPUT', 'That history filter is not valid.');
  return parsed.data;
}

export function history(journal: Journal, filter: HistoryFilter): { items: SaleView[]; total: number } {
  const f = parseFilter(filter);
  const w = where(f);
  const total = journal.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sales ${w.sql}`, ...w.params)?.n ?? 0;
  const rows = journal.all<SaleRow>(
    `SELECT * FROM sales ${w.sql} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`,
    ...w.params,
    f.limit,
    f.offset,
  );
  return { items: rows.map((r) => loadView(journal, r)), total };
}

/** What a spreadsheet treats as the start of a formula (or of a cell it will reinterpret). */
const FORMULA_START = /[=+\-@\t\r]/;

/**
 * Prefixes `'` to every piece of `text` a spreadsheet could read as a cell of its own that starts
 * a formula: the text's start, and whatever follows a `,` `;` tab or line break (and spaces). The
 * shop's Excel may split on `;` (es-AR, pt-BR) or `,`, and may not honour quotes when it guesses,
 * so every place either separator could cut must be safe, not just the field's first character.
 */
export function neutraliseFormulas(text: string): string {
  return text.replace(new RegExp(`(^|[,;\\t\\r\\n])( *)(?=${FORMULA_START.source})`, 'g'), "$1$2'");
}

/** RFC 4180 field, quoted when it holds either list separator, a quote or a line break; formulas neutralised. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  // Numbers are ours (amounts, counts) and may be negative; text may come from anyone.
  const text = typeof value === 'string' ? neutraliseFormulas(value) : String(value);
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const HEADER = [
  'sale_id',
  'created_at',
  'updated_at',
  'state',
  'total',
  'currency',
  'refunded',
  'register',
  'terminal_id',
  'family',
  'external_reference',
  'payment_id',
  'card_brand',
  'card_last4',
  'items',
  // Why the sale is where it is, as its reason code (words belong to the screen's language, not a file's).
  'reason',
];

export function exportCsv(journal: Journal, filter: HistoryFilter): { filename: string; csv: string } {
  const f = parseFilter(filter);
  const w = where(f);
  const rows = journal.all<SaleRow>(`SELECT * FROM sales ${w.sql} ORDER BY created_at, id`, ...w.params);
  const out = [HEADER.join(',')];
  for (const r of rows) {
    const site = r.site as SiteId;
    const lines = journal.lines(r.id);
    out.push(
      [
        r.id,
        new Date(r.created_at).toISOString(),
        new Date(r.updated_at).toISOString(),
        r.state,
        minorToDecimalString(r.total, site),
        r.currency,
        minorToDecimalString(r.refunded_amount, site),
        r.register,
        r.terminal_id,
        r.family,
        r.external_reference,
        r.payment_id,
        r.card_brand,
        r.card_last4,
        // Each joined piece is neutralised again by csvField: the join itself adds a `;` to cut at.
        lines.map((l) => `${l.quantity} x ${l.name}`).join('; '),
        r.reason_code ?? r.message,
      ]
        .map(csvField)
        .join(','),
    );
  }
  const span = f.from || f.to ? `${f.from ?? 'start'}_${f.to ?? 'today'}` : 'all';
  return { filename: `caja-sales-${span}.csv`, csv: out.join('\r\n') + '\r\n' };
}
