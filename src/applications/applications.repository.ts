import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { auditedStatement, type AuditRow } from '../audit/audited-statement.js';
import { FundingCall } from '../calls/call.entity.js';
import { Transactions } from '../common/transactions.js';
import { Application, ApplicationVersion, Attachment } from './application.entities.js';
import type { ApplicationStatus } from './application.machine.js';

export interface WorklistRowFilter {
  status?: string;
  fieldOfAction?: string;
}

const LIST_COLUMNS = `a.id, a.reference_number AS "referenceNumber", a.title, a.status, a.field_of_action AS "fieldOfAction",
  a.requested_cents::float8 AS "requestedCents", a.submitted_at AS "submittedAt", a.version,
  o.id AS "organisationId", o.name AS "organisationName", o.status AS "organisationStatus",
  c.id AS "callId", c.year AS "callYear", c.title AS "callTitle"`;

/** Submitted applications of a call (every one has a reference number), filtered. */
function worklistWhere(callId: string, filter: WorklistRowFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [callId];
  const where = [`a.call_id = $1`, `a.status <> 'draft'`];
  if (filter.status) where.push(`a.status = $${params.push(filter.status)}`);
  if (filter.fieldOfAction) where.push(`a.field_of_action = $${params.push(filter.fieldOfAction)}`);
  return { where: where.join(' AND '), params };
}

export interface ApplicationListRow {
  id: string;
  referenceNumber: string | null;
  title: string;
  status: string;
  fieldOfAction: string | null;
  requestedCents: number | null;
  submittedAt: Date | null;
  organisationId: string;
  organisationName: string;
  organisationStatus: string;
  callId: string;
  callYear: number;
  callTitle: string;
  version: number;
}

/** Every query on applications, their versions and attachments. */
@Injectable()
export class ApplicationsRepository {
  constructor(private readonly db: Transactions) {}

  /** Applications with organisation and call, for lists; filtered by who may see them. Drafts last. */
  async list(filter: { userId?: string; callId?: string; status?: string; fieldOfAction?: string }): Promise<ApplicationListRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.userId) where.push(`a.organisation_id IN (SELECT organisation_id FROM organisation_user WHERE user_id = ${param(filter.userId)})`);
    if (filter.callId) where.push(`a.call_id = ${param(filter.callId)}`);
    if (filter.status) where.push(`a.status = ${param(filter.status)}`);
    if (filter.fieldOfAction) where.push(`a.field_of_action = ${param(filter.fieldOfAction)}`);
    return this.db.manager.query(
      `SELECT ${LIST_COLUMNS}
       FROM application a JOIN organisation o ON o.id = a.organisation_id JOIN funding_call c ON c.id = a.call_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.reference_number IS NULL, c.year, a.reference_seq, a.created_at`,
      params,
    );
  }

  /** One page of a call's submitted applications (drafts never), in reference order. */
  worklistPage(callId: string, filter: WorklistRowFilter, page: { limit: number; offset: number }): Promise<ApplicationListRow[]> {
    const { where, params } = worklistWhere(callId, filter);
    // The page is picked on the application index alone; only its rows are joined (a deep offset
    // would otherwise join every skipped row to its organisation and call).
    return this.db.manager.query(
      `SELECT ${LIST_COLUMNS}
       FROM (SELECT a.id FROM application a WHERE ${where} ORDER BY a.reference_seq, a.id LIMIT ${Number(page.limit)} OFFSET ${Number(page.offset)}) p
       JOIN application a ON a.id = p.id JOIN organisation o ON o.id = a.organisation_id JOIN funding_call c ON c.id = a.call_id
       ORDER BY a.reference_seq, a.id`,
      params,
    );
  }

  /**
   * A call's submitted applications per status: how many there are, how many match the field of
   * action (when one is given) and the sum they request (summed as float8, exact up to 2^53 cents
   * and much quicker than bigint's numeric sum over a large call).
   */
  worklistCounts(callId: string, fieldOfAction: string | undefined): Promise<{ status: string; count: number; matching: number; requestedCents: number }[]> {
    return this.db.prepared(
      'applications.worklistCounts',
      `SELECT status, count(*)::int AS count,
              (count(*) FILTER (WHERE $2::text IS NULL OR field_of_action = $2))::int AS matching,
              COALESCE(sum(requested_cents::float8), 0) AS "requestedCents"
       FROM application WHERE call_id = $1 AND status <> 'draft' GROUP BY status`,
      [callId, fieldOfAction ?? null],
    );
  }

  /** Every matching row of the worklist, a batch at a time (keyset on the reference), for the export. */
  async *worklistBatches(callId: string, filter: WorklistRowFilter, batchSize = 1000): AsyncGenerator<ApplicationListRow[]> {
    let after: { seq: number; id: string } | null = null;
    for (;;) {
      const { where, params } = worklistWhere(callId, filter);
      const keyset = after ? ` AND (a.reference_seq, a.id) > ($${params.push(after.seq)}, $${params.push(after.id)})` : '';
      const rows: (ApplicationListRow & { referenceSeq: number })[] = await this.db.manager.query(
        `SELECT ${LIST_COLUMNS}, a.reference_seq AS "referenceSeq"
         FROM application a JOIN organisation o ON o.id = a.organisation_id JOIN funding_call c ON c.id = a.call_id
         WHERE ${where}${keyset} ORDER BY a.reference_seq, a.id LIMIT ${Number(batchSize)}`,
        params,
      );
      if (rows.length === 0) return;
      const last = rows.at(-1)!;
      after = { seq: last.referenceSeq, id: last.id };
      yield rows.map(({ referenceSeq: _seq, ...row }) => row);
      if (rows.length < batchSize) return;
    }
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<Application | null> {
    return manager.findOneBy(Application, { id });
  }

  findForUpdate(manager: EntityManager, id: string): Promise<Application | null> {
    return manager.getRepository(Application).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Everything a submission checks, in one prepared statement: the application with its row lock,
   * its call, its current attachments, and whether the user represents its organisation or it is on
   * an agenda.
   */
  async forSubmission(id: string, userId: string): Promise<SubmissionContext | null> {
    const [row] = await this.db.prepared<{ application: Record<string, unknown>; call: Record<string, unknown>; attachments: SubmissionContext['attachments']; representative: boolean; onAgenda: boolean }>(
      'applications.forSubmission',
      `SELECT to_jsonb(a) - 'machine_snapshot' - 'machine_version' AS application, to_jsonb(c) - 'machine_snapshot' - 'machine_version' AS call,
              COALESCE((SELECT json_agg(json_build_object('id', f.id, 'kind', f.kind, 'filename', f.filename, 'sha256', f.sha256) ORDER BY f.created_at)
                        FROM attachment f WHERE f.application_id = a.id AND f.removed_at IS NULL), '[]') AS attachments,
              EXISTS (SELECT 1 FROM organisation_user u WHERE u.user_id = $2 AND u.organisation_id = a.organisation_id) AS representative,
              EXISTS (SELECT 1 FROM agenda_item i WHERE i.application_id = a.id) AS "onAgenda"
       FROM application a JOIN funding_call c ON c.id = a.call_id
       WHERE a.id = $1
       FOR UPDATE OF a`,
      [id, userId],
    );
    if (!row) return null;
    return {
      application: this.db.entityFrom(Application, row.application),
      call: this.db.entityFrom(FundingCall, row.call),
      attachments: row.attachments,
      representative: row.representative,
      onAgenda: row.onAgenda,
    };
  }

  /** A call's eligible applications in reference order: what a session's agenda can take. */
  eligibleForCall(manager: EntityManager, callId: string): Promise<Application[]> {
    return manager
      .createQueryBuilder(Application, 'a')
      .where('a.call_id = :callId AND a.status = :status', { callId, status: 'eligible' })
      .orderBy('a.reference_seq', 'ASC')
      .getMany();
  }

  /** Stores a state change computed by the application machine. */
  async saveStatus(manager: EntityManager, application: Application, status: ApplicationStatus, snapshot: object): Promise<Application> {
    return manager.getRepository(Application).save({ ...application, status, machineSnapshot: snapshot });
  }

  create(manager: EntityManager, columns: Partial<Application>): Promise<Application> {
    const repository = manager.getRepository(Application);
    return repository.save(repository.create(columns));
  }

  save(manager: EntityManager, application: Application): Promise<Application> {
    return manager.getRepository(Application).save(application);
  }

  addAttachment(manager: EntityManager, columns: Partial<Attachment>): Promise<Attachment> {
    const repository = manager.getRepository(Attachment);
    return repository.save(repository.create(columns));
  }

  countAttachments(manager: EntityManager, applicationId: string): Promise<number> {
    return manager.countBy(Attachment, { applicationId, removedAt: IsNull() });
  }

  findAttachment(manager: EntityManager, id: string, applicationId: string): Promise<Attachment | null> {
    return manager.findOneBy(Attachment, { id, applicationId });
  }

  /** Only marked: submitted versions may refer to the file. */
  async markAttachmentRemoved(manager: EntityManager, id: string): Promise<void> {
    await manager.update(Attachment, { id }, { removedAt: new Date() });
  }

  attachments(applicationId: string, manager: EntityManager = this.db.manager): Promise<Attachment[]> {
    return manager.getRepository(Attachment).find({ where: { applicationId, removedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  async attachmentWithContent(applicationId: string, attachmentId: string): Promise<Attachment | null> {
    return this.db.manager
      .getRepository(Attachment)
      .createQueryBuilder('f')
      .addSelect('f.content')
      .where('f.id = :attachmentId AND f.application_id = :applicationId', { attachmentId, applicationId })
      .getOne();
  }

  /** Is the application on the agenda of a round-table session? Then the table's members may read it. */
  async isOnAgenda(applicationId: string): Promise<boolean> {
    const rows = await this.db.manager.query(`SELECT 1 FROM agenda_item WHERE application_id = $1 LIMIT 1`, [applicationId]);
    return rows.length > 0;
  }

  /** Removes a draft for good, its attachments included (a draft has no submitted versions). */
  async deleteDraft(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(Attachment, { applicationId: id });
    await manager.delete(Application, { id, status: 'draft' });
  }

  versions(applicationId: string): Promise<ApplicationVersion[]> {
    return this.db.manager.getRepository(ApplicationVersion).find({ where: { applicationId }, order: { number: 'ASC' } });
  }

  version(applicationId: string, number: number): Promise<ApplicationVersion | null> {
    return this.db.manager.getRepository(ApplicationVersion).findOneBy({ applicationId, number });
  }

  /**
   * What a receipt shows, in one query: the submitted version, its call, the organisation's address
   * and the submitter's name (a receipt is made for every submission, so its reads add up in a rush).
   */
  async receiptData(applicationId: string, number: number): Promise<ReceiptData | null> {
    const [row] = await this.db.manager.query(
      `SELECT v.snapshot, v.submitted_at AS "submittedAt", c.title AS "callTitle", c.year AS "callYear",
              o.name, o.street, o.postal_code AS "postalCode", o.city, u.full_name AS "submitterName"
       FROM application_version v
       JOIN application a ON a.id = v.application_id
       JOIN funding_call c ON c.id = a.call_id
       JOIN organisation o ON o.id = a.organisation_id
       LEFT JOIN app_user u ON u.id = v.submitted_by
       WHERE v.application_id = $1 AND v.number = $2`,
      [applicationId, number],
    );
    if (!row) return null;
    return {
      snapshot: row.snapshot,
      submittedAt: new Date(row.submittedAt),
      callTitle: row.callTitle,
      callYear: Number(row.callYear),
      organisation: { name: row.name, street: row.street, postalCode: row.postalCode, city: row.city },
      submitterName: row.submitterName,
    };
  }

  /**
   * Makes sure the year has its reference number sequence (`reference_number_<year>`). Run outside
   * a transaction, when a submission met MissingReferenceSequence; two instances creating it at once is harmless.
   */
  async ensureReferenceSequence(year: number): Promise<void> {
    if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`not a year: ${year}`);
    try {
      await this.db.manager.query(`CREATE SEQUENCE IF NOT EXISTS reference_number_${year}`);
    } catch (error) {
      // Created by another request at the same moment: unique_violation or duplicate_table.
      if (!['23505', '42P07'].includes((error as { code?: string }).code ?? '')) throw error;
    }
  }

  /**
   * Records a submission in one statement (in the caller's transaction): on the first submission it draws the next reference
   * number of the year from its sequence (NE-2026-0042; more digits once past 9999), stores the new
   * state on the application and adds the version, its snapshot completed by the reference number.
   *
   * A sequence holds no lock until the commit, so submissions do not wait for each other. The
   * numbers are unique and rise; they are gapless as long as no submission fails after its number
   * was drawn (the draw comes after every check, so only a database failure or crash between the
   * draw and the commit leaves a gap).
   */
  async recordSubmission(
    submission: {
      id: string;
      year: number;
      referenceNumber: string | null;
      status: ApplicationStatus;
      machineSnapshot: object;
      number: number;
      submittedAt: Date;
      submittedBy: string;
      snapshot: object;
      replyMessage: string | null;
    },
    audit: AuditRow,
  ): Promise<{ referenceNumber: string; version: number; updatedAt: Date; firstSubmittedAt: Date }> {
    const [sql, params] = auditedStatement({
      with: `drawn AS (
         SELECT CASE WHEN $3::text IS NULL THEN nextval(('reference_number_' || $2::int)::regclass) END AS n
       ), reference AS (
         SELECT COALESCE($3::text, 'NE-' || $2::int || '-' || lpad(n::text, greatest(4, length(n::text)), '0')) AS number FROM drawn
       ), saved AS (
         UPDATE application a
         SET reference_number = reference.number, status = $4, machine_snapshot = $5::jsonb, submission_count = $6,
             submitted_at = $7, first_submitted_at = COALESCE(a.first_submitted_at, $7), version = a.version + 1, updated_at = now()
         FROM reference WHERE a.id = $1
         RETURNING a.reference_number, a.version, a.updated_at, a.first_submitted_at
       ), version AS (
         INSERT INTO application_version (application_id, number, submitted_at, submitted_by, snapshot, reply_message)
         SELECT $1, $6, $7, $8, $9::jsonb || jsonb_build_object('referenceNumber', saved.reference_number), $10 FROM saved
       )`,
      select: `SELECT reference_number AS "referenceNumber", version, updated_at AS "updatedAt", first_submitted_at AS "firstSubmittedAt" FROM saved`,
      params: [
        submission.id, submission.year, submission.referenceNumber, submission.status, JSON.stringify(submission.machineSnapshot), submission.number,
        submission.submittedAt, submission.submittedBy, JSON.stringify(submission.snapshot), submission.replyMessage,
      ],
    }, audit, { source: 'saved', afterSql: `jsonb_build_object('referenceNumber', saved.reference_number)` });
    // The submission, its version and its audit row (with the number drawn here) are one statement.
    const [row] = await this.db.prepared<{ referenceNumber: string; version: number; updatedAt: Date; firstSubmittedAt: Date }>('applications.recordSubmission', sql, params).catch((error: unknown) => {
      // undefined_table: the year's sequence does not exist yet (only the first submission of a year).
      if ((error as { code?: string }).code === '42P01' && (error as Error).message.includes(`reference_number_${submission.year}`)) {
        throw new MissingReferenceSequence(submission.year);
      }
      throw error;
    });
    return row;
  }
}

/** A submission found no reference number sequence for its year: create it with ensureReferenceSequence, then try again. */
export class MissingReferenceSequence extends Error {
  constructor(readonly year: number) {
    super(`reference_number_${year} does not exist`);
  }
}

/** The data of one receipt (see receiptData). */
export interface ReceiptData {
  snapshot: object;
  submittedAt: Date;
  callTitle: string;
  callYear: number;
  organisation: { name: string; street: string; postalCode: string; city: string };
  submitterName: string | null;
}

/** What a submission is checked against (see forSubmission). */
export interface SubmissionContext {
  application: Application;
  call: FundingCall;
  attachments: Pick<Attachment, 'id' | 'kind' | 'filename' | 'sha256'>[];
  representative: boolean;
  onAgenda: boolean;
}
