import type { InterestLine as ClaimInterestLine, LateUseLine as ClaimLateUseLine, SettlementLine as ClaimSettlementLine } from '../reports/report.types.js';

/**
 * Plain data for the PDF documents. Services load it from the database; the renderers in this
 * folder turn it into PDF bytes and know nothing of the database. Money in integer cents; instants
 * as ISO strings with time zone, shown in Europe/Berlin; calendar days as YYYY-MM-DD.
 */

import type { CostLine, ThirdPartyFunding } from '../applications/application.types.js';

export type DocumentLanguage = 'de' | 'en';

/** The application as submitted, for the receipt (Eingangsbestätigung) sent to the applicant. */
export interface ReceiptDocument {
  referenceNumber: string;
  /** Instant of submission. */
  submittedAt: string;
  /** 1 for the first submission, 2 after the first resubmission, … */
  submissionNumber: number;
  callTitle: string;
  callYear: number;
  organisation: { name: string; street: string; postalCode: string; city: string };
  applicantName: string;
  title: string;
  fieldOfAction: string;
  targetGroup: string;
  district: string;
  startDate: string;
  endDate: string;
  description: string;
  goals: string;
  methods: string;
  expectedParticipants: number;
  openness: string;
  costLines: CostLine[];
  ownFundsCents: number;
  thirdPartyFunding: ThirdPartyFunding[];
  requestedCents: number;
  totalCostsCents: number;
  attachments: { filename: string; kind: string; sha256: string }[];
  declarations: string[];
}

/** The rejection letter (Ablehnungsbescheid) after the formal check found an application ineligible. */
export interface RejectionDocument {
  referenceNumber: string;
  /** Calendar day of the letter. */
  date: string;
  organisation: { name: string; street: string; postalCode: string; city: string };
  contactName: string | null;
  applicationTitle: string;
  callTitle: string;
  callYear: number;
  submittedAt: string;
  requestedCents: number;
  reason: string;
  clerkName: string;
}

/** The agenda (Tagesordnung) sent with the invitation to a session. */
export interface AgendaDocument {
  callTitle: string;
  callYear: number;
  /** Instant of the session. */
  scheduledAt: string;
  place: string;
  chairName: string | null;
  items: { position: number; referenceNumber: string; title: string; organisationName: string; fieldOfAction: string; requestedCents: number }[];
}

/** One ranked item of the ranking list (Rangfolge). */
export interface RankingRow {
  rank: number;
  referenceNumber: string;
  title: string;
  organisationName: string;
  fieldOfAction: string;
  importance: number;
  urgency: number;
  score: number;
  recommendedCents: number;
  /** Granted within the budget; null when on the waiting list. */
  grantedCents: number | null;
  partial: boolean;
}

export interface RankingDocument {
  callTitle: string;
  callYear: number;
  budgetCents: number;
  weights: { importance: number; urgency: number };
  /** Calendar day the list was made. */
  date: string;
  funded: RankingRow[];
  waitingList: RankingRow[];
  spentCents: number;
  remainingCents: number;
}

/** The minutes (Niederschrift) of a session. */
export interface MinutesDocument {
  callTitle: string;
  callYear: number;
  scheduledAt: string;
  openedAt: string | null;
  closedAt: string | null;
  place: string;
  chairName: string | null;
  minuteTakerName: string;
  statutoryVotingMembers: number;
  /** Everyone who attended; arrivedAt only for an arrival after the opening, leftAt for a departure before the end. */
  attendance: { name: string; group: string; votingRight: 'voting' | 'advisory'; standsInForName: string | null; arrivedAt?: string | null; leftAt?: string | null }[];
  absentVotingMembers: string[];
  items: {
    position: number;
    referenceNumber: string;
    title: string;
    organisationName: string;
    requestedCents: number;
    status: 'pending' | 'open' | 'closed' | 'deferred';
    secretBallot: boolean;
    /** Voting members present and not conflicted when the item was decided. */
    eligibleVoters: number | null;
    quorate: boolean | null;
    /** Who was present when the item was decided (null when it was not decided). */
    present?: { voting: string[]; advisory: string[] } | null;
    /**
     * A vote withdrawn because of the conflict (in a secret ballot: every vote, the ballot held again),
     * or a conflict that came to light only after the decision.
     */
    conflicts: { name: string; source: 'affiliation' | 'declared'; reason: string; voteWithdrawn?: 'vote' | 'secret_ballot_repeated' | null; afterDecision?: boolean }[];
    /** Who asked for a secret ballot, and how many requests make it apply. */
    secretBallotRequests?: { names: string[]; needed: number };
    counts: { yes: number; no: number; abstain: number } | null;
    decision: 'approved' | 'rejected' | null;
    recommendedCents: number | null;
    /** Mean ratings, for approved items. */
    importance: number | null;
    urgency: number | null;
  }[];
}

/** What every decision letter (Bescheid) names: addressee, file, clerk and the application decided. */
export interface DecisionLetterBase {
  /** The application's reference number, which is the file's Aktenzeichen. */
  referenceNumber: string;
  /** Calendar day of the letter (YYYY-MM-DD). */
  date: string;
  organisation: { name: string; street: string; postalCode: string; city: string };
  contactName: string | null;
  clerkName: string;
  clerkPhone: string;
  clerkEmail: string;
  applicationTitle: string;
  callTitle: string;
  callYear: number;
  /** When the application was first submitted (ISO instant). */
  submittedAt: string;
  requestedCents: number;
}

/** The award (Zuwendungsbescheid): the grant, its purpose, period, finance type, approved plan and conditions. */
export interface AwardLetterDocument extends DecisionLetterBase {
  amountCents: number;
  /** The purpose the grant is bound to (from the application). */
  purpose: string;
  periodStart: string;
  periodEnd: string;
  financeType: 'deficit' | 'share' | 'fixed';
  sharePercent: number | null;
  maxAmountCents: number;
  /** The approved finance plan (Finanzierungsplan), binding in total. */
  financePlan: {
    costLines: { category: string; description: string; amountCents: number }[];
    ownFundsCents: number;
    thirdParty: { source: string; amountCents: number; status: string }[];
    totalCostsCents: number;
  };
  /** Conditions the clerk added to the standard ones (Nebenbestimmungen), one per entry. */
  specialConditions: string[];
  /** Day by which the usage report (Verwendungsnachweis) is due (YYYY-MM-DD). */
  reportDueDate: string;
  /** Funds may be requested only for payments due within this many months (ANBest-P 1.4). */
  paymentWindowMonths: number;
  /** Percent by which a single cost line may be exceeded when savings elsewhere cover it (ANBest-P 1.2). */
  lineDeviationPercent: number;
}

/** A rejection after the round table's decision: voted down, or ranked below the budget. */
export interface DecisionRejectionDocument extends DecisionLetterBase {
  reason: 'voted_down' | 'below_budget';
  /** The clerk's own words added to the standard reason, if any. */
  reasonNote: string | null;
}

/** The lines of the claim's computations, as the rules in src/reports/ return them. */
export type { SettlementLine as ClaimSettlementLine, InterestLine as ClaimInterestLine, LateUseLine as ClaimLateUseLine } from '../reports/report.types.js';

/**
 * The repayment claim (Rückforderungsbescheid, § 49 Abs. 3, § 49a VwVfG NRW) after the final
 * settlement: the award partly revoked down to the grant finally due, the amount to refund, the
 * interest on it computed line by line (or waived with its reason), the interest for money used
 * late, and where and by when to pay. The renderer refuses figures that do not add up.
 */
export interface RepaymentClaimDocument extends DecisionLetterBase {
  /** The award being partly revoked. */
  award: { amountCents: number; date: string; referenceNumber: string };
  financeType: 'deficit' | 'share' | 'fixed';
  /** The usage report the settlement rests on: when it came in and when the office admitted its figures. */
  usageReport: { submittedOn: string; admittedOn: string };
  /** What the office did not admit, in its own words (one entry each), for the reasons. */
  reductions: string[];
  /** The settlement's lines in order, ending with the 'repayment' line. */
  settlementLines: ClaimSettlementLine[];
  dueCents: number;
  paidCents: number;
  /** paidCents − dueCents, > 0. */
  repaymentCents: number;
  /** The day from which the award is revoked: the day it became ineffective, the first interest day. */
  revokedFrom: string;
  /** Interest on the repayment (§ 49a Abs. 3 S. 1); null when waived. */
  interest: {
    /** Points above the base rate in basis points (500). */
    marginBasisPoints: number;
    /** The day of repayment assumed (not counted): normally the payment deadline. */
    until: string;
    lines: ClaimInterestLine[];
    totalCents: number;
  } | null;
  /** The written reason for waiving interest (§ 49a Abs. 3 S. 2); then no interest is claimed. */
  interestWaiver: string | null;
  /** Interest for money used late (§ 49a Abs. 4), if any is claimed. */
  lateUse: {
    windowMonths: number;
    /** The day of the computation: money still unused bears interest until (not including) it. */
    asOf: string;
    lines: ClaimLateUseLine[];
    totalCents: number;
  } | null;
  /** The day by which the total is to be paid (YYYY-MM-DD). */
  paymentDueDate: string;
  /** The city's account for the repayment and the reference to quote. */
  account: { name: string; iban: string; bic: string; paymentReference: string };
  /** Repayment plus the interest claimed. */
  totalClaimedCents: number;
}

/** The points of a site visit's protocol (the same keys as VISIT_CHECKLIST in src/visits/visits.rules.ts). */
export type VisitChecklistKey = 'activity_as_described' | 'target_group_reached' | 'open_to_everyone' | 'participants_present' | 'publicity_names_city';

/** One site visit (Vor-Ort-Besuch) as the report shows it. */
export interface VisitReportVisit {
  /** Calendar day: the planned day, or the day the visit took place. */
  on: string;
  status: 'planned' | 'done';
  staffName: string;
  /** The protocol's findings, for a visit done; points missing here were not recorded. */
  checklist: Partial<Record<VisitChecklistKey, 'yes' | 'partly' | 'no' | 'not_assessed'>>;
  notes: string | null;
}

/** A funded project of the call with its visits, its usage report and the participants it reached. */
export interface VisitReportProject {
  referenceNumber: string;
  title: string;
  organisationName: string;
  awardedCents: number;
  periodStart: string;
  periodEnd: string;
  /** The project's coverage by visits (visitCoverage in src/visits/visits.rules.ts). */
  coverage: 'visited' | 'planned' | 'missing';
  visits: VisitReportVisit[];
  report: {
    status: 'due' | 'submitted' | 'in_check' | 'clarification_requested' | 'accepted' | 'settled_with_claim';
    dueDate: string;
  };
  /** Planned in the application; reached as stated in the usage report, null before it is submitted. */
  participants: { planned: number; reached: number | null };
}

/** The visit report for the round table (Bericht über die Vor-Ort-Besuche), one per call. */
export interface VisitReportDocument {
  callTitle: string;
  callYear: number;
  /** Calendar day the report was made; a usage report due before it is shown as overdue. */
  date: string;
  projects: VisitReportProject[];
  /** The call's coverage counts (visitCoverage). */
  coverage: { visited: number; planned: number; missing: number };
}
