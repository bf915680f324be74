/**
 * The lines of the controlling computations (final settlement, repayment interest, interest for
 * late use) as the rules return them and the letters show them: shared by `*.rules.ts` and the
 * documents, which see no rules.
 */

/**
 * One line of the computation, for the settlement page and the letter, in order. `cents` is the
 * line's amount (always ≥ 0); the key says whether it is a figure, a deduction or a result.
 */
export type SettlementLine =
  | { key: 'admittedCosts'; cents: number }
  | { key: 'lessOwnFunds'; cents: number; plannedCents?: number }
  | { key: 'lessThirdParty'; cents: number }
  | { key: 'lessOtherIncome'; cents: number }
  | { key: 'deficit'; cents: number }
  | { key: 'shareOfCosts'; cents: number; percent: number }
  | { key: 'fixedAmount'; cents: number }
  | { key: 'limitedToCosts'; cents: number }
  | { key: 'limitedToAward'; cents: number }
  | { key: 'due'; cents: number }
  | { key: 'paid'; cents: number }
  | { key: 'finalPayment' | 'repayment' | 'settled'; cents: number };

export interface InterestLine {
  /** First interest day of the line. */
  from: string;
  /** Last interest day of the line (inclusive). */
  to: string;
  days: number;
  /** Days per year the line's days are divided by: 365, 360, or 365/366 for act/act. */
  dayBasis: number;
  /** Base rate plus margin, per year, in basis points. */
  ratePercentBasisPoints: number;
  interestCents: number;
}

/** One line of the computation, as shown on the page and in the letter. */
export interface LateUseLine extends InterestLine {
  payoutId: string;
  valueDate: string;
  /** Last day of the window in which the payout had to be used. */
  windowEnd: string;
  /** The part of the payout used late (or not yet used) this line's interest is on. */
  amountCents: number;
  /** The day that part was used; null when it is still unused on `asOf`. */
  usedOn: string | null;
}
