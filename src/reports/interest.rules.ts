import { addDays, addMonths, assertCalendarDay } from '../awards/calendar-days.js';
import type { InterestLine, LateUseLine } from './report.types.js';

export type { InterestLine, LateUseLine } from './report.types.js';

/**
 * Interest on grant money (§ 49a Abs. 3 and 4 VwVfG): 5 percentage points above the base rate of
 * § 247 BGB per year, counted per day, each base rate applied to its own days.
 *
 * Conventions, the same for both functions:
 * - Days are YYYY-MM-DD calendar days. An interest period runs from its first interest day up to but
 *   not including its end day: on the day the money comes back (or is used) it is no longer withheld,
 *   as in the usual count of interest on a money debt (the first day counts, § 187 Abs. 2 BGB style;
 *   the day of payment does not). A repayment on the first interest day therefore bears no interest.
 * - A period is split into lines at every change of the base rate and, for act/act, at every year
 *   end. Line interest = principal × rate × days / (10 000 × day basis), computed exactly with BigInt
 *   and rounded half up to whole cents per line; the total is the sum of the lines, so a letter's
 *   lines add up to its total.
 * - Day basis: act/365 and act/360 divide the actual days by 365 or 360; act/act divides each
 *   calendar year's days by that year's length (366 in a leap year).
 * - Money is in integer cents, rates in integer basis points. Invalid input throws a RangeError, so
 *   callers validate user input first.
 */

export type DayCount = 'act/365' | 'act/360' | 'act/act';

/** A base rate applying from `from` (YYYY-MM-DD) until the next entry's day; 162 = 1.62 %. */
export interface BaseRate {
  from: string;
  basisPoints: number;
}

/** § 49a Abs. 3 S. 1 VwVfG: five percentage points above the base rate. */
export const DEFAULT_MARGIN_BASIS_POINTS = 500;
/** The call's default window for using paid-out money (ANBest-P Nr. 1.4: two months). */
export const DEFAULT_USE_WINDOW_MONTHS = 2;

export interface InterestResult {
  totalCents: number;
  lines: InterestLine[];
}

export interface RepaymentInterestInput {
  principalCents: number;
  /** The day the award became ineffective: the first interest day. */
  from: string;
  /** The day of repayment: no interest for this day. */
  until: string;
  baseRates: readonly BaseRate[];
  marginBasisPoints?: number;
  dayCount?: DayCount;
}

const DAY_MS = 86_400_000;
const DAY_COUNTS: readonly DayCount[] = ['act/365', 'act/360', 'act/act'];

function ordinal(day: string): number {
  assertCalendarDay(day);
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function dayOf(ordinalDay: number): string {
  return new Date(ordinalDay * DAY_MS).toISOString().slice(0, 10);
}

function assertCents(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number of cents, not negative: ${String(value)}`);
  }
}

function assertDayCount(dayCount: DayCount): void {
  if (!DAY_COUNTS.includes(dayCount)) throw new RangeError(`Unknown day count: ${String(dayCount)}`);
}

function assertMargin(marginBasisPoints: number): void {
  if (!Number.isSafeInteger(marginBasisPoints) || marginBasisPoints < 0) {
    throw new RangeError(`marginBasisPoints must be a whole number, not negative: ${String(marginBasisPoints)}`);
  }
}

interface SortedRate {
  start: number;
  basisPoints: number;
}

function sortedRates(baseRates: readonly BaseRate[]): SortedRate[] {
  if (!Array.isArray(baseRates) || baseRates.length === 0) throw new RangeError('No base rates given');
  const rates = baseRates.map((rate) => {
    if (!Number.isSafeInteger(rate.basisPoints)) {
      throw new RangeError(`Base rate basis points must be a whole number: ${String(rate.basisPoints)}`);
    }
    return { start: ordinal(rate.from), basisPoints: rate.basisPoints };
  });
  rates.sort((a, b) => a.start - b.start);
  for (let i = 1; i < rates.length; i++) {
    if (rates[i].start === rates[i - 1].start) throw new RangeError(`Two base rates from ${dayOf(rates[i].start)}`);
  }
  return rates;
}

/** Interest for `days` days, exact then rounded half up to whole cents (all inputs non-negative). */
export function interestCents(principalCents: number, ratePercentBasisPoints: number, days: number, dayBasis: number): number {
  const numerator = BigInt(principalCents) * BigInt(ratePercentBasisPoints) * BigInt(days);
  const denominator = 10_000n * BigInt(dayBasis);
  return Number((2n * numerator + denominator) / (2n * denominator));
}

function yearLength(year: number): number {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
}

/** The lines for the interest days [start, end) (ordinals), already validated. */
function linesFor(principalCents: number, start: number, end: number, rates: SortedRate[], margin: number, dayCount: DayCount): InterestLine[] {
  if (end <= start) return [];
  if (rates[0].start > start) {
    throw new RangeError(`No base rate known for ${dayOf(start)}; the earliest is from ${dayOf(rates[0].start)}`);
  }
  const cuts = new Set<number>();
  for (const rate of rates) if (rate.start > start && rate.start < end) cuts.add(rate.start);
  if (dayCount === 'act/act') {
    const firstYear = new Date(start * DAY_MS).getUTCFullYear();
    const lastYear = new Date((end - 1) * DAY_MS).getUTCFullYear();
    for (let year = firstYear + 1; year <= lastYear; year++) cuts.add(Date.UTC(year, 0, 1) / DAY_MS);
  }
  const bounds = [start, ...[...cuts].sort((a, b) => a - b), end];
  const lines: InterestLine[] = [];
  for (let i = 0; i < bounds.length - 1; i++) {
    const lineStart = bounds[i];
    const lineEnd = bounds[i + 1];
    let basisPoints = rates[0].basisPoints;
    for (const rate of rates) if (rate.start <= lineStart) basisPoints = rate.basisPoints;
    const ratePercentBasisPoints = basisPoints + margin;
    if (ratePercentBasisPoints < 0) {
      throw new RangeError(`Negative interest rate from ${dayOf(lineStart)}: ${ratePercentBasisPoints} basis points`);
    }
    const dayBasis = dayCount === 'act/360' ? 360 : dayCount === 'act/365' ? 365 : yearLength(new Date(lineStart * DAY_MS).getUTCFullYear());
    const days = lineEnd - lineStart;
    lines.push({
      from: dayOf(lineStart),
      to: dayOf(lineEnd - 1),
      days,
      dayBasis,
      ratePercentBasisPoints,
      interestCents: interestCents(principalCents, ratePercentBasisPoints, days, dayBasis),
    });
  }
  return lines;
}

const total = (lines: { interestCents: number }[]): number => lines.reduce((sum, line) => sum + line.interestCents, 0);

/**
 * Interest on a repayment claim (§ 49a Abs. 3 VwVfG): on `principalCents` from the day the award
 * became ineffective (`from`, counted) until the day of repayment (`until`, not counted). `until`
 * equal to `from` gives no interest; `until` before `from` throws.
 */
export function repaymentInterest(input: RepaymentInterestInput): InterestResult {
  const { principalCents, from, until, baseRates, marginBasisPoints = DEFAULT_MARGIN_BASIS_POINTS, dayCount = 'act/365' } = input;
  assertCents('principalCents', principalCents);
  assertMargin(marginBasisPoints);
  assertDayCount(dayCount);
  const start = ordinal(from);
  const end = ordinal(until);
  if (end < start) throw new RangeError(`Repayment day ${until} is before the first interest day ${from}`);
  const lines = linesFor(principalCents, start, end, sortedRates(baseRates), marginBasisPoints, dayCount);
  return { totalCents: total(lines), lines };
}

export interface Payout {
  id: string;
  /** The day the money reached the grantee (value date). */
  valueDate: string;
  amountCents: number;
}

export interface Use {
  /** Payment date of a receipt: the day the money was used. */
  paidOn: string;
  amountCents: number;
}

export interface LateUseInput {
  payouts: readonly Payout[];
  uses: readonly Use[];
  /** The day the computation is made: money still unused bears interest until (not including) it. */
  asOf: string;
  windowMonths?: number;
  baseRates: readonly BaseRate[];
  marginBasisPoints?: number;
  dayCount?: DayCount;
}

export interface LateUsePayout {
  payoutId: string;
  valueDate: string;
  amountCents: number;
  windowEnd: string;
  usedInWindowCents: number;
  usedLateCents: number;
  unusedCents: number;
  interestCents: number;
}

export interface LateUseResult {
  totalCents: number;
  payouts: LateUsePayout[];
  lines: LateUseLine[];
}

/**
 * Interest for money used late (§ 49a Abs. 4 VwVfG): per payout, the amount not used within
 * `windowMonths` months after its value date bears interest from the day after the window until the
 * day it was used (not counted), or until `asOf` while unused.
 *
 * - The window ends on the day `windowMonths` months after the value date by § 188 Abs. 2 and 3 BGB
 *   (31 January + 1 month = end of February); money used on that day is used in time.
 * - Uses are allocated to payouts first in, first out: the uses by payment date, each to the oldest
   *   payout with money left. Spending is not earmarked to a payout; FIFO treats the money that came
 *   first (whose window ends first) as spent first, so no payout counts as unused while older money
 *   sits idle, and the receipt list can show the allocation line by line.
 * - A use paid before the payout it is allocated to (pre-financed by the grantee) counts as used on
 *   the payout's value date. Uses beyond all payouts are the grantee's own money and are ignored.
 * - A use after `asOf` is refused: the computation cannot know it yet.
 */
export function lateUseInterest(input: LateUseInput): LateUseResult {
  const {
    payouts, uses, asOf, windowMonths = DEFAULT_USE_WINDOW_MONTHS, baseRates,
    marginBasisPoints = DEFAULT_MARGIN_BASIS_POINTS, dayCount = 'act/365',
  } = input;
  if (!Number.isSafeInteger(windowMonths) || windowMonths < 1) {
    throw new RangeError(`windowMonths must be a positive whole number, not ${String(windowMonths)}`);
  }
  assertMargin(marginBasisPoints);
  assertDayCount(dayCount);
  const asOfOrdinal = ordinal(asOf);
  const rates = sortedRates(baseRates);

  const ids = new Set<string>();
  const open = payouts
    .map((payout, index) => {
      if (typeof payout.id !== 'string' || ids.has(payout.id)) throw new RangeError(`Payout id missing or repeated: ${String(payout.id)}`);
      ids.add(payout.id);
      assertCents(`Payout ${payout.id} amountCents`, payout.amountCents);
      const valueOrdinal = ordinal(payout.valueDate);
      if (valueOrdinal > asOfOrdinal) throw new RangeError(`Payout ${payout.id} is after ${asOf}`);
      return { payout, index, valueOrdinal, windowEnd: addMonths(payout.valueDate, windowMonths), left: payout.amountCents, parts: [] as { usedOn: number; amountCents: number }[] };
    })
    .sort((a, b) => a.valueOrdinal - b.valueOrdinal || a.index - b.index);

  const sortedUses = uses
    .map((use, index) => {
      assertCents('Use amountCents', use.amountCents);
      const paidOrdinal = ordinal(use.paidOn);
      if (paidOrdinal > asOfOrdinal) throw new RangeError(`Use paid on ${use.paidOn} is after ${asOf}`);
      return { paidOrdinal, amountCents: use.amountCents, index };
    })
    .sort((a, b) => a.paidOrdinal - b.paidOrdinal || a.index - b.index);

  let next = 0;
  for (const use of sortedUses) {
    let amount = use.amountCents;
    while (amount > 0 && next < open.length) {
      const payout = open[next];
      const taken = Math.min(amount, payout.left);
      if (taken > 0) {
        const usedOn = Math.max(use.paidOrdinal, payout.valueOrdinal);
        const last = payout.parts[payout.parts.length - 1];
        if (last && last.usedOn === usedOn) last.amountCents += taken;
        else payout.parts.push({ usedOn, amountCents: taken });
        payout.left -= taken;
        amount -= taken;
      }
      if (payout.left === 0) next++;
    }
  }

  const lines: LateUseLine[] = [];
  const summaries: LateUsePayout[] = [];
  for (const entry of open) {
    const { payout, windowEnd } = entry;
    const firstInterestDay = ordinal(addDays(windowEnd, 1));
    const late = entry.parts
      .filter((part) => part.usedOn >= firstInterestDay)
      .map((part) => ({ end: part.usedOn, amountCents: part.amountCents, usedOn: dayOf(part.usedOn) as string | null }));
    if (entry.left > 0) late.push({ end: asOfOrdinal, amountCents: entry.left, usedOn: null });
    const payoutLines: LateUseLine[] = [];
    for (const { end, amountCents, usedOn } of late) {
      for (const line of linesFor(amountCents, firstInterestDay, end, rates, marginBasisPoints, dayCount)) {
        payoutLines.push({ payoutId: payout.id, valueDate: payout.valueDate, windowEnd, amountCents, usedOn, ...line });
      }
    }
    lines.push(...payoutLines);
    const usedLateCents = entry.parts.filter((part) => part.usedOn >= firstInterestDay).reduce((sum, part) => sum + part.amountCents, 0);
    summaries.push({
      payoutId: payout.id,
      valueDate: payout.valueDate,
      amountCents: payout.amountCents,
      windowEnd,
      usedInWindowCents: payout.amountCents - entry.left - usedLateCents,
      usedLateCents,
      unusedCents: entry.left,
      interestCents: total(payoutLines),
    });
  }
  return { totalCents: total(lines), payouts: summaries, lines };
}
