import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import type { VisitStatus } from './visits.rules.js';

/** A decision as the visits need it: whether it funds a project, and whose project it is. */
export interface DecisionFacts {
  id: string;
  kind: 'award' | 'rejection';
  status: 'draft' | 'released';
  callId: string;
  applicationId: string;
  organisationId: string;
  periodStart: string | null;
  periodEnd: string | null;
}

/** A funded project of a call (a released award) with its usage report as far as the visits show it. */
export interface FundedProject {
  decisionId: string;
  applicationId: string;
  callId: string;
  referenceNumber: string;
  title: string;
  organisationName: string;
  awardedCents: number;
  periodStart: string;
  periodEnd: string;
  expectedParticipants: number | null;
  reportStatus: 'due' | 'submitted' | 'in_check' | 'clarification_requested' | 'accepted' | 'settled_with_claim' | null;
  reportDueOn: string | null;
  /** Stated in the usage report; null until it is submitted. */
  participantsTotal: number | null;
}

export interface VisitPhotoRow {
  id: string;
  filename: string;
  contentType: 'image/jpeg' | 'image/png';
  sizeBytes: number;
  uploadedAt: Date;
}

export interface VisitRow {
  id: string;
  decisionId: string;
  callId: string;
  status: VisitStatus;
  visitOn: string;
  staff: string;
  checklist: Record<string, string>;
  notes: string | null;
  plannedByName: string;
  recordedByName: string | null;
  recordedAt: Date | null;
  createdAt: Date;
  version: number;
  /** When the retention job deleted the grant's photos and visit notes (src/privacy), or null. */
  personalDataDeletedAt: Date | null;
  photos: VisitPhotoRow[];
}

const VISIT_COLUMNS = `v.id, v.decision_id AS "decisionId", v.call_id AS "callId", v.status, v.visit_on::text AS "visitOn", v.staff, v.checklist, v.notes,
  pu.full_name AS "plannedByName", ru.full_name AS "recordedByName", v.recorded_at AS "recordedAt", v.created_at AS "createdAt", v.version,
  (SELECT r.personal_data_deleted_at FROM usage_report r WHERE r.decision_id = v.decision_id) AS "personalDataDeletedAt",
  COALESCE((SELECT json_agg(json_build_object('id', p.id, 'filename', p.filename, 'contentType', p.content_type, 'sizeBytes', p.size_bytes, 'uploadedAt', p.uploaded_at) ORDER BY p.uploaded_at, p.id)
            FROM site_visit_photo p WHERE p.visit_id = v.id), '[]') AS photos`;
const VISIT_FROM = `site_visit v JOIN app_user pu ON pu.id = v.planned_by LEFT JOIN app_user ru ON ru.id = v.recorded_by`;

const PROJECT_COLUMNS = `d.id AS "decisionId", a.id AS "applicationId", d.call_id AS "callId", a.reference_number AS "referenceNumber", a.title, o.name AS "organisationName",
  d.amount_cents::float8 AS "awardedCents", d.period_start::text AS "periodStart", d.period_end::text AS "periodEnd", a.expected_participants AS "expectedParticipants",
  r.status AS "reportStatus", r.due_on::text AS "reportDueOn", CASE WHEN r.status = 'due' THEN NULL ELSE r.participants_total END AS "participantsTotal"`;
const PROJECT_FROM = `decision d JOIN application a ON a.id = d.application_id JOIN organisation o ON o.id = a.organisation_id LEFT JOIN usage_report r ON r.decision_id = d.id`;
const FUNDED = `d.kind = 'award' AND d.status = 'released' AND d.period_end IS NOT NULL`;

/** Every query on site visits and their photos, and the funded projects they are made to. */
@Injectable()
export class VisitsRepository {
  constructor(private readonly db: Transactions) {}

  async decision(id: string, manager: EntityManager = this.db.manager): Promise<DecisionFacts | null> {
    const [row] = await manager.query(
      `SELECT d.id, d.kind, d.status, d.call_id AS "callId", d.application_id AS "applicationId", a.organisation_id AS "organisationId",
              d.period_start::text AS "periodStart", d.period_end::text AS "periodEnd"
       FROM decision d JOIN application a ON a.id = d.application_id WHERE d.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** The released award on an application, if there is one. */
  async releasedAwardOf(applicationId: string): Promise<string | null> {
    const [row] = await this.db.manager.query(`SELECT d.id FROM decision d WHERE d.application_id = $1 AND ${FUNDED}`, [applicationId]);
    return row?.id ?? null;
  }

  /** The funded projects of a call, by reference number. */
  projects(callId: string): Promise<FundedProject[]> {
    return this.db.manager.query(`SELECT ${PROJECT_COLUMNS} FROM ${PROJECT_FROM} WHERE d.call_id = $1 AND ${FUNDED} ORDER BY a.reference_seq, d.id`, [callId]);
  }

  async project(decisionId: string): Promise<FundedProject | null> {
    const [row] = await this.db.manager.query(`SELECT ${PROJECT_COLUMNS} FROM ${PROJECT_FROM} WHERE d.id = $1 AND ${FUNDED}`, [decisionId]);
    return row ?? null;
  }

  /** Funded projects of every call whose period ends between the two days (inclusive). */
  projectsEndingBetween(from: string, until: string): Promise<(FundedProject & { callTitle: string; callYear: number })[]> {
    return this.db.manager.query(
      `SELECT ${PROJECT_COLUMNS}, c.title AS "callTitle", c.year AS "callYear" FROM ${PROJECT_FROM} JOIN funding_call c ON c.id = d.call_id
       WHERE ${FUNDED} AND d.period_end BETWEEN $1 AND $2 ORDER BY d.period_end, a.reference_seq`,
      [from, until],
    );
  }

  ofCall(callId: string): Promise<VisitRow[]> {
    return this.db.manager.query(`SELECT ${VISIT_COLUMNS} FROM ${VISIT_FROM} WHERE v.call_id = $1 ORDER BY v.visit_on, v.created_at`, [callId]);
  }

  ofDecisions(decisionIds: string[]): Promise<VisitRow[]> {
    return this.db.manager.query(`SELECT ${VISIT_COLUMNS} FROM ${VISIT_FROM} WHERE v.decision_id = ANY($1::uuid[]) ORDER BY v.visit_on, v.created_at`, [decisionIds]);
  }

  async find(id: string, manager: EntityManager = this.db.manager): Promise<VisitRow | null> {
    const [row] = await manager.query(`SELECT ${VISIT_COLUMNS} FROM ${VISIT_FROM} WHERE v.id = $1`, [id]);
    return row ?? null;
  }

  /**
   * When the retention job deleted the personal data of the visit's grant (null while kept), read with
   * the grant's usage report locked FOR SHARE: the job holds that row FOR UPDATE while it deletes, so
   * a photo or notes wait for it and then see the deletion. Taken before the visit's own row, in the
   * job's order (report, then visits).
   */
  async personalDataDeletedAt(manager: EntityManager, visitId: string): Promise<Date | null> {
    const [row] = await manager.query(
      `SELECT r.personal_data_deleted_at AS "deletedAt" FROM site_visit v JOIN usage_report r ON r.decision_id = v.decision_id WHERE v.id = $1 FOR SHARE OF r`,
      [visitId],
    );
    return row?.deletedAt ?? null;
  }

  /** Locks the visit's row for a change. */
  async lock(manager: EntityManager, id: string): Promise<boolean> {
    const rows = await manager.query(`SELECT id FROM site_visit WHERE id = $1 FOR UPDATE`, [id]);
    return rows.length > 0;
  }

  async insert(manager: EntityManager, visit: { decisionId: string; callId: string; visitOn: string; staff: string; plannedBy: string }): Promise<string> {
    const [row] = await manager.query(
      `INSERT INTO site_visit (decision_id, call_id, visit_on, staff, planned_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [visit.decisionId, visit.callId, visit.visitOn, visit.staff, visit.plannedBy],
    );
    return row.id;
  }

  async updatePlan(manager: EntityManager, id: string, change: { visitOn: string; staff: string }): Promise<void> {
    await manager.query(`UPDATE site_visit SET visit_on = $2, staff = $3, version = version + 1 WHERE id = $1`, [id, change.visitOn, change.staff]);
  }

  async record(manager: EntityManager, id: string, protocol: { visitOn: string; checklist: Record<string, string>; notes: string | null; recordedBy: string }): Promise<void> {
    await manager.query(
      `UPDATE site_visit SET status = 'done', visit_on = $2, checklist = $3::jsonb, notes = $4, recorded_by = $5, recorded_at = now(), version = version + 1 WHERE id = $1`,
      [id, protocol.visitOn, JSON.stringify(protocol.checklist), protocol.notes, protocol.recordedBy],
    );
  }

  async countPhotos(manager: EntityManager, visitId: string): Promise<number> {
    const [row] = await manager.query(`SELECT count(*)::int AS n FROM site_visit_photo WHERE visit_id = $1`, [visitId]);
    return row.n;
  }

  async insertPhoto(manager: EntityManager, photo: { visitId: string; filename: string; contentType: string; content: Buffer; uploadedBy: string }): Promise<VisitPhotoRow> {
    const [row] = await manager.query(
      `INSERT INTO site_visit_photo (visit_id, filename, content_type, size_bytes, content, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, filename, content_type AS "contentType", size_bytes AS "sizeBytes", uploaded_at AS "uploadedAt"`,
      [photo.visitId, photo.filename, photo.contentType, photo.content.length, photo.content, photo.uploadedBy],
    );
    return row;
  }

  async photo(visitId: string, photoId: string): Promise<{ filename: string; contentType: string; content: Buffer } | null> {
    const [row] = await this.db.manager.query(
      `SELECT filename, content_type AS "contentType", content FROM site_visit_photo WHERE id = $1 AND visit_id = $2`,
      [photoId, visitId],
    );
    return row ?? null;
  }

  /** The calls with at least one funded project, newest first. */
  callsWithProjects(): Promise<{ id: string; title: string; year: number; projects: number }[]> {
    return this.db.manager.query(
      `SELECT c.id, c.title, c.year, count(d.id)::int AS projects FROM funding_call c JOIN decision d ON d.call_id = c.id AND ${FUNDED}
       GROUP BY c.id ORDER BY c.year DESC, c.title`,
    );
  }
}
