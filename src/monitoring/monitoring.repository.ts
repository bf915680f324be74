import { Injectable } from '@nestjs/common';
import { Transactions } from '../common/transactions.js';
import type { ApplicationFacts, Indicators, UsageReportStatus } from './monitoring.types.js';

/** States an application reaches only after passing the formal check. */
const ELIGIBLE_STATES = ['eligible', 'on_agenda', 'approved', 'rejected', 'awarded', 'final', 'rejection_notified'];

/**
 * One row per application submitted at least once, with the award, payouts, repayments, usage
 * report and visits it has. Payouts, claims and visits are summed per decision once, in the same
 * statement, restricted by their own `call_id` index when one call is asked for ($2; null for all).
 */
const WITH_SUMS = `
  WITH paid AS MATERIALIZED (
    SELECT decision_id, sum(amount_cents) AS cents FROM payment_request
    WHERE status = 'released' AND ($2::uuid IS NULL OR call_id = $2) GROUP BY decision_id
  ), repaid AS MATERIALIZED (
    SELECT decision_id, sum(repayment_cents) AS cents FROM repayment_claim
    WHERE status = 'repaid' AND ($2::uuid IS NULL OR call_id = $2) GROUP BY decision_id
  ), visits AS MATERIALIZED (
    SELECT v.decision_id,
           max(v.visit_on) FILTER (WHERE v.status = 'done') AS last_done,
           min(v.visit_on) FILTER (WHERE v.status = 'planned') AS next_planned
    FROM site_visit v JOIN decision vd ON vd.id = v.decision_id
    WHERE v.visit_on <= vd.period_end AND ($2::uuid IS NULL OR v.call_id = $2) GROUP BY v.decision_id
  )`;

const FACTS_FROM = `
  FROM application a
  JOIN funding_call c ON c.id = a.call_id
  LEFT JOIN decision d ON d.application_id = a.id AND d.kind = 'award' AND d.status = 'released' AND d.period_end IS NOT NULL
  LEFT JOIN usage_report r ON r.decision_id = d.id
  LEFT JOIN paid ON paid.decision_id = d.id
  LEFT JOIN repaid ON repaid.decision_id = d.id
  LEFT JOIN visits ON visits.decision_id = d.id
  WHERE a.first_submitted_at IS NOT NULL AND c.status <> 'draft' AND ($2::uuid IS NULL OR a.call_id = $2)`;

const FACTS = `${WITH_SUMS}
  SELECT a.id AS "applicationId", a.call_id AS "callId", c.year, a.field_of_action AS "fieldOfAction", a.district,
         a.status = ANY($1::text[]) AS eligible,
         (d.id IS NOT NULL AND a.status <> 'withdrawn') AS funded,
         COALESCE(a.requested_cents, 0)::float8 AS "requestedCents",
         COALESCE(d.amount_cents, 0)::float8 AS "awardedCents",
         COALESCE(paid.cents, 0)::float8 AS "paidCents",
         COALESCE(repaid.cents, 0)::float8 AS "repaidCents",
         a.expected_participants AS "participantsPlanned",
         d.period_end::text AS "periodEnd",
         r.status AS "reportStatus", r.due_on::text AS "reportDueOn",
         (r.first_submitted_at AT TIME ZONE 'Europe/Berlin')::date::text AS "reportFirstSubmittedOn", r.participants_total AS "participantsTotal",
         visits.last_done::text AS "lastVisitDoneOn", visits.next_planned::text AS "nextVisitPlannedOn"
${FACTS_FROM}`;

/**
 * The indicators per year, summed by PostgreSQL: the years page reads all calls, and 20 rows travel
 * instead of one per application. Each sum states the rule of monitoring.rules.ts (`aggregate`) for
 * one indicator; $2 is null (all calls) and $3 today (Berlin). The e2e test holds both to the same
 * figures (each year equals the sum of its calls' indicators).
 */
const YEAR_SUMS = `${WITH_SUMS},
  facts AS (
    SELECT c.year, a.status = ANY($1::text[]) AS eligible, (d.id IS NOT NULL AND a.status <> 'withdrawn') AS funded,
           COALESCE(a.requested_cents, 0) AS requested, COALESCE(d.amount_cents, 0) AS awarded, COALESCE(paid.cents, 0) AS paid, COALESCE(repaid.cents, 0) AS repaid,
           COALESCE(a.expected_participants, 0) AS planned, COALESCE(r.participants_total, 0) AS reached,
           COALESCE(r.status, 'due') IN ('accepted', 'settled_with_claim') AS accepted,
           COALESCE(r.status, 'due') <> 'due' AND r.first_submitted_at IS NOT NULL AS submitted,
           (r.first_submitted_at AT TIME ZONE 'Europe/Berlin')::date AS first_on, COALESCE(r.due_on, d.period_end) AS due_on,
           d.period_end, visits.last_done, visits.next_planned
    ${FACTS_FROM}
  )
  SELECT year,
         count(*)::int AS applied, count(*) FILTER (WHERE eligible)::int AS eligible, count(*) FILTER (WHERE funded)::int AS funded,
         sum(requested)::float8 AS "requestedCents",
         COALESCE(sum(awarded) FILTER (WHERE funded), 0)::float8 AS "awardedCents",
         COALESCE(sum(paid) FILTER (WHERE funded), 0)::float8 AS "paidCents",
         COALESCE(sum(repaid) FILTER (WHERE funded), 0)::float8 AS "repaidCents",
         COALESCE(sum(reached) FILTER (WHERE funded AND accepted), 0)::int AS "participantsReached",
         COALESCE(sum(planned) FILTER (WHERE funded), 0)::int AS "participantsPlanned",
         COALESCE(sum(planned) FILTER (WHERE funded AND accepted), 0)::int AS "participantsPlannedOfReported",
         count(*) FILTER (WHERE funded AND submitted AND first_on <= due_on)::int AS "reportsOnTime",
         count(*) FILTER (WHERE funded AND submitted AND first_on > due_on)::int AS "reportsLate",
         count(*) FILTER (WHERE funded AND NOT submitted AND due_on < $3::date)::int AS "reportsOverdue",
         count(*) FILTER (WHERE funded AND NOT submitted AND due_on >= $3::date)::int AS "reportsNotYetDue",
         count(*) FILTER (WHERE funded AND accepted)::int AS "reportsAccepted",
         count(*) FILTER (WHERE funded AND last_done IS NOT NULL)::int AS "visitsMade",
         count(*) FILTER (WHERE funded AND last_done IS NULL AND period_end >= $3::date AND next_planned IS NOT NULL)::int AS "visitsPlanned",
         count(*) FILTER (WHERE funded AND last_done IS NULL AND NOT (period_end >= $3::date AND next_planned IS NOT NULL))::int AS "visitsMissing"
  FROM facts GROUP BY year ORDER BY year`;


interface FactsRow extends Omit<ApplicationFacts, 'applied' | 'report'> {
  reportStatus: UsageReportStatus | null;
  reportDueOn: string | null;
  reportFirstSubmittedOn: string | null;
  participantsTotal: number | null;
}

export interface MonitoredCall {
  id: string;
  title: string;
  year: number;
  status: string;
  fieldsOfAction: string[];
}

/** Every query of the monitoring: it reads across applications, decisions, payouts, claims, reports and visits. */
@Injectable()
export class MonitoringRepository {
  constructor(private readonly db: Transactions) {}

  /** A call that is not a draft (drafts have no figures); archived calls stay. */
  async call(id: string): Promise<MonitoredCall | null> {
    const [row] = await this.db.manager.query(
      `SELECT id, title, year, status, fields_of_action AS "fieldsOfAction" FROM funding_call WHERE id = $1 AND status <> 'draft'`,
      [id],
    );
    return row ?? null;
  }

  /** Every call that is not a draft, newest year first. */
  calls(): Promise<MonitoredCall[]> {
    return this.db.manager.query(
      `SELECT id, title, year, status, fields_of_action AS "fieldsOfAction" FROM funding_call WHERE status <> 'draft' ORDER BY year DESC, submission_deadline, id`,
    );
  }

  async factsOfCall(callId: string): Promise<ApplicationFacts[]> {
    return (await this.db.manager.query(`${FACTS} ORDER BY a.reference_seq, a.id`, [ELIGIBLE_STATES, callId])).map(toFacts);
  }

  /** The indicators of all calls (drafts left out) per year, as of `today` (YYYY-MM-DD, Berlin). */
  async yearSums(today: string): Promise<({ year: number } & Indicators)[]> {
    return this.db.manager.query(YEAR_SUMS, [ELIGIBLE_STATES, null, today]);
  }
}

function toFacts(row: FactsRow): ApplicationFacts {
  const { reportStatus, reportDueOn, reportFirstSubmittedOn, participantsTotal, ...facts } = row;
  return {
    ...facts,
    applied: true,
    report: reportStatus === null ? null : { status: reportStatus, dueOn: reportDueOn!, firstSubmittedOn: reportFirstSubmittedOn, participantsTotal },
  };
}
