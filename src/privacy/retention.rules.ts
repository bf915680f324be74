/**
 * When the retention job deletes what (DSGVO Art. 5 (1) e, storage limitation; ANBest-P 6.9).
 *
 * - Personal data of a grant (participant lists, visit photos, visit notes) is kept through the day
 *   `personalDataMonths` months after the usage report was accepted (day in Berlin) and deleted from
 *   the next day on.
 * - Receipts and the report's figures are kept through the day `receiptsYears` years after the
 *   report's last submission (ANBest-P 6.9 counts from when the usage report was handed in; a report
 *   handed in again after a clarification request was handed in then) and deleted from the next day.
 *
 * A month added to the 29th to 31st ends on the last day of a shorter month (31 January + 1 month is
 * 28 February), as PostgreSQL and the BGB (§ 188 Abs. 3) count it.
 */

export interface RetentionSettings {
  personalDataMonths: number;
  receiptsYears: number;
}

/** The least the receipts are kept, by law. */
export const MIN_RECEIPTS_YEARS = 5;

export type RetentionPart = 'personal_data' | 'receipts';

/** What the job needs of a closed usage report: Berlin days, and what it already deleted. */
export interface RetentionFacts {
  acceptedOn: string;
  lastSubmittedOn: string;
  personalDataDeleted: boolean;
  receiptsDeleted: boolean;
}

/** A calendar day plus whole months, the day clamped to the target month's last day. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** The calendar day after `day`. */
export function nextDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The first day on which the grant's personal data is deleted. */
export function personalDataDueOn(acceptedOn: string, settings: RetentionSettings): string {
  return nextDay(addMonths(acceptedOn, settings.personalDataMonths));
}

/** The first day on which the receipts and figures are deleted; never before five years. */
export function receiptsDueOn(lastSubmittedOn: string, settings: RetentionSettings): string {
  return nextDay(addMonths(lastSubmittedOn, 12 * Math.max(settings.receiptsYears, MIN_RECEIPTS_YEARS)));
}

/** The parts of a report to delete on `today` (a Berlin day): due and not yet deleted. */
export function partsDue(facts: RetentionFacts, today: string, settings: RetentionSettings): RetentionPart[] {
  const due: RetentionPart[] = [];
  if (!facts.personalDataDeleted && personalDataDueOn(facts.acceptedOn, settings) <= today) due.push('personal_data');
  if (!facts.receiptsDeleted && receiptsDueOn(facts.lastSubmittedOn, settings) <= today) due.push('receipts');
  return due;
}

/** The next deletion still ahead of a report (the earlier of its parts not yet deleted), or null when all is deleted. */
export function nextDueOn(facts: RetentionFacts, settings: RetentionSettings): { part: RetentionPart; dueOn: string } | null {
  const pending: { part: RetentionPart; dueOn: string }[] = [];
  if (!facts.personalDataDeleted) pending.push({ part: 'personal_data', dueOn: personalDataDueOn(facts.acceptedOn, settings) });
  if (!facts.receiptsDeleted) pending.push({ part: 'receipts', dueOn: receiptsDueOn(facts.lastSubmittedOn, settings) });
  pending.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0));
  return pending[0] ?? null;
}
