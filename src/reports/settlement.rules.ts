import type { FinanceType } from '../calls/call.types.js';
import { assertCents } from '../common/money.js';
import type { SettlementLine } from './report.types.js';

export type { SettlementLine } from './report.types.js';

/** The figures the office admitted after checking the usage report, and what the award granted and paid. */
export interface SettlementInput {
  financeType: FinanceType;
  /** For 'share': the city's share of the costs in whole percent (1–100). */
  sharePercent: number | null;
  /** The amount of the award (Zuwendungsbescheid): the cap for every finance type. */
  awardedCents: number;
  /** Paid out so far. */
  paidCents: number;
  admittedCostsCents: number;
  ownFundsCents: number;
  thirdPartyCents: number;
  otherIncomeCents: number;
  /**
   * Deficit financing only, optional: the own funds of the approved plan. Own funds then count at
   * least with this amount, so that spending less of one's own money does not raise the grant.
   */
  plannedOwnFundsCents?: number;
}

export type SettlementOutcome = 'final_payment' | 'repayment' | 'settled';

export interface Settlement {
  dueCents: number;
  paidCents: number;
  /** dueCents − paidCents: positive is a final payment to the grantee, negative a repayment claim. */
  differenceCents: number;
  outcome: SettlementOutcome;
  lines: SettlementLine[];
}

/**
 * The final settlement (Schlussabrechnung): the grant finally due from the admitted figures, and
 * what remains to be paid or reclaimed. Integer cents throughout.
 *
 * - `deficit` (Fehlbedarfsfinanzierung, VV Nr. 2.2.2 zu § 44 LHO NRW): admitted costs − own funds −
 *   third-party funds − other income. Lower costs or more income reduce the grant in full
 *   (ANBest-P Nr. 2.1.2). Exact in integers, no rounding.
 * - `share` (Anteilfinanzierung, VV Nr. 2.2.1): `sharePercent` of the admitted costs, computed as
 *   floor(costs × percent / 100) in integers. Rounded down to the whole cent: the grant never exceeds
 *   the share the award names (a fraction of a cent is never paid on a percentage) and no float
 *   arithmetic is involved; it is the same rounding the application's maximum uses.
 * - `fixed` (Festbetragsfinanzierung, VV Nr. 2.2.3): the award's amount; more income does not reduce
 *   it, only admitted costs below it do, down to those costs (a grant never exceeds the costs).
 * Each result is capped at the award (the award letter's amount is the maximum) and never below 0.
 * A difference to what was paid is a final payment or a repayment claim (§ 49a VwVfG).
 *
 * Non-integer or negative amounts or a share percent outside 1–100 throw a RangeError: callers
 * validate user input first (→ 422).
 */
export function settle(input: SettlementInput): Settlement {
  validate(input);
  const lines: SettlementLine[] = [];
  let computed: number;

  switch (input.financeType) {
    case 'deficit': {
      const planned = input.plannedOwnFundsCents;
      const ownFunds = planned === undefined ? input.ownFundsCents : Math.max(input.ownFundsCents, planned);
      lines.push({ key: 'admittedCosts', cents: input.admittedCostsCents });
      lines.push(planned !== undefined && planned > input.ownFundsCents ? { key: 'lessOwnFunds', cents: ownFunds, plannedCents: planned } : { key: 'lessOwnFunds', cents: ownFunds });
      lines.push({ key: 'lessThirdParty', cents: input.thirdPartyCents });
      lines.push({ key: 'lessOtherIncome', cents: input.otherIncomeCents });
      computed = input.admittedCostsCents - ownFunds - input.thirdPartyCents - input.otherIncomeCents;
      lines.push({ key: 'deficit', cents: Math.max(0, computed) });
      break;
    }
    case 'share': {
      const percent = input.sharePercent as number;
      computed = Math.floor((input.admittedCostsCents * percent) / 100);
      lines.push({ key: 'admittedCosts', cents: input.admittedCostsCents });
      lines.push({ key: 'shareOfCosts', cents: computed, percent });
      break;
    }
    case 'fixed': {
      lines.push({ key: 'fixedAmount', cents: input.awardedCents });
      lines.push({ key: 'admittedCosts', cents: input.admittedCostsCents });
      computed = input.awardedCents;
      if (input.admittedCostsCents < computed) {
        computed = input.admittedCostsCents;
        lines.push({ key: 'limitedToCosts', cents: computed });
      }
      break;
    }
  }

  // Only a deficit can come out negative (more income than costs); its line already shows 0.
  let dueCents = Math.max(0, computed);
  if (dueCents > input.awardedCents) {
    dueCents = input.awardedCents;
    lines.push({ key: 'limitedToAward', cents: dueCents });
  }
  lines.push({ key: 'due', cents: dueCents });
  lines.push({ key: 'paid', cents: input.paidCents });

  const differenceCents = dueCents - input.paidCents;
  const outcome: SettlementOutcome = differenceCents > 0 ? 'final_payment' : differenceCents < 0 ? 'repayment' : 'settled';
  lines.push({ key: outcome === 'final_payment' ? 'finalPayment' : outcome, cents: Math.abs(differenceCents) });
  return { dueCents, paidCents: input.paidCents, differenceCents, outcome, lines };
}

function validate(input: SettlementInput): void {
  for (const field of ['awardedCents', 'paidCents', 'admittedCostsCents', 'ownFundsCents', 'thirdPartyCents', 'otherIncomeCents'] as const) {
    assertCents(field, input[field]);
  }
  if (input.plannedOwnFundsCents !== undefined) assertCents('plannedOwnFundsCents', input.plannedOwnFundsCents);
  if (input.financeType === 'share') {
    const percent = input.sharePercent;
    if (percent === null || !Number.isInteger(percent) || percent < 1 || percent > 100) {
      throw new RangeError(`sharePercent must be a whole number from 1 to 100 for share financing, not ${String(percent)}`);
    }
    // costs × percent must stay exact in a double.
    if (!Number.isSafeInteger(input.admittedCostsCents * percent)) throw new RangeError('admittedCostsCents is too large');
  } else if (!(['deficit', 'fixed'] as string[]).includes(input.financeType)) {
    throw new RangeError(`unknown finance type ${String(input.financeType)}`);
  }
}
