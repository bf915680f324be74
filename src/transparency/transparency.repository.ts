import { Injectable } from '@nestjs/common';
import { Transactions } from '../common/transactions.js';
import type { FundedProject, PublicCall } from './transparency.types.js';

/** Calls whose decisions are final and may be published. */
const PUBLISHED_CALL = `c.status IN ('decided', 'archived')`;

/**
 * An award that is released and still stands: its application is awarded or final (not withdrawn).
 * Used with `d` a decision and `a` its application.
 */
const STANDING_AWARD = `d.kind = 'award' AND d.status = 'released' AND a.status IN ('awarded', 'final')`;

/**
 * Every query of the public Förderbericht. Each reads only what may be published: no rejection,
 * vote, rating, clerk, bank data or person's name leaves these queries.
 */
@Injectable()
export class TransparencyRepository {
  constructor(private readonly db: Transactions) {}

  /** Decided and archived calls with the number of funded projects and the sum awarded, newest first. */
  calls(): Promise<PublicCall[]> {
    return this.db.manager.query(
      `SELECT c.id, c.year, c.title, c.status, c.budget_cents::float8 AS "budgetCents",
              count(a.id)::int AS "fundedCount", coalesce(sum(d.amount_cents) FILTER (WHERE a.id IS NOT NULL), 0)::float8 AS "awardedCents"
       FROM funding_call c
       LEFT JOIN decision d ON d.call_id = c.id AND d.kind = 'award' AND d.status = 'released'
       LEFT JOIN application a ON a.id = d.application_id AND a.status IN ('awarded', 'final')
       WHERE ${PUBLISHED_CALL}
       GROUP BY c.id
       ORDER BY c.year DESC, c.title, c.id`,
    );
  }

  async call(id: string): Promise<PublicCall | null> {
    const [call] = await this.db.manager.query(
      `SELECT c.id, c.year, c.title, c.status, c.budget_cents::float8 AS "budgetCents", 0 AS "fundedCount", 0 AS "awardedCents"
       FROM funding_call c WHERE c.id = $1 AND ${PUBLISHED_CALL}`,
      [id],
    );
    return (call as PublicCall | undefined) ?? null;
  }

  /**
   * The call's funded projects with their released payouts, in the order of their reference numbers.
   * The award date is the day the decision was sent (the date of the Zuwendungsbescheid).
   */
  projects(callId: string): Promise<FundedProject[]> {
    return this.db.manager.query(
      `SELECT a.reference_number AS "referenceNumber", a.title, d.purpose,
              a.field_of_action AS "fieldOfAction", a.district,
              coalesce(d.period_start, a.start_date)::text AS "periodStart", coalesce(d.period_end, a.end_date)::text AS "periodEnd",
              d.amount_cents::float8 AS "amountCents",
              coalesce(d.sent_on, (d.released_at AT TIME ZONE 'Europe/Berlin')::date)::text AS "awardDate",
              json_build_object('id', o.id, 'name', o.name, 'registerCourt', o.register_court,
                                'registerNumber', o.register_number, 'city', o.city) AS organisation,
              coalesce((SELECT json_agg(json_build_object('id', p.id, 'valueDate', p.value_date::text, 'amountCents', p.amount_cents::float8) ORDER BY p.value_date, p.id)
                        FROM payment_request p WHERE p.decision_id = d.id AND p.status = 'released' AND p.value_date IS NOT NULL), '[]'::json) AS payouts
       FROM decision d
       JOIN application a ON a.id = d.application_id
       JOIN organisation o ON o.id = a.organisation_id
       WHERE d.call_id = $1 AND ${STANDING_AWARD}
       ORDER BY a.reference_seq, a.id`,
      [callId],
    );
  }
}
