import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import type { ReminderKind } from './reminders.js';

/** What a reminder mail says about its report, read with the report locked. */
export interface ReminderFacts {
  id: string;
  dueOn: string;
  status: string;
  applicationStatus: string;
  organisationId: string;
  applicationId: string;
  referenceNumber: string;
  title: string;
  callTitle: string;
  callYear: number;
  participantListsRequired: boolean;
  sent: ReminderKind[];
}

/** A reminder as the office sees it. */
export interface ReminderSent {
  kind: ReminderKind;
  sentOn: string;
}

/** The statuses of an application whose award still stands (a withdrawn one needs no report). */
const AWARD_STANDS = `('awarded', 'final')`;

/** The queries of the usage-report reminders. */
@Injectable()
export class ReportRemindersRepository {
  constructor(private readonly db: Transactions) {}

  /**
   * The reports that may have a reminder to send on `today`: still due, the first reminder's day
   * (four weeks before the deadline) reached, not all three sent.
   */
  async candidates(today: string): Promise<string[]> {
    const rows: { id: string }[] = await this.db.manager.query(
      `SELECT r.id
         FROM usage_report r
         JOIN decision d ON d.id = r.decision_id
         JOIN application a ON a.id = d.application_id
        WHERE r.status = 'due' AND a.status IN ${AWARD_STANDS} AND r.due_on <= $1::date + 28
          AND (SELECT count(*) FROM report_reminder rr WHERE rr.report_id = r.id) < 3
        ORDER BY r.due_on, r.id`,
      [today],
    );
    return rows.map((row) => row.id);
  }

  /** The report with what its mail needs, locked: a submission waits until its reminders are decided. */
  async lockForReminders(manager: EntityManager, reportId: string): Promise<ReminderFacts | null> {
    const [row] = await manager.query(
      `SELECT r.id, r.due_on::text AS "dueOn", r.status, a.status AS "applicationStatus", r.organisation_id AS "organisationId",
              a.id AS "applicationId", a.reference_number AS "referenceNumber", a.title,
              c.title AS "callTitle", c.year AS "callYear", c.participant_lists_required AS "participantListsRequired",
              ARRAY(SELECT rr.kind FROM report_reminder rr WHERE rr.report_id = r.id) AS sent
         FROM usage_report r
         JOIN decision d ON d.id = r.decision_id
         JOIN application a ON a.id = d.application_id
         JOIN funding_call c ON c.id = r.call_id
        WHERE r.id = $1
        FOR UPDATE OF r`,
      [reportId],
    );
    return row ?? null;
  }

  /** Records a reminder as sent; false when one of that kind was sent before (the primary key). */
  async insertSent(manager: EntityManager, reportId: string, kind: ReminderKind, sentOn: string): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO report_reminder (report_id, kind, sent_on) VALUES ($1, $2, $3) ON CONFLICT (report_id, kind) DO NOTHING RETURNING kind`,
      [reportId, kind, sentOn],
    );
    return rows.length === 1;
  }

  /** The reminders sent for a report, in the order they went out. */
  sent(reportId: string): Promise<ReminderSent[]> {
    return this.db.manager.query(
      `SELECT kind, sent_on::text AS "sentOn" FROM report_reminder WHERE report_id = $1
        ORDER BY sent_on, array_position(ARRAY['four_weeks_before', 'due_today', 'two_weeks_overdue'], kind)`,
      [reportId],
    );
  }
}
