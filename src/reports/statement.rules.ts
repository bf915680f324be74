import { assertCents } from '../common/money.js';

/** Default allowed overrun of a single cost line in percent (ANBest-P Nr. 1.2); a call setting. */
export const DEFAULT_LINE_DEVIATION_PERCENT = 20;

/** A cost line of the approved finance plan with what was actually spent on it. */
export interface StatementLine {
  key: string;
  category: string;
  description: string;
  plannedCents: number;
  /** null while the grantee has not entered it yet. */
  actualCents: number | null;
}

/** A line of the receipt list (Belegliste), booked to one cost line. */
export interface ReceiptAmount {
  amountCents: number;
  costLineKey: string;
}

/**
 * The financial statement (zahlenmäßiger Nachweis) laid out like the approved finance plan, with all
 * income actually received. Money in integer cents; null means "not entered yet".
 */
export interface StatementInput {
  lines: StatementLine[];
  /** The total of costs the award approved. */
  approvedTotalCents: number;
  ownFundsCents: number | null;
  thirdPartyCents: number | null;
  otherIncomeCents: number | null;
  /** Allowed overrun of a single line in percent (call setting, default 20). */
  allowedDeviationPercent?: number;
  receipts: ReceiptAmount[];
}

export type MissingFigure = 'actualCents' | 'ownFundsCents' | 'thirdPartyCents' | 'otherIncomeCents';

export type StatementProblem =
  /** A figure not entered; `key` names the cost line for 'actualCents'. */
  | { code: 'figureMissing'; field: MissingFigure; key?: string }
  /** The line exceeds its plan by more than the allowed percent; `allowedOverCents` is the most it may exceed. */
  | { code: 'lineOverDeviation'; key: string; plannedCents: number; actualCents: number; overCents: number; allowedOverCents: number; percent: number }
  /** Part of the line's overrun (within the allowed percent) is not covered by savings on other lines. */
  | { code: 'lineOverNotCovered'; key: string; plannedCents: number; actualCents: number; overCents: number; uncoveredCents: number }
  /** The total actual costs exceed the approved total. */
  | { code: 'totalOverApproved'; actualTotalCents: number; approvedTotalCents: number; overCents: number }
  /** The receipts booked to the line do not add up to its actual figure; `differenceCents` = receipts − statement. */
  | { code: 'receiptsMismatch'; key: string; statedCents: number; receiptsCents: number; differenceCents: number }
  /** Receipts booked to a cost line the plan does not have. */
  | { code: 'receiptUnknownLine'; costLineKey: string; receiptsCents: number };

export interface StatementCheck {
  problems: StatementProblem[];
  totals: {
    plannedCents: number;
    /** Sum of the actual figures entered so far (missing ones count as 0). */
    actualCents: number;
    receiptsCents: number;
    /** Sum of underspending over all lines (planned − actual where actual is lower). */
    savingsCents: number;
    /** Sum of overruns over all lines (actual − planned where actual is higher). */
    overrunCents: number;
    incomeCents: number;
  };
}

/**
 * The checks on a financial statement against the approved finance plan: shown while the grantee
 * types and again on submission; an empty `problems` list means the statement may be submitted.
 *
 * ANBest-P Nr. 1.2: the finance plan is binding in total; a single cost line may be exceeded by up
 * to `allowedDeviationPercent` (20 %) of its planned amount as far as savings on other lines cover it.
 * - The percent is compared exactly in integers (overrun × 100 ≤ planned × percent), so exactly 20 %
 *   is allowed and one cent more is not; no rounding is involved.
 * - Savings are pooled over all lines that came in under plan and used for the allowed part of the
 *   overruns in plan order; the line whose overrun is left uncovered is flagged with the uncovered
 *   amount. The part of an overrun beyond the percent is flagged as such and never counts as covered.
 * - The total of actual costs may not exceed the approved total (the plan binds in total).
 * - The receipts per cost line must add up exactly to the line's actual figure (ANBest-P Nr. 6: the
 *   numeric statement follows the plan's lines and is backed by the receipt list); receipts booked to
 *   an unknown line are flagged.
 *
 * Non-integer or negative amounts, a bad percent or duplicate line keys throw a RangeError: callers
 * validate user input first (→ 422).
 */
export function checkStatement(input: StatementInput): StatementCheck {
  const percent = input.allowedDeviationPercent ?? DEFAULT_LINE_DEVIATION_PERCENT;
  validate(input, percent);
  const problems: StatementProblem[] = [];

  for (const line of input.lines) {
    if (line.actualCents === null) problems.push({ code: 'figureMissing', field: 'actualCents', key: line.key });
  }
  for (const field of ['ownFundsCents', 'thirdPartyCents', 'otherIncomeCents'] as const) {
    if (input[field] === null) problems.push({ code: 'figureMissing', field });
  }

  let savingsCents = 0;
  let overrunCents = 0;
  for (const line of input.lines) {
    if (line.actualCents === null) continue;
    if (line.actualCents < line.plannedCents) savingsCents += line.plannedCents - line.actualCents;
    else overrunCents += line.actualCents - line.plannedCents;
  }

  let savingsLeft = savingsCents;
  for (const line of input.lines) {
    const actual = line.actualCents;
    if (actual === null || actual <= line.plannedCents) continue;
    const over = actual - line.plannedCents;
    const base = { key: line.key, plannedCents: line.plannedCents, actualCents: actual, overCents: over };
    const allowedOverCents = Math.floor((line.plannedCents * percent) / 100);
    if (over * 100 > line.plannedCents * percent) problems.push({ code: 'lineOverDeviation', ...base, allowedOverCents, percent });
    const admissible = Math.min(over, allowedOverCents);
    const covered = Math.min(admissible, savingsLeft);
    savingsLeft -= covered;
    if (covered < admissible) problems.push({ code: 'lineOverNotCovered', ...base, uncoveredCents: admissible - covered });
  }

  const plannedCents = sum(input.lines.map((line) => line.plannedCents));
  const actualCents = sum(input.lines.map((line) => line.actualCents ?? 0));
  if (actualCents > input.approvedTotalCents) {
    problems.push({ code: 'totalOverApproved', actualTotalCents: actualCents, approvedTotalCents: input.approvedTotalCents, overCents: actualCents - input.approvedTotalCents });
  }

  const receiptsByLine = new Map<string, number>();
  for (const receipt of input.receipts) receiptsByLine.set(receipt.costLineKey, (receiptsByLine.get(receipt.costLineKey) ?? 0) + receipt.amountCents);
  for (const line of input.lines) {
    if (line.actualCents === null) continue;
    const receiptsCents = receiptsByLine.get(line.key) ?? 0;
    if (receiptsCents !== line.actualCents) {
      problems.push({ code: 'receiptsMismatch', key: line.key, statedCents: line.actualCents, receiptsCents, differenceCents: receiptsCents - line.actualCents });
    }
  }
  const known = new Set(input.lines.map((line) => line.key));
  for (const [costLineKey, receiptsCents] of receiptsByLine) {
    if (!known.has(costLineKey)) problems.push({ code: 'receiptUnknownLine', costLineKey, receiptsCents });
  }

  const incomeCents = (input.ownFundsCents ?? 0) + (input.thirdPartyCents ?? 0) + (input.otherIncomeCents ?? 0);
  const receiptsCents = sum(input.receipts.map((receipt) => receipt.amountCents));
  return { problems, totals: { plannedCents, actualCents, receiptsCents, savingsCents, overrunCents, incomeCents } };
}

function validate(input: StatementInput, percent: number): void {
  if (!Number.isSafeInteger(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`allowedDeviationPercent must be a whole number from 0 to 100, not ${String(percent)}`);
  }
  assertCents('approvedTotalCents', input.approvedTotalCents);
  for (const field of ['ownFundsCents', 'thirdPartyCents', 'otherIncomeCents'] as const) {
    const value = input[field];
    if (value !== null) assertCents(field, value);
  }
  const keys = new Set<string>();
  input.lines.forEach((line, i) => {
    if (keys.has(line.key)) throw new RangeError(`lines.${i}.key: duplicate cost line key "${line.key}"`);
    keys.add(line.key);
    assertCents(`lines.${i}.plannedCents`, line.plannedCents);
    if (line.actualCents !== null) assertCents(`lines.${i}.actualCents`, line.actualCents);
  });
  input.receipts.forEach((receipt, i) => assertCents(`receipts.${i}.amountCents`, receipt.amountCents));
}

function sum(values: number[]): number {
  const total = values.reduce((acc, value) => acc + value, 0);
  if (!Number.isSafeInteger(total)) throw new RangeError('the amounts add up beyond the safe integer range');
  return total;
}
