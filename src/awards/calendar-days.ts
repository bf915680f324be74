import { isHoliday } from 'feiertagejs';

/**
 * Arithmetic on plain calendar days (YYYY-MM-DD, the Berlin day a letter was sent or a payment is
 * due). Days are handled as UTC dates without a time of day, so no time zone or daylight-saving
 * change can shift a day. (src/common/dates.ts works on instants in Berlin; only its YYYY-MM-DD
 * check would fit, and it lets 2027-02-30 through.)
 */

const DAY_MS = 86_400_000;

/** UTC milliseconds of the day's midnight; throws on anything that is not a real calendar day. */
function toUtc(day: string): number {
  const ms = typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2027-02-30 over into March: the round trip catches days a month does not have.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${String(day)}`);
  }
  return ms;
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Throws a RangeError unless the value is a real calendar day as YYYY-MM-DD. */
export function assertCalendarDay(day: string): void {
  toUtc(day);
}

export function addDays(day: string, days: number): string {
  return fromUtc(toUtc(day) + days * DAY_MS);
}

/**
 * The day `months` months later with the same day number, or the last day of that month when it is
 * shorter (§ 188 Abs. 2 and 3 BGB): 31 January + 1 month = 28 (or 29) February.
 */
export function addMonths(day: string, months: number): string {
  const d = new Date(toUtc(day));
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + months;
  const lastOfTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(year, month, Math.min(d.getUTCDate(), lastOfTarget)));
}

/**
 * Monday to Friday and not a public holiday in North Rhine-Westphalia (Feiertagsgesetz NW, holidays
 * from `feiertagejs`, region 'NW'). Saturdays count as non-working days because § 222 Abs. 2 ZPO
 * (and § 31 Abs. 3 VwVfG) move a period's end off a Saturday as off a Sunday or holiday.
 */
export function isWorkingDay(day: string): boolean {
  const weekday = new Date(toUtc(day)).getUTCDay();
  // The string form makes feiertagejs compare calendar days without any time zone conversion.
  return weekday !== 0 && weekday !== 6 && !isHoliday(day, 'NW');
}

/** The day itself when it is a working day, otherwise the next working day after it. */
export function nextWorkingDayFrom(day: string): string {
  let current = day;
  while (!isWorkingDay(current)) current = addDays(current, 1);
  return current;
}
