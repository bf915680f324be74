import { describe, expect, it } from '@jest/globals';
import { DEFAULT_PAYMENT_WINDOW_MONTHS, paymentWindowProblem } from './payment-window.js';

const problem = (neededOn: string, today: string, windowMonths = DEFAULT_PAYMENT_WINDOW_MONTHS) =>
  paymentWindowProblem({ neededOn, today, windowMonths });

describe('payment window (ANBest-P Nr. 1.4)', () => {
  it('allows today up to the same day two months ahead by default', () => {
    expect(DEFAULT_PAYMENT_WINDOW_MONTHS).toBe(2);
    expect(problem('2027-03-15', '2027-03-15')).toBeNull();
    expect(problem('2027-04-30', '2027-03-15')).toBeNull();
    expect(problem('2027-05-15', '2027-03-15')).toBeNull();
  });

  it('refuses a later day and names the latest allowed one', () => {
    expect(problem('2027-05-16', '2027-03-15')).toEqual({ code: 'tooEarly', latestAllowed: '2027-05-15' });
    expect(problem('2028-01-01', '2027-03-15')).toEqual({ code: 'tooEarly', latestAllowed: '2027-05-15' });
  });

  it('refuses a day before today', () => {
    expect(problem('2027-03-14', '2027-03-15')).toEqual({ code: 'inThePast' });
    expect(problem('2026-12-31', '2027-01-01')).toEqual({ code: 'inThePast' });
  });

  it('ends on the last day of a shorter month and is not moved off a weekend', () => {
    // 31 December 2026 + 2 months: 28 February 2027, a Sunday.
    expect(problem('2027-02-28', '2026-12-31')).toBeNull();
    expect(problem('2027-03-01', '2026-12-31')).toEqual({ code: 'tooEarly', latestAllowed: '2027-02-28' });
    expect(problem('2028-03-01', '2027-12-31')).toEqual({ code: 'tooEarly', latestAllowed: '2028-02-29' });
  });

  it('follows the call\'s setting across the year end', () => {
    expect(problem('2026-12-31', '2026-11-30', 1)).toEqual({ code: 'tooEarly', latestAllowed: '2026-12-30' });
    expect(problem('2027-01-30', '2026-11-30')).toBeNull();
    expect(problem('2027-02-28', '2026-11-30', 3)).toBeNull();
    expect(problem('2027-03-01', '2026-11-30', 3)).toEqual({ code: 'tooEarly', latestAllowed: '2027-02-28' });
  });

  it('refuses malformed input', () => {
    expect(() => problem('2027-02-29', '2027-01-01')).toThrow(RangeError);
    expect(() => problem('2027-03-01', 'today')).toThrow(RangeError);
    expect(() => problem('2027-03-01', '2027-01-01', 0)).toThrow(RangeError);
  });
});
