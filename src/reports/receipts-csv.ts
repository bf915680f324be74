import { parse } from 'csv-parse/sync';
import { toCsv } from '../common/csv.js';
import { parseEuroToCents } from '../common/money.js';

/** One line of the receipt list (Belegliste). */
export interface ReceiptLine {
  /** Date on the receipt (YYYY-MM-DD). */
  date: string;
  payee: string;
  purpose: string;
  amountCents: number;
  /** The number of the finance plan's cost line it belongs to (1, 2, …), as the statement shows it. */
  costLine: number;
  /** When it was paid (YYYY-MM-DD): what the interest for late use is measured against. */
  paidOn: string;
}

/** A cell that cannot be read: its line in the file (the header is line 1), its column and why. */
export interface ReceiptCsvProblem {
  line: number;
  column: string;
  code: 'missing' | 'date' | 'amount' | 'costLine' | 'tooLong' | 'columns' | 'header' | 'empty' | 'unreadable';
}

const COLUMNS = ['Belegdatum', 'Empfänger', 'Zweck', 'Betrag (EUR)', 'Kostenposition', 'Bezahlt am'] as const;
const MAX_LINES = 2000;
const MAX_TEXT = 300;

/** The template to download: the header and one example line, in the German spreadsheet format. */
export function receiptTemplateCsv(): string {
  return toCsv([[...COLUMNS], ['15.02.2027', 'Muster-Druckerei GmbH', 'Flyer für das Sprachcafé', '123,45', '2', '20.02.2027']]);
}

/**
 * Reads a receipt list from CSV as spreadsheets write it (semicolons, or commas with quoted amounts; a BOM; German
 * numbers and dates). All or nothing: any unreadable cell gives the problems with line and
 * column, and no line is taken.
 */
export function parseReceiptCsv(text: string, costLines: number): { lines: ReceiptLine[]; problems: ReceiptCsvProblem[] } {
  const content = text.replace(/^\uFEFF/, '');
  // German spreadsheets separate with semicolons (the comma is the decimal sign); others with commas.
  const firstLine = content.split(/\r?\n/, 1)[0];
  const delimiter = firstLine.includes(';') || !firstLine.includes(',') ? ';' : ',';
  let rows: { cells: string[]; line: number }[];
  try {
    const records = parse(content, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    // Spreadsheets write cells someone once touched as empty columns (";;") and empty rows as ";;;;;": neither is content.
    rows = records.filter(({ record }) => record.some((cell) => cell !== '')).map(({ record, info }) => ({ cells: withoutTrailingEmpty(record), line: info.lines }));
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { lines: [], problems: [{ line, column: '', code: 'unreadable' }] };
  }
  if (rows.length === 0) return { lines: [], problems: [{ line: 1, column: '', code: 'empty' }] };
  const [{ cells: header }, ...body] = rows;
  if (header.length !== COLUMNS.length || header.some((cell, i) => cell.toLowerCase() !== COLUMNS[i].toLowerCase())) {
    return { lines: [], problems: [{ line: 1, column: '', code: 'header' }] };
  }
  if (body.length === 0) return { lines: [], problems: [{ line: 2, column: '', code: 'empty' }] };
  if (body.length > MAX_LINES) return { lines: [], problems: [{ line: MAX_LINES + 2, column: '', code: 'tooLong' }] };

  const lines: ReceiptLine[] = [];
  const problems: ReceiptCsvProblem[] = [];
  body.forEach(({ cells, line }) => {
    if (cells.length !== COLUMNS.length) {
      problems.push({ line, column: '', code: 'columns' });
      return;
    }
    const [date, payee, purpose, amount, costLine, paidOn] = cells;
    const problem = (column: (typeof COLUMNS)[number], code: ReceiptCsvProblem['code']) => problems.push({ line, column, code });
    const day = (value: string, column: (typeof COLUMNS)[number]) => {
      const parsed = germanDay(value);
      if (value === '') problem(column, 'missing');
      else if (!parsed) problem(column, 'date');
      return parsed;
    };
    const receiptDate = day(date, 'Belegdatum');
    const paid = day(paidOn, 'Bezahlt am');
    for (const [value, column] of [[payee, 'Empfänger'], [purpose, 'Zweck']] as const) {
      if (value === '') problem(column, 'missing');
      else if (value.length > MAX_TEXT) problem(column, 'tooLong');
    }
    const cents = amount === '' ? null : parseEuroToCents(amount);
    if (cents === null) problem('Betrag (EUR)', 'missing');
    else if (!Number.isSafeInteger(cents) || cents <= 0) problem('Betrag (EUR)', 'amount');
    const number = /^\d{1,4}$/.test(costLine) ? Number(costLine) : NaN;
    if (costLine === '') problem('Kostenposition', 'missing');
    else if (!(number >= 1 && number <= costLines)) problem('Kostenposition', 'costLine');
    if (receiptDate && paid && cents && cents > 0 && number >= 1 && number <= costLines && payee && purpose && payee.length <= MAX_TEXT && purpose.length <= MAX_TEXT) {
      lines.push({ date: receiptDate, payee, purpose, amountCents: cents, costLine: number, paidOn: paid });
    }
  });
  return problems.length > 0 ? { lines: [], problems } : { lines, problems };
}

/**
 * The file's text: UTF-8 (with or without BOM), else Windows-1252, which German Excel writes for
 * "CSV (Trennzeichen-getrennt)". Null when it is neither (a binary file, UTF-16).
 */
export function decodeReceiptCsv(buffer: Buffer): string | null {
  if (buffer.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('windows-1252').decode(buffer);
  }
}

/** Drops empty cells after the template's six columns. */
function withoutTrailingEmpty(cells: string[]): string[] {
  let end = cells.length;
  while (end > COLUMNS.length && cells[end - 1] === '') end -= 1;
  return cells.slice(0, end);
}

/** "15.02.2027" (or "2027-02-15") → "2027-02-15"; null when it is not a day of the calendar. */
function germanDay(value: string): string | null {
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value) ?? null;
  const iso = match ? `${match[3]}-${match[2].padStart(2, '0')}-${match[1].padStart(2, '0')}` : /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
  if (!iso) return null;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}
