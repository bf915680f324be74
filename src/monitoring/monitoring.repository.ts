import { Injectable } from '@nestjs/common';
import { Transactions } from '../common/transactions.js';
import type { ApplicationFacts, UsageReportStatus } from './monitoring.types.js';

/** States an application reaches only after passing the formal check. */
const ELIGIBLE_STATES = ['eligible', 'on_agenda', 'approved', 'rejected', 'awarded', 'final', 'rejection_notified'];

/**
 * One row per application submitted at least once, with the award, payouts, repayments, usage
 * report and visits it has; each of those read by its own subquery on indexed columns.
 */
const FACTS = `
  SELECT a.id AS "applicationId", a.call_id AS "callId", c.year, a.field_of_action AS "fieldOfAction", a.district,
         a.status = ANY($1::text[]) AS eligible,
         (d.id IS NOT NULL AND a.status <> 'withdrawn') AS funded,
         COALESCE(a.requested_cents, 0)::float8 AS "requestedCents",
         COALESCE(d.amount_cents, 0)::float8 AS "awardedCents",
         COALESCE((SELECT sum(pr.amount_cents) FROM payment_request pr WHERE pr.decision_id = d.id AND pr.status = 'released'), 0)::float8 AS "paidCents",
         COALESCE((SELECT sum(rc.repayment_cents) FROM repayment_claim rc WHERE rc.decision_id = d.id AND rc.status = 'repaid'), 0)::float8 AS "repaidCents",
         a.expected_participants AS "participantsPlanned",
         d.period_end::text AS "periodEnd",
         r.status AS "reportStatus", r.due_on::text AS "reportDueOn",
         (r.first_submitted_at AT TIME ZONE 'Europe/Berlin')::date::text AS "reportFirstSubmittedOn", r.participants_total AS "participantsTotal",
         (SELECT max(v.visit_on) FROM site_visit v WHERE v.decision_id = d.id AND v.status = 'done' AND v.visit_on <= d.period_end)::text AS "lastVisitDoneOn",
         (SELECT min(v.visit_on) FROM site_visit v WHERE v.decision_id = d.id AND v.status = 'planned' AND v.visit_on <= d.period_end)::text AS "nextVisitPlannedOn"
  FROM application a
  JOIN funding_call c ON c.id = a.call_id
  LEFT JOIN decision d ON d.application_id = a.id AND d.kind = 'award' AND d.status = 'released' AND d.period_end IS NOT NULL
  LEFT JOIN usage_report r ON r.decision_id = d.id
  WHERE a.first_submitted_at IS NOT NULL AND c.status <> 'draft'`;

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
    return (await this.db.manager.query(`${FACTS} AND a.call_id = $2 ORDER BY a.reference_seq, a.id`, [ELIGIBLE_STATES, callId])).map(toFacts);
  }

  async factsOfAllCalls(): Promise<ApplicationFacts[]> {
    return (await this.db.manager.query(FACTS, [ELIGIBLE_STATES])).map(toFacts);
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
