/**
 * What the public Förderbericht and the open-data exports are made of: released awards still
 * standing, of calls decided or archived. Nothing about rejections, votes, ratings or people.
 * Money in integer cents; calendar days as YYYY-MM-DD.
 */

/** A call as the public list shows it, with its totals. */
export interface PublicCall {
  id: string;
  year: number;
  title: string;
  status: 'decided' | 'archived';
  budgetCents: number;
  fundedCount: number;
  awardedCents: number;
}

/** A payout (released payment request) of a funded project. */
export interface PublicPayout {
  id: string;
  valueDate: string;
  amountCents: number;
}

/** One funded project of a decided call. */
export interface FundedProject {
  referenceNumber: string;
  title: string;
  purpose: string | null;
  fieldOfAction: string | null;
  district: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  amountCents: number;
  awardDate: string;
  organisation: {
    id: string;
    name: string;
    registerCourt: string | null;
    registerNumber: string | null;
    city: string;
  };
  payouts: PublicPayout[];
}

/** A decided call with its funded projects: the Förderbericht of one year. */
export interface FundingReport {
  call: PublicCall;
  projects: FundedProject[];
}
