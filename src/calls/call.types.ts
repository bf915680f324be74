/**
 * A call's funding rules and texts as plain data: what the application rules check against and
 * what the call's PDF shows. Money in integer cents; instants as ISO strings with time zone;
 * calendar days as YYYY-MM-DD.
 */

export type FinanceType = 'deficit' | 'share' | 'fixed';

/** How interest days are counted on repayment claims. */
export const INTEREST_DAY_COUNTS = ['act/365', 'act/360', 'act/act'] as const;
export type InterestDayCount = (typeof INTEREST_DAY_COUNTS)[number];

/** A call for proposals (Förderaufruf): the rules applications are checked against, and the public PDF. */
export interface CallDocument {
  year: number;
  title: string;
  description: string | null;
  budgetCents: number;
  fieldsOfAction: string[];
  /** Instant, e.g. "2026-09-30T21:59:59.000Z" (shown as 30.09.2026, 23:59 Uhr). */
  submissionDeadline: string;
  fundingPeriodStart: string;
  fundingPeriodEnd: string;
  financeType: FinanceType;
  /** For 'share': the share of eligible costs the city pays, in percent. */
  sharePercent: number | null;
  /** Cap per application; for 'fixed' the fixed amount. */
  maxAmountCents: number;
  minOwnContributionPercent: number;
  costCategories: string[];
  requiredAttachments: string[];
  declarations: string[];
  /** Months after the funding period's end within which the usage report is due. */
  reportDueMonths: number;
}

/** What archiving a call waits for, one kind per thing still open on a grant. */
export const ARCHIVE_BLOCKERS = ['draftDecision', 'letterPending', 'notFinal', 'reportOpen', 'claimMissing', 'claimOpen', 'paymentOpen', 'payoutNotExported', 'visitPlanned'] as const;
export type ArchiveBlocker = (typeof ARCHIVE_BLOCKERS)[number];

/** One decision of a call with the state of everything that hangs on it, as the archive rule reads it. */
export interface GrantArchiveFacts {
  decisionId: string;
  applicationId: string;
  referenceNumber: string | null;
  title: string;
  kind: 'award' | 'rejection';
  decisionStatus: 'draft' | 'released';
  applicationStatus: string;
  reportId: string | null;
  reportStatus: string | null;
  claimStatus: 'draft' | 'released' | 'repaid' | null;
  /** Whether the decision's letter is stored (it is rendered by a job after the release). */
  letterIssued: boolean;
  /** Whether the repayment claim's letter is stored (null: no claim). */
  claimLetterIssued: boolean | null;
  /** Payment requests still requested or confirmed. */
  openPayments: number;
  /** Released payouts not yet in an export to the treasury. */
  unexportedPayouts: number;
  /** Site visits planned and not recorded. */
  plannedVisits: number;
}

/** A thing still open on one grant, named so that the office can go and settle it. */
export interface ArchiveOpenItem {
  kind: ArchiveBlocker;
  decisionId: string;
  applicationId: string;
  referenceNumber: string | null;
  title: string;
  reportId: string | null;
}
