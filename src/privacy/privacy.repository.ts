import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';

/** A closed usage report as the retention job and its page see it: Berlin days, what is left, how much. */
export interface RetentionReport {
  id: string;
  decisionId: string;
  organisationId: string;
  organisationName: string;
  referenceNumber: string;
  title: string;
  acceptedOn: string;
  lastSubmittedOn: string;
  personalDataDeletedAt: Date | null;
  receiptsDeletedAt: Date | null;
  listFiles: number;
  photos: number;
  visitNotes: number;
  receipts: number;
}

/** A deletion as the audit trail recorded it. */
export interface RetentionDeletion {
  occurredAt: Date;
  reportId: string;
  after: Record<string, unknown>;
}

/** A stored file for the access report. */
export interface StoredFile {
  id: string;
  owner: string;
  filename: string;
  content: Buffer;
}

const DAY = (column: string) => `(${column} AT TIME ZONE 'Europe/Berlin')::date::text`;

const RETENTION_COLUMNS = `
  r.id, r.decision_id AS "decisionId", r.organisation_id AS "organisationId", o.name AS "organisationName",
  a.reference_number AS "referenceNumber", a.title,
  ${DAY('r.accepted_at')} AS "acceptedOn", ${DAY('r.submitted_at')} AS "lastSubmittedOn",
  r.personal_data_deleted_at AS "personalDataDeletedAt", r.receipts_deleted_at AS "receiptsDeletedAt",
  (SELECT count(*)::int FROM report_file f WHERE f.report_id = r.id) AS "listFiles",
  (SELECT count(*)::int FROM site_visit_photo p JOIN site_visit v ON v.id = p.visit_id WHERE v.decision_id = r.decision_id) AS photos,
  (SELECT count(*)::int FROM site_visit v WHERE v.decision_id = r.decision_id AND v.notes IS NOT NULL) AS "visitNotes",
  (SELECT count(*)::int FROM report_receipt rc WHERE rc.report_id = r.id) AS receipts`;
const RETENTION_FROM = `usage_report r JOIN decision d ON d.id = r.decision_id JOIN application a ON a.id = d.application_id JOIN organisation o ON o.id = r.organisation_id`;
const CLOSED = `r.status IN ('accepted', 'settled_with_claim')`;

/** The queries of data protection: the retention job's deletions and the access report's reading. */
@Injectable()
export class PrivacyRepository {
  constructor(private readonly db: Transactions) {}

  /** Closed reports with something not yet deleted (the partial index usage_report_retention_idx). */
  pending(): Promise<RetentionReport[]> {
    return this.db.manager.query(
      `SELECT ${RETENTION_COLUMNS} FROM ${RETENTION_FROM}
        WHERE ${CLOSED} AND (r.personal_data_deleted_at IS NULL OR r.receipts_deleted_at IS NULL)
        ORDER BY r.accepted_at, r.id`,
    );
  }

  /**
   * Lets this transaction delete and change rows of a call made read-only by the archive (its
   * triggers let a transaction with this setting through); transaction-local.
   */
  async allowRetentionWrites(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT set_config('foerdertisch.retention', 'on', true)`);
  }

  /** The report locked, as it is now: a second instance waits here and then finds it deleted. */
  async lock(manager: EntityManager, reportId: string): Promise<RetentionReport | null> {
    const [row] = await manager.query(`SELECT ${RETENTION_COLUMNS} FROM ${RETENTION_FROM} WHERE r.id = $1 AND ${CLOSED} FOR UPDATE OF r`, [reportId]);
    return row ?? null;
  }

  /** Deletes the participant lists, visit photos and visit notes of the report's grant and marks the report; the numbers deleted. */
  async deletePersonalData(manager: EntityManager, reportId: string, decisionId: string): Promise<{ listFiles: number; photos: number; visitNotes: number }> {
    const [row] = await manager.query(
      // A data-modifying CTE runs whether or not the final SELECT reads it: `mark` needs no reference.
      `WITH files AS (DELETE FROM report_file WHERE report_id = $1 RETURNING 1),
            photos AS (DELETE FROM site_visit_photo p USING site_visit v WHERE p.visit_id = v.id AND v.decision_id = $2 RETURNING 1),
            notes AS (UPDATE site_visit SET notes = NULL, version = version + 1 WHERE decision_id = $2 AND notes IS NOT NULL RETURNING 1),
            mark AS (UPDATE usage_report SET personal_data_deleted_at = now() WHERE id = $1 RETURNING 1)
       SELECT (SELECT count(*)::int FROM files) AS "listFiles", (SELECT count(*)::int FROM photos) AS photos,
              (SELECT count(*)::int FROM notes) AS "visitNotes"`,
      [reportId, decisionId],
    );
    return { listFiles: row.listFiles, photos: row.photos, visitNotes: row.visitNotes };
  }

  /**
   * Deletes the receipt list and the statement's figures (actual lines, own, third-party and other
   * income) and marks the report; the number of receipts deleted. The counts, the narrative and the
   * settlement result stay.
   */
  async deleteReceipts(manager: EntityManager, reportId: string): Promise<{ receipts: number }> {
    const [row] = await manager.query(
      `WITH receipts AS (DELETE FROM report_receipt WHERE report_id = $1 RETURNING 1),
            mark AS (UPDATE usage_report SET actual_lines = '[]', own_funds_cents = NULL, third_party_cents = NULL, other_income_cents = NULL,
                                              receipts_deleted_at = now(), version = version + 1, updated_at = now()
                        WHERE id = $1 RETURNING 1)
       SELECT (SELECT count(*)::int FROM receipts) AS receipts`,
      [reportId],
    );
    return { receipts: row.receipts };
  }

  /** The latest deletions, newest first, from the audit trail. */
  recentDeletions(limit: number): Promise<RetentionDeletion[]> {
    return this.db.manager.query(
      `SELECT occurred_at AS "occurredAt", entity_id AS "reportId", after FROM audit_event
        WHERE action = 'retention.deleted' ORDER BY id DESC LIMIT $1`,
      [limit],
    );
  }

  // The access report (Art. 15 DSGVO): everything held about one organisation.

  async organisation(id: string): Promise<Record<string, unknown> | null> {
    const [row] = await this.db.manager.query(`SELECT to_jsonb(o) AS row FROM organisation o WHERE o.id = $1`, [id]);
    return row?.row ?? null;
  }

  async contacts(id: string): Promise<Record<string, unknown>[]> {
    return this.rows(`SELECT to_jsonb(c) AS row FROM organisation_contact c WHERE c.organisation_id = $1 ORDER BY c.created_at, c.id`, [id]);
  }

  /** The accounts acting for the organisation, without their password hash, with their last successful login. */
  async accounts(id: string): Promise<Record<string, unknown>[]> {
    return this.rows(
      `SELECT jsonb_build_object('id', u.id, 'fullName', u.full_name, 'email', u.email, 'roles', u.roles, 'language', u.preferred_language,
                                 'status', u.status, 'createdAt', u.created_at, 'addedToOrganisationAt', ou.added_at,
                                 'lastLoginAt', (SELECT max(l.attempted_at) FROM login_attempt l WHERE lower(l.email) = lower(u.email) AND l.succeeded)) AS row
         FROM organisation_user ou JOIN app_user u ON u.id = ou.user_id WHERE ou.organisation_id = $1 ORDER BY u.full_name, u.id`,
      [id],
    );
  }

  /** Applications with every submitted version and their attachments' details (the workflow's internal snapshot left out). */
  async applications(id: string): Promise<Record<string, unknown>[]> {
    return this.rows(
      `SELECT to_jsonb(a) - 'machine_snapshot' - 'machine_version'
              || jsonb_build_object(
                   'versions', COALESCE((SELECT jsonb_agg(jsonb_build_object('number', v.number, 'submittedAt', v.submitted_at, 'submittedBy', su.full_name,
                                                                          'snapshot', v.snapshot, 'replyMessage', v.reply_message) ORDER BY v.number)
                                         FROM application_version v LEFT JOIN app_user su ON su.id = v.submitted_by WHERE v.application_id = a.id), '[]'),
                   'attachments', COALESCE((SELECT jsonb_agg(jsonb_build_object('id', t.id, 'kind', t.kind, 'filename', t.filename, 'contentType', t.content_type,
                                                                             'sizeBytes', t.size_bytes, 'sha256', t.sha256, 'createdAt', t.created_at, 'removedAt', t.removed_at) ORDER BY t.created_at, t.id)
                                            FROM attachment t WHERE t.application_id = a.id), '[]')) AS row
         FROM application a WHERE a.organisation_id = $1 ORDER BY a.created_at, a.id`,
      [id],
    );
  }

  async decisions(id: string): Promise<Record<string, unknown>[]> {
    return this.rows(
      `SELECT to_jsonb(d) || jsonb_build_object('letter', (SELECT jsonb_build_object('filename', l.filename, 'sha256', l.sha256, 'createdAt', l.created_at)
                                                           FROM decision_letter l WHERE l.decision_id = d.id)) AS row
         FROM decision d JOIN application a ON a.id = d.application_id WHERE a.organisation_id = $1 ORDER BY d.drafted_at, d.id`,
      [id],
    );
  }

  async paymentRequests(id: string): Promise<Record<string, unknown>[]> {
    return this.rows(
      `SELECT to_jsonb(p) AS row FROM payment_request p JOIN decision d ON d.id = p.decision_id JOIN application a ON a.id = d.application_id
        WHERE a.organisation_id = $1 ORDER BY p.requested_at, p.id`,
      [id],
    );
  }

  /** Usage reports with their receipts and the details of their participant lists. */
  async usageReports(id: string): Promise<Record<string, unknown>[]> {
    return this.rows(
      `SELECT to_jsonb(r)
              || jsonb_build_object(
                   'receipts', COALESCE((SELECT jsonb_agg(to_jsonb(rc) - 'report_id' ORDER BY rc.position) FROM report_receipt rc WHERE rc.report_id = r.id), '[]'),
                   'participantLists', COALESCE((SELECT jsonb_agg(jsonb_build_object('id', f.id, 'filename', f.filename, 'contentType', f.content_type,
                                                                                  'sizeBytes', f.size_bytes, 'uploadedAt', f.uploaded_at) ORDER BY f.uploaded_at, f.id)
                                                 FROM report_file f WHERE f.report_id = r.id), '[]')) AS row
         FROM usage_report r WHERE r.organisation_id = $1 ORDER BY r.created_at, r.id`,
      [id],
    );
  }

  async repaymentClaims(id: string): Promise<Record<string, unknown>[]> {
    return this.rows(
      `SELECT to_jsonb(c) || jsonb_build_object('letter', (SELECT jsonb_build_object('filename', l.filename, 'sha256', l.sha256, 'createdAt', l.created_at)
                                                           FROM repayment_claim_letter l WHERE l.claim_id = c.id)) AS row
         FROM repayment_claim c JOIN usage_report r ON r.id = c.report_id WHERE r.organisation_id = $1 ORDER BY c.drafted_at, c.id`,
      [id],
    );
  }

  /** Site visits: day, state, checklist and the photos' details; the staff's own notes stay out (see docs/ARCHITECTURE.md). */
  async visits(id: string): Promise<Record<string, unknown>[]> {
    return this.rows(
      `SELECT jsonb_build_object('id', v.id, 'decisionId', v.decision_id, 'status', v.status, 'visitOn', v.visit_on, 'checklist', v.checklist,
                                 'recordedAt', v.recorded_at,
                                 'photos', COALESCE((SELECT jsonb_agg(jsonb_build_object('id', p.id, 'filename', p.filename, 'contentType', p.content_type,
                                                                                       'sizeBytes', p.size_bytes, 'uploadedAt', p.uploaded_at) ORDER BY p.uploaded_at, p.id)
                                                      FROM site_visit_photo p WHERE p.visit_id = v.id), '[]')) AS row
         FROM site_visit v JOIN decision d ON d.id = v.decision_id JOIN application a ON a.id = d.application_id
        WHERE a.organisation_id = $1 ORDER BY v.visit_on, v.id`,
      [id],
    );
  }

  /**
   * The audit events concerning the organisation: about it, its contacts, accounts, applications,
   * decisions, payments, reports, claims and visits, and those its accounts caused. The staff's
   * visit notes are left out here as in the visits.
   */
  async auditEvents(id: string): Promise<Record<string, unknown>[]> {
    return this.rows(
      `WITH ids AS (
         SELECT $1::text AS id
         UNION SELECT c.id::text FROM organisation_contact c WHERE c.organisation_id = $1::uuid
         UNION SELECT ou.user_id::text FROM organisation_user ou WHERE ou.organisation_id = $1::uuid
         UNION SELECT a.id::text FROM application a WHERE a.organisation_id = $1::uuid
         UNION SELECT d.id::text FROM decision d JOIN application a ON a.id = d.application_id WHERE a.organisation_id = $1::uuid
         UNION SELECT p.id::text FROM payment_request p JOIN decision d ON d.id = p.decision_id JOIN application a ON a.id = d.application_id WHERE a.organisation_id = $1::uuid
         UNION SELECT r.id::text FROM usage_report r WHERE r.organisation_id = $1::uuid
         UNION SELECT c.id::text FROM repayment_claim c JOIN usage_report r ON r.id = c.report_id WHERE r.organisation_id = $1::uuid
         UNION SELECT v.id::text FROM site_visit v JOIN decision d ON d.id = v.decision_id JOIN application a ON a.id = d.application_id WHERE a.organisation_id = $1::uuid
       )
       SELECT jsonb_build_object('id', e.id, 'occurredAt', e.occurred_at, 'actor', e.actor_label, 'action', e.action, 'entityType', e.entity_type,
                                 'entityId', e.entity_id,
                                 'before', CASE WHEN e.entity_type = 'site_visit' THEN e.before - 'notes' ELSE e.before END,
                                 'after', CASE WHEN e.entity_type = 'site_visit' THEN e.after - 'notes' ELSE e.after END) AS row
         FROM audit_event e
        WHERE e.entity_id IN (SELECT id FROM ids)
           OR e.actor_id IN (SELECT ou.user_id FROM organisation_user ou WHERE ou.organisation_id = $1::uuid)
        ORDER BY e.id`,
      [id],
    );
  }

  /** The submitted versions of the organisation's applications, for their receipts. */
  versions(id: string): Promise<{ applicationId: string; referenceNumber: string; number: number }[]> {
    return this.db.manager.query(
      `SELECT a.id AS "applicationId", a.reference_number AS "referenceNumber", v.number FROM application_version v JOIN application a ON a.id = v.application_id
        WHERE a.organisation_id = $1 ORDER BY a.reference_number, v.number`,
      [id],
    );
  }

  decisionLetters(id: string): Promise<StoredFile[]> {
    return this.db.manager.query(
      `SELECT l.decision_id AS id, a.reference_number AS owner, l.filename, l.content FROM decision_letter l JOIN decision d ON d.id = l.decision_id
         JOIN application a ON a.id = d.application_id WHERE a.organisation_id = $1 ORDER BY a.reference_number`,
      [id],
    );
  }

  claimLetters(id: string): Promise<StoredFile[]> {
    return this.db.manager.query(
      `SELECT l.claim_id AS id, a.reference_number AS owner, l.filename, l.content FROM repayment_claim_letter l JOIN repayment_claim c ON c.id = l.claim_id
         JOIN decision d ON d.id = c.decision_id JOIN application a ON a.id = d.application_id WHERE a.organisation_id = $1 ORDER BY a.reference_number`,
      [id],
    );
  }

  attachments(id: string): Promise<StoredFile[]> {
    return this.db.manager.query(
      `SELECT t.id, COALESCE(a.reference_number, a.id::text) AS owner, t.filename, t.content FROM attachment t JOIN application a ON a.id = t.application_id
        WHERE a.organisation_id = $1 ORDER BY t.created_at, t.id`,
      [id],
    );
  }

  participantLists(id: string): Promise<StoredFile[]> {
    return this.db.manager.query(
      `SELECT f.id, a.reference_number AS owner, f.filename, f.content FROM report_file f JOIN usage_report r ON r.id = f.report_id
         JOIN decision d ON d.id = r.decision_id JOIN application a ON a.id = d.application_id WHERE r.organisation_id = $1 ORDER BY f.uploaded_at, f.id`,
      [id],
    );
  }

  visitPhotos(id: string): Promise<StoredFile[]> {
    return this.db.manager.query(
      `SELECT p.id, a.reference_number AS owner, p.filename, p.content FROM site_visit_photo p JOIN site_visit v ON v.id = p.visit_id
         JOIN decision d ON d.id = v.decision_id JOIN application a ON a.id = d.application_id WHERE a.organisation_id = $1 ORDER BY p.uploaded_at, p.id`,
      [id],
    );
  }

  private async rows(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    return ((await this.db.manager.query(sql, params)) as { row: Record<string, unknown> }[]).map((r) => r.row);
  }
}
