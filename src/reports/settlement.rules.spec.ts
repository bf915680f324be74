import { describe, expect, it } from '@jest/globals';
import { settle, type SettlementInput } from './settlement.rules.js';

// Plan: costs 10,000 €, own funds 1,000 €, third-party 1,000 €, award 8,000 € (paid in full).
const deficit = (overrides: Partial<SettlementInput> = {}): SettlementInput => ({
  financeType: 'deficit',
  sharePercent: null,
  awardedCents: 800_000,
  paidCents: 800_000,
  admittedCostsCents: 1_000_000,
  ownFundsCents: 100_000,
  thirdPartyCents: 100_000,
  otherIncomeCents: 0,
  ...overrides,
});

describe('deficit financing (Fehlbedarf)', () => {
  it('is settled when everything went as planned, with the computation line by line', () => {
    expect(settle(deficit())).toEqual({
      dueCents: 800_000,
      paidCents: 800_000,
      differenceCents: 0,
      outcome: 'settled',
      lines: [
        { key: 'admittedCosts', cents: 1_000_000 },
        { key: 'lessOwnFunds', cents: 100_000 },
        { key: 'lessThirdParty', cents: 100_000 },
        { key: 'lessOtherIncome', cents: 0 },
        { key: 'deficit', cents: 800_000 },
        { key: 'due', cents: 800_000 },
        { key: 'paid', cents: 800_000 },
        { key: 'settled', cents: 0 },
      ],
    });
  });

  it('reduces the grant in full when the project was cheaper', () => {
    const result = settle(deficit({ admittedCostsCents: 950_001 }));
    expect(result).toMatchObject({ dueCents: 750_001, differenceCents: -49_999, outcome: 'repayment' });
    expect(result.lines.at(-1)).toEqual({ key: 'repayment', cents: 49_999 });
  });

  it('reduces the grant in full by more income', () => {
    expect(settle(deficit({ otherIncomeCents: 30_000, thirdPartyCents: 150_000 }))).toMatchObject({ dueCents: 720_000, differenceCents: -80_000, outcome: 'repayment' });
  });

  it('never goes above the award when costs rose or income fell', () => {
    const result = settle(deficit({ admittedCostsCents: 1_100_000, paidCents: 600_000 }));
    expect(result).toMatchObject({ dueCents: 800_000, differenceCents: 200_000, outcome: 'final_payment' });
    expect(result.lines).toContainEqual({ key: 'limitedToAward', cents: 800_000 });
    expect(result.lines.at(-1)).toEqual({ key: 'finalPayment', cents: 200_000 });
  });

  it('never goes below 0 when income exceeds the costs, reclaiming all that was paid', () => {
    expect(settle(deficit({ admittedCostsCents: 150_000 }))).toMatchObject({ dueCents: 0, differenceCents: -800_000, outcome: 'repayment' });
  });

  it('counts own funds at least at the planned amount when given', () => {
    // 500 € less costs and 500 € less own funds: without the plan's own funds the grant would stay 8,000 €.
    const input = deficit({ admittedCostsCents: 950_000, ownFundsCents: 50_000 });
    expect(settle(input).dueCents).toBe(800_000);
    const result = settle({ ...input, plannedOwnFundsCents: 100_000 });
    expect(result).toMatchObject({ dueCents: 750_000, differenceCents: -50_000, outcome: 'repayment' });
    expect(result.lines).toContainEqual({ key: 'lessOwnFunds', cents: 100_000, plannedCents: 100_000 });
    expect(settle({ ...input, ownFundsCents: 120_000, plannedOwnFundsCents: 100_000 }).dueCents).toBe(730_000);
  });
});

describe('share financing (Anteil)', () => {
  const share = (overrides: Partial<SettlementInput> = {}): SettlementInput => deficit({ financeType: 'share', sharePercent: 80, ...overrides });

  it('pays the share of the admitted costs; cheaper means less, more income changes nothing', () => {
    expect(settle(share())).toMatchObject({ dueCents: 800_000, outcome: 'settled' });
    const cheaper = settle(share({ admittedCostsCents: 900_000, otherIncomeCents: 50_000 }));
    expect(cheaper).toMatchObject({ dueCents: 720_000, differenceCents: -80_000, outcome: 'repayment' });
    expect(cheaper.lines.slice(0, 2)).toEqual([{ key: 'admittedCosts', cents: 900_000 }, { key: 'shareOfCosts', cents: 720_000, percent: 80 }]);
  });

  it('rounds the share down to the whole cent, in integers', () => {
    // 33 % of 10,001 cents is 3,300.33 cents; 29 % of 100 cents is 29 exactly (0.29 * 100 is 28.999… in floats).
    expect(settle(share({ sharePercent: 33, admittedCostsCents: 10_001, awardedCents: 5_000, paidCents: 0 })).dueCents).toBe(3_300);
    expect(settle(share({ sharePercent: 29, admittedCostsCents: 100, awardedCents: 5_000, paidCents: 0 })).dueCents).toBe(29);
    expect(settle(share({ sharePercent: 67, admittedCostsCents: 1_999, awardedCents: 5_000, paidCents: 0 })).dueCents).toBe(1_339);
  });

  it('never goes above the award', () => {
    const result = settle(share({ admittedCostsCents: 1_200_000, paidCents: 700_000 }));
    expect(result).toMatchObject({ dueCents: 800_000, differenceCents: 100_000, outcome: 'final_payment' });
    expect(result.lines).toContainEqual({ key: 'limitedToAward', cents: 800_000 });
  });
});

describe('fixed amount (Festbetrag)', () => {
  const fixed = (overrides: Partial<SettlementInput> = {}): SettlementInput => deficit({ financeType: 'fixed', awardedCents: 200_000, paidCents: 200_000, ...overrides });

  it('is not reduced by lower costs or more income while the costs stay above the amount', () => {
    expect(settle(fixed({ admittedCostsCents: 300_000, otherIncomeCents: 250_000 }))).toMatchObject({ dueCents: 200_000, differenceCents: 0, outcome: 'settled' });
  });

  it('is reduced to the admitted costs when they fall below the amount', () => {
    const result = settle(fixed({ admittedCostsCents: 150_000 }));
    expect(result).toMatchObject({ dueCents: 150_000, differenceCents: -50_000, outcome: 'repayment' });
    expect(result.lines).toEqual([
      { key: 'fixedAmount', cents: 200_000 },
      { key: 'admittedCosts', cents: 150_000 },
      { key: 'limitedToCosts', cents: 150_000 },
      { key: 'due', cents: 150_000 },
      { key: 'paid', cents: 200_000 },
      { key: 'repayment', cents: 50_000 },
    ]);
  });

  it('is paid in full at costs exactly equal to the amount, and the rest is a final payment', () => {
    expect(settle(fixed({ admittedCostsCents: 200_000, paidCents: 120_000 }))).toMatchObject({ dueCents: 200_000, differenceCents: 80_000, outcome: 'final_payment' });
  });

  it('is 0 when no costs were admitted', () => {
    expect(settle(fixed({ admittedCostsCents: 0 }))).toMatchObject({ dueCents: 0, differenceCents: -200_000, outcome: 'repayment' });
  });
});

describe('bad input', () => {
  it('throws on fractional or negative cents and a missing or fractional share', () => {
    expect(() => settle(deficit({ admittedCostsCents: 1_000_000.5 }))).toThrow(/admittedCostsCents/);
    expect(() => settle(deficit({ paidCents: -1 }))).toThrow(/paidCents/);
    expect(() => settle(deficit({ plannedOwnFundsCents: 0.01 }))).toThrow(/plannedOwnFundsCents/);
    expect(() => settle(deficit({ financeType: 'share', sharePercent: null }))).toThrow(/sharePercent/);
    expect(() => settle(deficit({ financeType: 'share', sharePercent: 12.5 }))).toThrow(/sharePercent/);
    expect(() => settle(deficit({ financeType: 'share', sharePercent: 101 }))).toThrow(/sharePercent/);
    expect(() => settle(deficit({ financeType: 'lump' as never }))).toThrow(/finance type/);
  });
});
