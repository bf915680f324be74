import { describe, expect, it } from '@jest/globals';
import { PUBLISHED_BASE_RATES } from './base-rates.js';
import { type BaseRate, interestCents, lateUseInterest, repaymentInterest } from './interest.rules.js';

// Interest = principal × (base + 500) bp × days / (10 000 × day basis), rounded half up per line.
// A flat 0 % base rate makes the rate exactly 5 % where a test is about the day count only.
const FLAT: BaseRate[] = [{ from: '2020-01-01', basisPoints: 0 }];
const TEN_THOUSAND_EUROS = 1_000_000;

describe('published base rates', () => {
  it('start on 1 January 2023 and change only on 1 January or 1 July, in order', () => {
    expect(PUBLISHED_BASE_RATES[0]).toEqual({ from: '2023-01-01', basisPoints: 162 });
    const days = PUBLISHED_BASE_RATES.map((rate) => rate.from);
    expect([...days].sort()).toEqual(days);
    for (const rate of PUBLISHED_BASE_RATES) {
      expect(rate.from).toMatch(/^\d{4}-(01|07)-01$/);
      expect(Number.isInteger(rate.basisPoints)).toBe(true);
    }
    expect(PUBLISHED_BASE_RATES.find((rate) => rate.from === '2024-07-01')?.basisPoints).toBe(337);
  });
});

describe('repayment interest (§ 49a Abs. 3 VwVfG)', () => {
  it('splits at a base-rate change and applies each rate to its own days', () => {
    // 10,000.00 € from 1 June 2024, repaid 31 July 2024 (not counted), act/365:
    // 1–30 June: 30 days at 3.62 + 5 = 8.62 %: 1,000,000 × 862 × 30 / 3,650,000 = 7084.93 → 7085 ct
    // 1–30 July: 30 days at 3.37 + 5 = 8.37 %: 1,000,000 × 837 × 30 / 3,650,000 = 6879.45 → 6879 ct
    const result = repaymentInterest({ principalCents: TEN_THOUSAND_EUROS, from: '2024-06-01', until: '2024-07-31', baseRates: PUBLISHED_BASE_RATES });
    expect(result.lines).toEqual([
      { from: '2024-06-01', to: '2024-06-30', days: 30, dayBasis: 365, ratePercentBasisPoints: 862, interestCents: 7085 },
      { from: '2024-07-01', to: '2024-07-30', days: 30, dayBasis: 365, ratePercentBasisPoints: 837, interestCents: 6879 },
    ]);
    expect(result.totalCents).toBe(13_964);
  });

  it('counts a leap year as 366/365 of a year under act/365 and as one year under act/act', () => {
    // 2024 has 366 days. act/365: 1,000,000 × 500 × 366 / 3,650,000 = 50136.99 → 50137 ct.
    // act/act: 1,000,000 × 500 × 366 / 3,660,000 = 50000 ct exactly.
    const input = { principalCents: TEN_THOUSAND_EUROS, from: '2024-01-01', until: '2025-01-01', baseRates: FLAT };
    expect(repaymentInterest(input).totalCents).toBe(50_137);
    const actAct = repaymentInterest({ ...input, dayCount: 'act/act' });
    expect(actAct.totalCents).toBe(50_000);
    expect(actAct.lines).toEqual([{ from: '2024-01-01', to: '2024-12-31', days: 366, dayBasis: 366, ratePercentBasisPoints: 500, interestCents: 50_000 }]);
  });

  it('splits act/act at the year end into a 365-day and a 366-day year', () => {
    // 2 Dec 2023 to 30 Jan 2024, 60 days at 5 %:
    // act/act: 30 × 1,000,000 × 500 / 3,650,000 = 4109.59 → 4110; 30 × ... / 3,660,000 = 4098.36 → 4098
    // act/365: 60 days in one line: 8219.18 → 8219
    const input = { principalCents: TEN_THOUSAND_EUROS, from: '2023-12-02', until: '2024-01-31', baseRates: FLAT };
    const actAct = repaymentInterest({ ...input, dayCount: 'act/act' });
    expect(actAct.lines.map((line) => [line.from, line.to, line.days, line.dayBasis, line.interestCents])).toEqual([
      ['2023-12-02', '2023-12-31', 30, 365, 4110],
      ['2024-01-01', '2024-01-30', 30, 366, 4098],
    ]);
    expect(actAct.totalCents).toBe(8208);
    expect(repaymentInterest(input).lines).toHaveLength(1);
    expect(repaymentInterest(input).totalCents).toBe(8219);
  });

  it('counts 29 February as an interest day', () => {
    // 28 Feb to 1 Mar 2024 (not counted): 28 and 29 Feb, 2 days at 8.62 %:
    // 1,000,000 × 862 × 2 / 3,650,000 = 472.33 → 472 ct; act/360: / 3,600,000 = 478.89 → 479 ct
    const input = { principalCents: TEN_THOUSAND_EUROS, from: '2024-02-28', until: '2024-03-01', baseRates: PUBLISHED_BASE_RATES };
    expect(repaymentInterest(input).lines[0]).toMatchObject({ days: 2, interestCents: 472 });
    expect(repaymentInterest({ ...input, dayCount: 'act/360' }).lines[0]).toMatchObject({ days: 2, dayBasis: 360, interestCents: 479 });
  });

  it('gives no interest for a repayment on the first interest day', () => {
    expect(repaymentInterest({ principalCents: TEN_THOUSAND_EUROS, from: '2025-03-10', until: '2025-03-10', baseRates: PUBLISHED_BASE_RATES }))
      .toEqual({ totalCents: 0, lines: [] });
    // One day later: one day of interest at 2.27 + 5 = 7.27 %: 1,000,000 × 727 / 3,650,000 = 199.18 → 199 ct.
    expect(repaymentInterest({ principalCents: TEN_THOUSAND_EUROS, from: '2025-03-10', until: '2025-03-11', baseRates: PUBLISHED_BASE_RATES }).totalCents)
      .toBe(199);
  });

  it('gives no interest for a repayment on the payout day, revoked with effect from the payout', () => {
    // Revoked with effect from the value date of the payout (15 May 2024) and repaid that same day:
    // not a single day was the money withheld.
    const payoutDay = '2024-05-15';
    expect(repaymentInterest({ principalCents: TEN_THOUSAND_EUROS, from: payoutDay, until: payoutDay, baseRates: PUBLISHED_BASE_RATES }))
      .toEqual({ totalCents: 0, lines: [] });
    expect(repaymentInterest({ principalCents: TEN_THOUSAND_EUROS, from: payoutDay, until: payoutDay, baseRates: PUBLISHED_BASE_RATES, dayCount: 'act/act' }).totalCents).toBe(0);
  });

  it('rounds half up per line and totals the rounded lines', () => {
    // act/360, 36.00 € at 5 % for one day: 3600 × 500 / 3,600,000 = 0.5 ct → 1 ct; 35.99 €: 0.4999 → 0 ct.
    expect(interestCents(3600, 500, 1, 360)).toBe(1);
    expect(interestCents(3599, 500, 1, 360)).toBe(0);
    // Two one-day lines of 0.5 ct each (a rate entry on 2 Jan splits them): 1 + 1 = 2 ct, not round(1.0) = 1.
    const rates = [{ from: '2024-01-01', basisPoints: 0 }, { from: '2024-01-02', basisPoints: 0 }];
    const result = repaymentInterest({ principalCents: 3600, from: '2024-01-01', until: '2024-01-03', baseRates: rates, dayCount: 'act/360' });
    expect(result.lines.map((line) => line.interestCents)).toEqual([1, 1]);
    expect(result.totalCents).toBe(2);
  });

  it('refuses negative or fractional amounts, a reversed period and days without a base rate', () => {
    const base = { principalCents: 100, from: '2024-01-01', until: '2024-02-01', baseRates: PUBLISHED_BASE_RATES };
    expect(() => repaymentInterest({ ...base, principalCents: -1 })).toThrow(RangeError);
    expect(() => repaymentInterest({ ...base, principalCents: 10.5 })).toThrow(RangeError);
    expect(() => repaymentInterest({ ...base, marginBasisPoints: 2.5 })).toThrow(RangeError);
    expect(() => repaymentInterest({ ...base, until: '2023-12-31' })).toThrow(RangeError);
    expect(() => repaymentInterest({ ...base, until: '2024-02-30' })).toThrow(RangeError);
    expect(() => repaymentInterest({ ...base, from: '2022-12-31' })).toThrow(/No base rate known for 2022-12-31/);
    expect(() => repaymentInterest({ ...base, dayCount: '30/360' as never })).toThrow(RangeError);
    expect(() => repaymentInterest({ ...base, baseRates: [{ from: '2024-01-01', basisPoints: 1.5 }] })).toThrow(RangeError);
  });
});

describe('interest for money used late (§ 49a Abs. 4 VwVfG)', () => {
  const late = (payouts: { id: string; valueDate: string; amountCents: number }[], uses: { paidOn: string; amountCents: number }[], asOf: string, windowMonths?: number) =>
    lateUseInterest({ payouts, uses, asOf, windowMonths, baseRates: PUBLISHED_BASE_RATES });

  it('charges the part used after the window from the day after the window until the day of use', () => {
    // Payout 10,000.00 € on 31 Jan 2024; two months end on 31 March (§ 188 BGB).
    // 4,000.00 € used on 15 March: in time. 6,000.00 € used on 30 April: interest from 1 April, 29 days
    // (1–29 April) at 8.62 %: 600,000 × 862 × 29 / 3,650,000 = 4109.26 → 4109 ct.
    const result = late([{ id: 'A', valueDate: '2024-01-31', amountCents: TEN_THOUSAND_EUROS }],
      [{ paidOn: '2024-03-15', amountCents: 400_000 }, { paidOn: '2024-04-30', amountCents: 600_000 }], '2024-12-31');
    expect(result.lines).toEqual([{
      payoutId: 'A', valueDate: '2024-01-31', windowEnd: '2024-03-31', amountCents: 600_000, usedOn: '2024-04-30',
      from: '2024-04-01', to: '2024-04-29', days: 29, dayBasis: 365, ratePercentBasisPoints: 862, interestCents: 4109,
    }]);
    expect(result.payouts).toEqual([{
      payoutId: 'A', valueDate: '2024-01-31', amountCents: TEN_THOUSAND_EUROS, windowEnd: '2024-03-31',
      usedInWindowCents: 400_000, usedLateCents: 600_000, unusedCents: 0, interestCents: 4109,
    }]);
    expect(result.totalCents).toBe(4109);
  });

  it('charges nothing for money used within the window, up to its last day', () => {
    const result = late([{ id: 'A', valueDate: '2024-01-31', amountCents: TEN_THOUSAND_EUROS }],
      [{ paidOn: '2024-03-31', amountCents: TEN_THOUSAND_EUROS }], '2024-12-31');
    expect(result.totalCents).toBe(0);
    expect(result.lines).toEqual([]);
    expect(result.payouts[0]).toMatchObject({ usedInWindowCents: TEN_THOUSAND_EUROS, usedLateCents: 0, unusedCents: 0 });
  });

  it('charges nothing for money used or given back on its payout day', () => {
    const result = late([{ id: 'A', valueDate: '2024-05-15', amountCents: TEN_THOUSAND_EUROS }], [{ paidOn: '2024-05-15', amountCents: TEN_THOUSAND_EUROS }], '2024-05-15');
    expect(result).toMatchObject({ totalCents: 0, lines: [] });
    expect(result.payouts[0]).toMatchObject({ usedInWindowCents: TEN_THOUSAND_EUROS, usedLateCents: 0, unusedCents: 0, interestCents: 0 });
  });

  it('charges late use one day after the window from its first day, across a leap day', () => {
    // Payout 31 Dec 2023, window to 29 Feb 2024 (two months, § 188 Abs. 3 BGB); used on 2 March 2024:
    // interest for 1 March only, at 3.62 + 5 = 8.62 %: 1,000,000 × 862 × 1 / 3,650,000 = 236.16 → 236 ct.
    const result = late([{ id: 'A', valueDate: '2023-12-31', amountCents: TEN_THOUSAND_EUROS }], [{ paidOn: '2024-03-02', amountCents: TEN_THOUSAND_EUROS }], '2024-12-31');
    expect(result.payouts[0].windowEnd).toBe('2024-02-29');
    expect(result.lines).toEqual([expect.objectContaining({ from: '2024-03-01', to: '2024-03-01', days: 1, ratePercentBasisPoints: 862, interestCents: 236 })]);
    expect(result.totalCents).toBe(236);
  });

  it('ends a one-month window on the last day of February after 31 January', () => {
    expect(late([{ id: 'A', valueDate: '2024-01-31', amountCents: 100 }], [], '2024-02-01', 1).payouts[0].windowEnd).toBe('2024-02-29');
    expect(late([{ id: 'A', valueDate: '2023-01-31', amountCents: 100 }], [], '2023-02-01', 1).payouts[0].windowEnd).toBe('2023-02-28');
  });

  it('allocates uses to the oldest payout first (FIFO)', () => {
    // P1 5,000.00 € on 15 Jan 2024 (window to 15 Mar), P2 5,000.00 € on 15 Feb (window to 15 Apr).
    // 3,000.00 € used on 1 Mar → P1, in time. 7,000.00 € used on 15 May → 2,000.00 € of P1 and all of P2.
    // P1: 2,000.00 € from 16 Mar, 60 days (16 Mar – 14 May) at 8.62 %: 200,000 × 862 × 60 / 3,650,000 = 2833.97 → 2834 ct
    // P2: 5,000.00 € from 16 Apr, 29 days (16 Apr – 14 May) at 8.62 %: 500,000 × 862 × 29 / 3,650,000 = 3424.38 → 3424 ct
    const result = late(
      [{ id: 'P2', valueDate: '2024-02-15', amountCents: 500_000 }, { id: 'P1', valueDate: '2024-01-15', amountCents: 500_000 }],
      [{ paidOn: '2024-05-15', amountCents: 700_000 }, { paidOn: '2024-03-01', amountCents: 300_000 }],
      '2024-06-30',
    );
    expect(result.lines.map((line) => [line.payoutId, line.amountCents, line.windowEnd, line.usedOn, line.from, line.days, line.ratePercentBasisPoints, line.interestCents])).toEqual([
      ['P1', 200_000, '2024-03-15', '2024-05-15', '2024-03-16', 60, 862, 2834],
      ['P2', 500_000, '2024-04-15', '2024-05-15', '2024-04-16', 29, 862, 3424],
    ]);
    expect(result.payouts.map((payout) => [payout.payoutId, payout.usedInWindowCents, payout.usedLateCents, payout.unusedCents, payout.interestCents])).toEqual([
      ['P1', 300_000, 200_000, 0, 2834],
      ['P2', 0, 500_000, 0, 3424],
    ]);
    expect(result.totalCents).toBe(6258);
  });

  it('charges money still unused until the given day, across a base-rate change', () => {
    // 1,000.00 € paid out on 1 May 2024, window to 1 July, never used; as of 1 Aug 2024:
    // 2 July – 31 July, 30 days at 3.37 + 5 = 8.37 %: 100,000 × 837 × 30 / 3,650,000 = 687.95 → 688 ct.
    // Paid out on 1 April (window to 1 June), as of 1 Aug: 2–30 June, 29 days at 8.62 %:
    // 100,000 × 862 × 29 / 3,650,000 = 684.88 → 685 ct; 1–31 July, 31 days at 8.37 %: 710.88 → 711 ct.
    const july = late([{ id: 'A', valueDate: '2024-05-01', amountCents: 100_000 }], [], '2024-08-01');
    expect(july.lines).toEqual([expect.objectContaining({ usedOn: null, from: '2024-07-02', to: '2024-07-31', days: 30, ratePercentBasisPoints: 837, interestCents: 688 })]);
    expect(july.payouts[0].unusedCents).toBe(100_000);
    const split = late([{ id: 'B', valueDate: '2024-04-01', amountCents: 100_000 }], [], '2024-08-01');
    expect(split.lines.map((line) => [line.from, line.to, line.days, line.ratePercentBasisPoints, line.interestCents])).toEqual([
      ['2024-06-02', '2024-06-30', 29, 862, 685],
      ['2024-07-01', '2024-07-31', 31, 837, 711],
    ]);
    expect(split.totalCents).toBe(1396);
  });

  it('counts money spent before its payout (pre-financed) as used on the value date', () => {
    const result = late([{ id: 'A', valueDate: '2024-03-01', amountCents: 50_000 }], [{ paidOn: '2024-02-10', amountCents: 80_000 }], '2024-12-31');
    expect(result.totalCents).toBe(0);
    expect(result.payouts[0]).toMatchObject({ usedInWindowCents: 50_000, unusedCents: 0 });
  });

  it('refuses bad input', () => {
    const payouts = [{ id: 'A', valueDate: '2024-03-01', amountCents: 50_000 }];
    expect(() => late([{ id: 'A', valueDate: '2024-03-01', amountCents: -1 }], [], '2024-12-31')).toThrow(RangeError);
    expect(() => late(payouts, [{ paidOn: '2024-04-01', amountCents: 0.5 }], '2024-12-31')).toThrow(RangeError);
    expect(() => late(payouts, [], '2024-12-31', 0)).toThrow(RangeError);
    expect(() => late(payouts, [], '2024-12-31', 1.5)).toThrow(RangeError);
    expect(() => late([...payouts, ...payouts], [], '2024-12-31')).toThrow(RangeError);
    expect(() => late(payouts, [{ paidOn: '2025-01-01', amountCents: 1 }], '2024-12-31')).toThrow(RangeError);
    expect(() => late(payouts, [], '2024-02-01')).toThrow(RangeError);
  });
});
