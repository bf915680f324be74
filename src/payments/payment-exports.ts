import { Document } from 'sepa';
import { toCsv } from '../common/csv.js';
import { berlinDay, berlinTime } from '../common/dates.js';
import { isValidIban, normaliseIban } from '../common/iban.js';
import { isUuid } from '../common/ids.js';
import { centsToEuroInput } from '../common/money.js';

/**
 * The two files the city's treasury takes released payouts in: a payment-order CSV for its
 * spreadsheet and a SEPA credit transfer (pain.001). Pure functions: the same batch gives the same
 * bytes, so that a later download of a batch is the file that was exported.
 */

/** One released payout as the treasury needs it. */
export interface PayoutLine {
  /** uuid of the payout */
  payoutId: string;
  /** the organisation (account holder) */
  creditorName: string;
  /** normalised, no spaces */
  iban: string;
  bic: string | null;
  /** integer cents > 0 */
  amountCents: number;
  /** YYYY-MM-DD (value date) */
  dueOn: string;
  /** Haushaltsstelle / Sachkonto */
  budgetLine: string;
  /** the file's Aktenzeichen, e.g. NE-2027-0001 */
  reference: string;
  /** Verwendungszweck */
  purpose: string;
}

/** The city's account the transfers are paid from. */
export interface Debtor {
  name: string;
  iban: string;
  bic: string;
}

export type PaymentCsvColumn = 'creditor' | 'iban' | 'bic' | 'amount' | 'dueOn' | 'budgetLine' | 'reference' | 'purpose' | 'payoutId';

/** A batch that cannot be exported: the message names the payout and the field. */
export class InvalidPayoutBatch extends Error {}

const CSV_COLUMNS: Record<PaymentCsvColumn, { header: string; value: (line: PayoutLine) => string }> = {
  creditor: { header: 'Zahlungsempfänger', value: (line) => line.creditorName },
  iban: { header: 'IBAN', value: (line) => normaliseIban(line.iban) },
  bic: { header: 'BIC', value: (line) => normaliseBic(line.bic) },
  amount: { header: 'Betrag (EUR)', value: (line) => centsToEuroInput(line.amountCents) },
  dueOn: { header: 'Fällig am', value: (line) => germanDate(line.dueOn) },
  budgetLine: { header: 'Haushaltsstelle', value: (line) => line.budgetLine },
  reference: { header: 'Aktenzeichen', value: (line) => line.reference },
  purpose: { header: 'Verwendungszweck', value: (line) => line.purpose },
  payoutId: { header: 'Auszahlungs-ID', value: (line) => line.payoutId },
};

export const DEFAULT_PAYMENT_CSV_COLUMNS: readonly PaymentCsvColumn[] = Object.freeze([
  'creditor', 'iban', 'amount', 'dueOn', 'budgetLine', 'reference', 'purpose',
] as PaymentCsvColumn[]);

/**
 * The CSV columns from a setting such as "creditor, iban, amount"; no setting means the default
 * columns. A name that is not a column fails at start-up rather than in the treasury's file.
 */
export function parsePaymentCsvColumns(setting: string | undefined): PaymentCsvColumn[] {
  if (setting === undefined || setting.trim() === '') return [...DEFAULT_PAYMENT_CSV_COLUMNS];
  const names = setting.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !Object.hasOwn(CSV_COLUMNS, name));
  if (unknown.length > 0) {
    throw new Error(`Unknown payment CSV column(s): ${unknown.join(', ')} (known: ${Object.keys(CSV_COLUMNS).join(', ')})`);
  }
  const twice = names.filter((name, index) => names.indexOf(name) !== index);
  if (twice.length > 0) throw new Error(`Payment CSV column(s) named more than once: ${[...new Set(twice)].join(', ')}`);
  return names as PaymentCsvColumn[];
}

/** The payment order for the treasury's spreadsheet: semicolons, BOM, "1.234,56", "31.01.2027". */
export function paymentOrderCsv(lines: PayoutLine[], columns: readonly PaymentCsvColumn[] = DEFAULT_PAYMENT_CSV_COLUMNS): string {
  if (columns.length === 0) throw new Error('No payment CSV columns');
  const unknown = columns.filter((column) => !Object.hasOwn(CSV_COLUMNS, column));
  if (unknown.length > 0) throw new Error(`Unknown payment CSV column(s): ${unknown.join(', ')}`);
  const ordered = validatedInOrder(lines);
  return toCsv([
    columns.map((column) => CSV_COLUMNS[column].header),
    ...ordered.map((line) => columns.map((column) => CSV_COLUMNS[column].value(line))),
  ]);
}

/** pain.001 version written: the current one of the German banking industry (DK) that sepa.js writes. */
export const PAIN_FORMAT = 'pain.001.001.09';

/**
 * A SEPA credit transfer (pain.001.001.09) paying the batch from the debtor's account: one payment
 * information block per due date (the requested execution date), one transaction per payout with
 * the payout id as end-to-end id and "Aktenzeichen Verwendungszweck" as remittance information.
 */
export function sepaCreditTransfer(batch: { messageId: string; createdAt: Date; debtor: Debtor; lines: PayoutLine[] }): string {
  const messageId = batch.messageId;
  if (!isSepaId(messageId)) throw new InvalidPayoutBatch(`messageId: 1 to 35 characters of the SEPA character set, not starting with "/" (found "${messageId}")`);
  if (!(batch.createdAt instanceof Date) || Number.isNaN(batch.createdAt.getTime())) throw new InvalidPayoutBatch('createdAt: not a valid date');
  const debtorIban = normaliseIban(batch.debtor.iban);
  if (!isValidIban(debtorIban)) throw new InvalidPayoutBatch(`debtor: invalid IBAN "${batch.debtor.iban}"`);
  const debtorBic = normaliseBic(batch.debtor.bic);
  if (!isBic(debtorBic)) throw new InvalidPayoutBatch(`debtor: invalid BIC "${batch.debtor.bic}"`);
  const debtorName = sepaText(batch.debtor.name, 70);
  if (debtorName === '') throw new InvalidPayoutBatch('debtor: name missing');

  const byDueDate = new Map<string, PayoutLine[]>();
  for (const line of validatedInOrder(batch.lines)) byDueDate.set(line.dueOn, [...(byDueDate.get(line.dueOn) ?? []), line]);

  const doc = new Document(PAIN_FORMAT);
  doc.grpHdr.id = messageId;
  doc.grpHdr.created = berlinWallClock(batch.createdAt);
  doc.grpHdr.initiatorName = debtorName;

  const blocks: { info: ReturnType<Document['createPaymentInfo']>; cents: number }[] = [];
  for (const [dueOn, lines] of byDueDate) {
    const info = doc.createPaymentInfo();
    info.requestedExecutionDate = calendarDay(dueOn);
    info.debtorName = debtorName;
    info.debtorIBAN = debtorIban;
    info.debtorBIC = debtorBic;
    doc.addPaymentInfo(info);
    // The library's "<MsgId>.<n>" would pass the 35 characters PmtInfId allows for a long MsgId.
    info.id = `${messageId.slice(0, 26).trimEnd()}-${dueOn.replace(/-/g, '')}`;
    for (const line of lines) {
      const tx = info.createTransaction();
      tx.end2endId = line.payoutId.replace(/-/g, '');
      tx.creditorName = sepaText(line.creditorName, 70);
      tx.creditorIBAN = normaliseIban(line.iban);
      tx.creditorBIC = normaliseBic(line.bic);
      tx.amount = euros(line.amountCents);
      tx.remittanceInfo = sepaText(`${line.reference} ${line.purpose}`, 140);
      info.addTransaction(tx);
      tx.id = tx.end2endId;
    }
    blocks.push({ info, cents: lines.reduce((sum, line) => sum + line.amountCents, 0) });
  }
  // Control sums from integer cents: the library would add up euro floats.
  doc.normalize = () => {
    for (const block of blocks) block.info.controlSum = euros(block.cents);
    doc.grpHdr.controlSum = euros(blocks.reduce((sum, block) => sum + block.cents, 0));
    doc.grpHdr.transactionCount = batch.lines.length;
  };
  return doc.toString();
}

/**
 * Cents as the euro number the library writes with toFixed(2). An integer number of cents divided
 * by 100 always prints as its exact decimal; the check guards that against a change of library.
 */
function euros(cents: number): number {
  if (!Number.isSafeInteger(cents)) throw new InvalidPayoutBatch(`amount: ${cents} is not an integer number of cents`);
  const value = cents / 100;
  const exact = `${(cents - (cents % 100)) / 100}.${String(cents % 100).padStart(2, '0')}`;
  if (value.toFixed(2) !== exact) throw new InvalidPayoutBatch(`amount: ${cents} cents cannot be written exactly`);
  return value;
}

/** Lines checked, in one order whatever order they came in: by due date, Aktenzeichen, payout id. */
function validatedInOrder(lines: PayoutLine[]): PayoutLine[] {
  if (!Array.isArray(lines) || lines.length === 0) throw new InvalidPayoutBatch('No payouts to export');
  const seen = new Set<string>();
  for (const line of lines) {
    const which = `payout ${line.payoutId}`;
    if (typeof line.payoutId !== 'string' || !isUuid(line.payoutId)) throw new InvalidPayoutBatch(`payoutId: not a uuid (found "${line.payoutId}")`);
    if (seen.has(line.payoutId.toLowerCase())) throw new InvalidPayoutBatch(`${which}: in the batch twice`);
    seen.add(line.payoutId.toLowerCase());
    if (!Number.isSafeInteger(line.amountCents) || line.amountCents <= 0) throw new InvalidPayoutBatch(`${which}: amount must be a positive integer number of cents (found ${line.amountCents})`);
    // SEPA's largest single amount, 999.999.999,99 €.
    if (line.amountCents > 99_999_999_999) throw new InvalidPayoutBatch(`${which}: amount above the SEPA maximum`);
    if (!isValidIban(line.iban ?? '')) throw new InvalidPayoutBatch(`${which}: invalid IBAN "${line.iban}"`);
    if (line.bic !== null && !isBic(normaliseBic(line.bic))) throw new InvalidPayoutBatch(`${which}: invalid BIC "${line.bic}"`);
    if (!isDay(line.dueOn)) throw new InvalidPayoutBatch(`${which}: due date must be a day YYYY-MM-DD (found "${line.dueOn}")`);
    if (sepaText(line.creditorName ?? '', 70) === '') throw new InvalidPayoutBatch(`${which}: creditor name missing`);
    if (typeof line.reference !== 'string' || line.reference.trim() === '') throw new InvalidPayoutBatch(`${which}: reference missing`);
  }
  const total = lines.reduce((sum, line) => sum + line.amountCents, 0);
  if (!Number.isSafeInteger(total)) throw new InvalidPayoutBatch('The batch total is too large');
  return [...lines].sort((a, b) => compare(a.dueOn, b.dueOn) || compare(a.reference, b.reference) || compare(a.payoutId, b.payoutId));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function germanDate(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}.${month}.${year}`;
}

function normaliseBic(value: string | null): string {
  return (value ?? '').replace(/\s+/g, '').toUpperCase();
}

function isBic(value: string): boolean {
  return /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value);
}

/** SEPA ids (MsgId, PmtInfId, EndToEndId): the basic character set, at most 35, no leading "/" nor "//". */
function isSepaId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9+?/\-:().,' ]{1,35}$/.test(value) && !value.startsWith('/') && !value.includes('//');
}

/** The characters German banks take in SEPA text fields (DK: the basic Latin set plus umlauts, ß, &, *, $, %). */
const SEPA_CHAR = /^[A-Za-z0-9 '/:?,\-(+.)ÄÖÜäöüß&*$%]$/;
const REPLACEMENTS: Record<string, string> = { '€': 'EUR', '"': "'", '„': "'", '“': "'", '”': "'", '‚': "'", '‘': "'", '’': "'", '´': "'", '`': "'", '–': '-', '—': '-', '_': '-', ';': ',', '@': '(at)' };

/**
 * Text for a SEPA field: one line, characters outside the banks' set transliterated ("é" → "e",
 * "€" → "EUR") or left out, and cut to `max` characters at the end, so the Aktenzeichen at the
 * start of the remittance information is kept whole.
 */
function sepaText(value: string, max: number): string {
  const chars = [...String(value ?? '').normalize('NFC')].map((char) => {
    if (SEPA_CHAR.test(char)) return char;
    if (REPLACEMENTS[char] !== undefined) return REPLACEMENTS[char];
    const base = char.normalize('NFD').replace(/\p{M}/gu, '');
    return [...base].every((c) => SEPA_CHAR.test(c)) ? base : ' ';
  });
  return chars.join('').replace(/\s+/g, ' ').trim().slice(0, max).trimEnd();
}

/**
 * sepa.js writes dates with the process's local-time getters; these dates answer them with the
 * wall-clock fields they were built from, so the file does not depend on the server's time zone.
 */
class WallClock extends Date {
  override getFullYear(): number { return this.getUTCFullYear(); }
  override getMonth(): number { return this.getUTCMonth(); }
  override getDate(): number { return this.getUTCDate(); }
  override getHours(): number { return this.getUTCHours(); }
  override getMinutes(): number { return this.getUTCMinutes(); }
  override getSeconds(): number { return this.getUTCSeconds(); }
}

/** The creation time as Neuss reads it (Europe/Berlin), to the second. */
function berlinWallClock(at: Date): Date {
  return new WallClock(`${berlinDay(at)}T${berlinTime(at)}:${String(at.getUTCSeconds()).padStart(2, '0')}Z`);
}

function calendarDay(day: string): Date {
  return new WallClock(`${day}T00:00:00Z`);
}
