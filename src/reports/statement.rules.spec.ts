import { describe, expect, it } from '@jest/globals';
import { checkStatement, type StatementInput, type StatementLine } from './statement.rules.js';

const line = (key: string, plannedCents: number, actualCents: number | null): StatementLine => ({ key, category: 'Honorare', description: `line ${key}`, plannedCents, actualCents });

/** A statement whose receipts match each line exactly, with all income entered. */
function statement(lines: StatementLine[], overrides: Partial<StatementInput> = {}): StatementInput {
  return {
    lines,
    approvedTotalCents: lines.reduce((sum, l) => sum + l.plannedCents, 0),
    ownFundsCents: 50_000,
    thirdPartyCents: 0,
    otherIncomeCents: 0,
    receipts: lines.filter((l) => l.actualCents !== null && l.actualCents > 0).map((l) => ({ amountCents: l.actualCents as number, costLineKey: l.key })),
    ...overrides,
  };
}

describe('the 20 % rule (ANBest-P Nr. 1.2)', () => {
  it('allows a line exactly 20 % over when savings on another line cover it', () => {
    const check = checkStatement(statement([line('a', 100_000, 120_000), line('b', 50_000, 30_000)]));
    expect(check.problems).toEqual([]);
    expect(check.totals).toMatchObject({ plannedCents: 150_000, actualCents: 150_000, savingsCents: 20_000, overrunCents: 20_000 });
  });

  it('flags a line 20 % and one cent over, naming the figures', () => {
    const check = checkStatement(statement([line('a', 100_000, 120_001), line('b', 50_000, 29_000)]));
    expect(check.problems).toEqual([
      { code: 'lineOverDeviation', key: 'a', plannedCents: 100_000, actualCents: 120_001, overCents: 20_001, allowedOverCents: 20_000, percent: 20 },
    ]);
  });

  it('compares the percent exactly, without rounding, on amounts that do not divide evenly', () => {
    // 20 % of 333 cents is 66.6 cents: 66 cents over is allowed, 67 is not.
    expect(checkStatement(statement([line('a', 333, 399), line('b', 1_000, 900)])).problems).toEqual([]);
    expect(checkStatement(statement([line('a', 333, 400), line('b', 1_000, 900)])).problems.map((p) => p.code)).toEqual(['lineOverDeviation']);
  });

  it('flags a line 10 % over when no other line saved anything', () => {
    const check = checkStatement(statement([line('a', 100_000, 110_000), line('b', 50_000, 50_000)], { approvedTotalCents: 200_000 }));
    expect(check.problems).toEqual([
      { code: 'lineOverNotCovered', key: 'a', plannedCents: 100_000, actualCents: 110_000, overCents: 10_000, uncoveredCents: 10_000 },
    ]);
  });

  it('flags only the part of an overrun that the savings do not cover, using them in plan order', () => {
    const check = checkStatement(statement([line('a', 100_000, 110_000), line('b', 100_000, 110_000), line('c', 100_000, 85_000)], { approvedTotalCents: 400_000 }));
    expect(check.problems).toEqual([
      { code: 'lineOverNotCovered', key: 'b', plannedCents: 100_000, actualCents: 110_000, overCents: 10_000, uncoveredCents: 5_000 },
    ]);
  });

  it('takes the allowed percent from the call setting', () => {
    const lines = [line('a', 100_000, 125_000), line('b', 50_000, 25_000)];
    expect(checkStatement(statement(lines)).problems.map((p) => p.code)).toEqual(['lineOverDeviation']);
    expect(checkStatement(statement(lines, { allowedDeviationPercent: 25 })).problems).toEqual([]);
    expect(checkStatement(statement([line('a', 100_000, 100_001), line('b', 50_000, 0)], { allowedDeviationPercent: 0 })).problems.map((p) => p.code)).toEqual(['lineOverDeviation']);
  });

  it('treats spending on a line planned at zero as over the allowed deviation', () => {
    const check = checkStatement(statement([line('a', 0, 1_000), line('b', 50_000, 40_000)]));
    expect(check.problems).toEqual([{ code: 'lineOverDeviation', key: 'a', plannedCents: 0, actualCents: 1_000, overCents: 1_000, allowedOverCents: 0, percent: 20 }]);
  });
});

describe('the total', () => {
  it('flags total actual costs over the approved total', () => {
    const check = checkStatement(statement([line('a', 100_000, 100_000), line('b', 50_000, 55_000)], { approvedTotalCents: 150_000 }));
    expect(check.problems).toContainEqual({ code: 'totalOverApproved', actualTotalCents: 155_000, approvedTotalCents: 150_000, overCents: 5_000 });
  });

  it('accepts a total exactly at the approved total and below it', () => {
    expect(checkStatement(statement([line('a', 100_000, 100_000)])).problems).toEqual([]);
    expect(checkStatement(statement([line('a', 100_000, 99_999)])).problems).toEqual([]);
  });
});

describe('the receipt list', () => {
  it('flags a line whose receipts do not add up, with the difference', () => {
    const check = checkStatement(statement([line('a', 100_000, 100_000)], {
      receipts: [{ amountCents: 60_000, costLineKey: 'a' }, { amountCents: 39_950, costLineKey: 'a' }],
    }));
    expect(check.problems).toEqual([{ code: 'receiptsMismatch', key: 'a', statedCents: 100_000, receiptsCents: 99_950, differenceCents: -50 }]);
    expect(check.totals.receiptsCents).toBe(99_950);
  });

  it('flags receipts over the statement, a line without receipts and receipts on an unknown line', () => {
    const check = checkStatement(statement([line('a', 100_000, 100_000), line('b', 20_000, 20_000)], {
      receipts: [{ amountCents: 100_010, costLineKey: 'a' }, { amountCents: 700, costLineKey: 'x' }],
    }));
    expect(check.problems).toEqual([
      { code: 'receiptsMismatch', key: 'a', statedCents: 100_000, receiptsCents: 100_010, differenceCents: 10 },
      { code: 'receiptsMismatch', key: 'b', statedCents: 20_000, receiptsCents: 0, differenceCents: -20_000 },
      { code: 'receiptUnknownLine', costLineKey: 'x', receiptsCents: 700 },
    ]);
  });
});

describe('missing figures', () => {
  it('names each figure not entered yet and checks the rest', () => {
    const check = checkStatement(statement([line('a', 100_000, null), line('b', 50_000, 50_000)], { ownFundsCents: null, otherIncomeCents: null }));
    expect(check.problems).toEqual([
      { code: 'figureMissing', field: 'actualCents', key: 'a' },
      { code: 'figureMissing', field: 'ownFundsCents' },
      { code: 'figureMissing', field: 'otherIncomeCents' },
    ]);
  });

  it('counts zero as entered', () => {
    expect(checkStatement(statement([line('a', 100_000, 0)], { ownFundsCents: 0 })).problems).toEqual([]);
  });
});

describe('bad input', () => {
  it('throws on fractional, negative or non-finite cents, a bad percent and duplicate keys', () => {
    expect(() => checkStatement(statement([line('a', 100_000, 100_000.5)]))).toThrow(/lines\.0\.actualCents/);
    expect(() => checkStatement(statement([line('a', -1, 0)], { approvedTotalCents: 0 }))).toThrow(/lines\.0\.plannedCents/);
    expect(() => checkStatement(statement([line('a', 100, 100)], { ownFundsCents: Number.NaN }))).toThrow(/ownFundsCents/);
    expect(() => checkStatement(statement([line('a', 100, 100)], { approvedTotalCents: 1.5 }))).toThrow(/approvedTotalCents/);
    expect(() => checkStatement(statement([line('a', 100, 100)], { receipts: [{ amountCents: 0.1, costLineKey: 'a' }] }))).toThrow(/receipts\.0\.amountCents/);
    expect(() => checkStatement(statement([line('a', 100, 100)], { allowedDeviationPercent: 12.5 }))).toThrow(RangeError);
    expect(() => checkStatement(statement([line('a', 100, 100), line('a', 100, 100)]))).toThrow(/duplicate/);
  });
});
