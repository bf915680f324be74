/**
 * Ranking and budget allocation of the approved proposals: pure functions over plain data, no
 * database, so they are fast, deterministic and testable on their own.
 */

import { compareReferenceNumbers } from '../common/reference-numbers.js';

export interface RankInput {
  id: string;
  /** Mean importance (Bedeutung) rating, e.g. 1–5. */
  importance: number;
  /** Mean urgency (Dringlichkeit) rating, e.g. 1–5. */
  urgency: number;
  /** Instant of the (first) submission, ISO; earlier wins a tie. */
  submittedAt: string;
  /** Reference number; the last tie-break, so that the order never depends on input order. */
  referenceNumber: string;
  recommendedCents: number;
  fieldOfAction: string;
}

export interface RankingWeights {
  importance: number;
  urgency: number;
}

export interface RankedItem extends RankInput {
  rank: number;
  score: number;
}

/** The combined rating: weighted mean of importance and urgency. */
export function score(item: Pick<RankInput, 'importance' | 'urgency'>, weights: RankingWeights): number {
  const total = weights.importance + weights.urgency;
  return total === 0 ? 0 : (weights.importance * item.importance + weights.urgency * item.urgency) / total;
}

/**
 * Orders by combined rating, highest first. Ties: higher urgency, then earlier submission, then
 * reference number (and the id, so that the order never depends on the input's order).
 */
export function rank(items: readonly RankInput[], weights: RankingWeights): RankedItem[] {
  return items
    .map((item) => ({ ...item, score: score(item, weights) }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.urgency - a.urgency ||
        a.submittedAt.localeCompare(b.submittedAt) ||
        compareReferenceNumbers(a.referenceNumber, b.referenceNumber) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .map((item, index) => ({ ...item, rank: index + 1 }));
}

export interface AllocationOptions {
  budgetCents: number;
  /** May the first item that does not fully fit get what is left? */
  partialFunding: boolean;
  /** Optional ceiling per field of action. */
  fieldCapsCents?: Readonly<Record<string, number>>;
}

export interface FundedItem extends RankedItem {
  grantedCents: number;
  partial: boolean;
}

export interface Allocation {
  funded: FundedItem[];
  waitingList: RankedItem[];
  spentCents: number;
  remainingCents: number;
}

/**
 * Funds in rank order at the recommended amount until the budget is spent. The first item that does
 * not fit ends the funding (or, with partial funding, gets the rest and then ends it): nothing ranked
 * lower is funded while a higher one waits for lack of budget. A field-of-action cap only skips the
 * items of that field.
 */
export function allocate(ranked: readonly RankedItem[], options: AllocationOptions): Allocation {
  const funded: FundedItem[] = [];
  const waitingList: RankedItem[] = [];
  const spentPerField = new Map<string, number>();
  let remaining = Math.max(0, options.budgetCents);
  let budgetExhausted = false;

  for (const item of ranked) {
    if (budgetExhausted) {
      waitingList.push(item);
      continue;
    }
    const cap = options.fieldCapsCents?.[item.fieldOfAction];
    const fieldLeft = cap === undefined ? Infinity : cap - (spentPerField.get(item.fieldOfAction) ?? 0);
    if (item.recommendedCents > fieldLeft) {
      waitingList.push(item);
      continue;
    }
    if (item.recommendedCents <= remaining) {
      funded.push({ ...item, grantedCents: item.recommendedCents, partial: false });
      remaining -= item.recommendedCents;
      spentPerField.set(item.fieldOfAction, (spentPerField.get(item.fieldOfAction) ?? 0) + item.recommendedCents);
      continue;
    }
    budgetExhausted = true;
    if (options.partialFunding && remaining > 0) {
      funded.push({ ...item, grantedCents: remaining, partial: true });
      spentPerField.set(item.fieldOfAction, (spentPerField.get(item.fieldOfAction) ?? 0) + remaining);
      remaining = 0;
    } else {
      waitingList.push(item);
    }
  }
  return { funded, waitingList, spentCents: options.budgetCents - remaining, remainingCents: remaining };
}

/**
 * When money is freed (withdrawal, lower payout, repayment): the allocation over the same ranking
 * with the budget as it now stands, and the waiting-list items that it newly funds, to be offered.
 */
export function reallocate(ranked: readonly RankedItem[], previous: Allocation, options: AllocationOptions, withdrawnIds: readonly string[] = []): { allocation: Allocation; offered: FundedItem[] } {
  const gone = new Set(withdrawnIds);
  const allocation = allocate(ranked.filter((item) => !gone.has(item.id)), options);
  const before = new Map(previous.funded.map((item) => [item.id, item.grantedCents]));
  const offered = allocation.funded.filter((item) => (before.get(item.id) ?? 0) < item.grantedCents);
  return { allocation, offered };
}
