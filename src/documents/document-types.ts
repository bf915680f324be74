/**
 * Plain data for the PDF documents. Services load it from the database; the renderers in this
 * folder turn it into PDF bytes and know nothing of the database. Money in integer cents; instants
 * as ISO strings with time zone, shown in Europe/Berlin; calendar days as YYYY-MM-DD.
 */

export type DocumentLanguage = 'de' | 'en';

export type FinanceType = 'deficit' | 'share' | 'fixed';

/** A published call for proposals (Förderaufruf), for the public PDF download. */
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

export interface CostLine {
  category: string;
  description: string;
  amountCents: number;
}

export interface ThirdPartyFunding {
  source: string;
  amountCents: number;
  status: 'granted' | 'applied';
}

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
