import { addMonths, assertCalendarDay } from './calendar-days.js';

/** Default months ahead for which funds may be requested (ANBest-P Nr. 1.4); a call setting. */
export const DEFAULT_PAYMENT_WINDOW_MONTHS = 2;

export interface PaymentWindowInput {
  /** Day the requested money is needed for payments due (YYYY-MM-DD). */
  neededOn: string;
  /** The Berlin calendar day of the request (YYYY-MM-DD). */
  today: string;
  /** Months ahead a payment may be due (call setting, default 2). */
  windowMonths: number;
}

export type PaymentWindowProblem =
  | { code: 'tooEarly'; latestAllowed: string }
  | { code: 'inThePast' };

/**
 * Whether funds may be requested for a payment due on `neededOn`; null when they may.
 *
 * ANBest-P Nr. 1.4 (made part of every award): funds may be requested only as far as they are needed
 * for payments due within two months. The window is counted from the day of the request rather than
 * from the later payout, which keeps within the rule. Its last day is `today` plus `windowMonths`
 * months by the month arithmetic of § 188 Abs. 2 and 3 BGB (same day number, or the target month's
 * last day when it is shorter), given as `latestAllowed` with 'tooEarly'. It is not moved off weekends
 * or holidays: it limits a due date, it is not a period for an act. A day before `today` is refused
 * as 'inThePast'; `today` itself is allowed. Invalid input throws a RangeError, so callers validate
 * user input first.
 */
export function paymentWindowProblem(input: PaymentWindowInput): PaymentWindowProblem | null {
  const { neededOn, today, windowMonths } = input;
  assertCalendarDay(neededOn);
  assertCalendarDay(today);
  if (!Number.isInteger(windowMonths) || windowMonths < 1) {
    throw new RangeError(`windowMonths must be a positive whole number, not ${String(windowMonths)}`);
  }
  // YYYY-MM-DD strings compare in calendar order.
  if (neededOn < today) return { code: 'inThePast' };
  const latestAllowed = addMonths(today, windowMonths);
  if (neededOn > latestAllowed) return { code: 'tooEarly', latestAllowed };
  return null;
}
