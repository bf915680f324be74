import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import { Application, ApplicationVersion, Attachment } from './application.entities.js';
import type { ApplicationStatus } from './application.machine.js';

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

  /** Applications with organisation and call, for lists; filtered by who may see them. */
  async list(filter: { userId?: string; callId?: string; status?: string; fieldOfAction?: string }): Promise<ApplicationListRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.userId) where.push(`a.organisation_id IN (SELECT organisation_id FROM organisation_user WHERE user_id = ${param(filter.userId)})`);
    if (filter.callId) where.push(`a.call_id = ${param(filter.callId)}`);
    if (filter.status) where.push(`a.status = ${param(filter.status)}`);
    if (filter.fieldOfAction) where.push(`a.field_of_action = ${param(filter.fieldOfAction)}`);
    const rows = await this.db.manager.query(
      `SELECT a.id, a.reference_number AS "referenceNumber", a.title, a.status, a.field_of_action AS "fieldOfAction",
              a.requested_cents::float8 AS "requestedCents", a.submitted_at AS "submittedAt", a.version,
              o.id AS "organisationId", o.name AS "organisationName", o.status AS "organisationStatus",
              c.id AS "callId", c.year AS "callYear", c.title AS "callTitle"
       FROM application a JOIN organisation o ON o.id = a.organisation_id JOIN funding_call c ON c.id = a.call_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.reference_number NULLS LAST, a.created_at`,
      params,
    );
    return rows;
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<Application | null> {
    return manager.findOneBy(Application, { id });
  }

  findForUpdate(manager: EntityManager, id: string): Promise<Application | null> {
    return manager.getRepository(Application).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** A call's eligible applications in reference order: what a session's agenda can take. */
  eligibleForCall(manager: EntityManager, callId: string): Promise<Application[]> {
    return manager.find(Application, { where: { callId, status: 'eligible' }, order: { referenceNumber: 'ASC' } });
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

  async insertVersion(manager: EntityManager, row: Pick<ApplicationVersion, 'applicationId' | 'number' | 'submittedAt' | 'submittedBy' | 'snapshot' | 'replyMessage'>): Promise<void> {
    await manager.insert(ApplicationVersion, row);
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

  /** The next reference number of a year, e.g. 42 → NE-2026-0042; the row lock serialises concurrent submissions. */
  async nextReferenceNumber(manager: EntityManager, year: number): Promise<string> {
    const [row] = await manager.query(
      `INSERT INTO reference_counter (year, last_number) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_number = reference_counter.last_number + 1
       RETURNING last_number`,
      [year],
    );
    return `NE-${year}-${String(row.last_number).padStart(4, '0')}`;
  }
}
