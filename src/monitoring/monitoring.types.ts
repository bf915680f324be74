/**
 * The monitoring's data (issue 11, indicator 11 of the integration concept): one row of facts per
 * application as the repository reads them, and the indicators aggregated from them.
 */

export type UsageReportStatus = 'due' | 'submitted' | 'in_check' | 'clarification_requested' | 'accepted' | 'settled_with_claim';

/** One application of a call with everything the indicators count, read in one statement. */
export interface ApplicationFacts {
  applicationId: string;
  callId: string;
  year: number;
  fieldOfAction: string | null;
  district: string | null;
  /** Submitted at least once (a draft never counts). */
  applied: boolean;
  /** Passed the formal check: its state is eligible or any state after it. */
  eligible: boolean;
  /** Its award is released and the application was not withdrawn afterwards. */
  funded: boolean;
  requestedCents: number;
  /** The released award's amount; 0 when not funded. */
  awardedCents: number;
  /** Released payouts. */
  paidCents: number;
  /** Repayment claims booked as repaid. */
  repaidCents: number;
  /** Planned in the application (expected participants); null when not stated. */
  participantsPlanned: number | null;
  /** Last day of the funded period (YYYY-MM-DD), for funded projects. */
  periodEnd: string | null;
  /** The usage report of a funded project; null when the award predates the reports (then due at the period's end). */
  report: { status: UsageReportStatus; dueOn: string; firstSubmittedOn: string | null; participantsTotal: number | null } | null;
  /** The latest visit done within the period and the next one planned within it (YYYY-MM-DD). */
  lastVisitDoneOn: string | null;
  nextVisitPlannedOn: string | null;
}

/** The figures of one group (a call, a field of action, a district or a year). */
export interface Indicators {
  /** Projects applied (submitted at least once), eligible after the formal check, funded (released award). */
  applied: number;
  eligible: number;
  funded: number;
  requestedCents: number;
  awardedCents: number;
  paidCents: number;
  repaidCents: number;
  /** Indicator 11: participants reached, from the accepted (or settled) usage reports. */
  participantsReached: number;
  /** Participants planned by all funded projects. */
  participantsPlanned: number;
  /** Participants planned by the funded projects whose report is accepted: the fair comparison to reached. */
  participantsPlannedOfReported: number;
  /** Usage reports of funded projects: submitted on or before the deadline, after it, still missing past it, not yet due, accepted. */
  reportsOnTime: number;
  reportsLate: number;
  reportsOverdue: number;
  reportsNotYetDue: number;
  reportsAccepted: number;
  /** Funded projects by site visit: visited within the period, a visit planned, neither. */
  visitsMade: number;
  visitsPlanned: number;
  visitsMissing: number;
}

export const INDICATOR_KEYS: (keyof Indicators)[] = [
  'applied', 'eligible', 'funded', 'requestedCents', 'awardedCents', 'paidCents', 'repaidCents',
  'participantsPlanned', 'participantsPlannedOfReported', 'participantsReached',
  'reportsOnTime', 'reportsLate', 'reportsOverdue', 'reportsNotYetDue', 'reportsAccepted',
  'visitsMade', 'visitsPlanned', 'visitsMissing',
];

/** A named group's figures; `key` null stands for applications that do not name the field or district. */
export interface IndicatorGroup {
  key: string | null;
  indicators: Indicators;
}

export interface CallIndicators {
  call: { id: string; title: string; year: number; status: string; fieldsOfAction: string[] };
  /** Calendar day (Berlin) the figures were computed for: deadlines before it count as passed. */
  asOf: string;
  total: Indicators;
  byFieldOfAction: IndicatorGroup[];
  byDistrict: IndicatorGroup[];
}

export interface YearIndicators {
  year: number;
  calls: number;
  indicators: Indicators;
}

export interface YearsIndicators {
  asOf: string;
  years: YearIndicators[];
  calls: { id: string; title: string; year: number; status: string }[];
}

/** The monitoring report for the Integrationsausschuss (PDF): one call, or the comparison across years. */
export type MonitoringReportDocument = { kind: 'call'; data: CallIndicators } | { kind: 'years'; data: YearsIndicators };
