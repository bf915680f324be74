import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import { Organisation, OrganisationContact, OrganisationUser, type OrganisationStatus } from './organisation.entities.js';

/** The unique indexes that keep one organisation per register entry, or per name without one. */
const UNIQUE_INDEXES = ['organisation_register_unique', 'organisation_name_unique'];

/** Whether a write failed because the organisation already exists (see migration OrganisationUnique). */
export function isDuplicateOrganisation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })?.driverError;
  return driverError?.code === '23505' && UNIQUE_INDEXES.includes(driverError.constraint ?? '');
}

/** Every query on organisations, their contacts and the accounts acting for them. */
@Injectable()
export class OrganisationsRepository {
  constructor(private readonly db: Transactions) {}

  list(filter: { userId?: string; status?: OrganisationStatus; search?: string }): Promise<Organisation[]> {
    const query = this.db.manager.getRepository(Organisation).createQueryBuilder('o').orderBy('lower(o.name)', 'ASC');
    if (filter.userId) query.innerJoin(OrganisationUser, 'ou', 'ou.organisation_id = o.id AND ou.user_id = :userId', { userId: filter.userId });
    if (filter.status) query.andWhere('o.status = :status', { status: filter.status });
    if (filter.search) query.andWhere('o.name ILIKE :search', { search: `%${filter.search.replace(/[%_\\]/g, '\\$&')}%` });
    return query.getMany();
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<Organisation | null> {
    return manager.findOneBy(Organisation, { id });
  }

  /** Locks the row for the rest of the transaction, so that concurrent changes are applied one after another. */
  findForUpdate(manager: EntityManager, id: string): Promise<Organisation | null> {
    return manager.getRepository(Organisation).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  create(manager: EntityManager, columns: Partial<Organisation>): Promise<Organisation> {
    const repository = manager.getRepository(Organisation);
    return repository.save(repository.create(columns));
  }

  save(manager: EntityManager, organisation: Organisation): Promise<Organisation> {
    return manager.getRepository(Organisation).save(organisation);
  }

  /** Saves `current` with the changes applied. */
  saveChanges(manager: EntityManager, current: Organisation, changes: Partial<Organisation>): Promise<Organisation> {
    const repository = manager.getRepository(Organisation);
    return repository.save(repository.merge(repository.create({ ...current }), changes));
  }

  /** The organisation that already holds this register entry, or this name when there is none. */
  async findDuplicate(columns: Pick<Organisation, 'name' | 'registerCourt' | 'registerNumber'>): Promise<{ id: string; name: string } | null> {
    const [row] = columns.registerNumber
      ? await this.db.manager.query(
          `SELECT id, name FROM organisation WHERE register_number IS NOT NULL
             AND replace(lower(regexp_replace(coalesce(register_court, ''), '\\s+', '', 'g')), 'amtsgericht', 'ag') = replace(lower(regexp_replace(coalesce($1::text, ''), '\\s+', '', 'g')), 'amtsgericht', 'ag')
             AND upper(regexp_replace(register_number, '[\\s.-]+', '', 'g')) = upper(regexp_replace($2::text, '[\\s.-]+', '', 'g'))`,
          [columns.registerCourt, columns.registerNumber],
        )
      : await this.db.manager.query(
          `SELECT id, name FROM organisation WHERE register_number IS NULL AND lower(regexp_replace(btrim(name), '\\s+', ' ', 'g')) = lower(regexp_replace(btrim($1::text), '\\s+', ' ', 'g'))`,
          [columns.name],
        );
    return row ?? null;
  }

  exists(id: string, manager: EntityManager = this.db.manager): Promise<boolean> {
    return manager.existsBy(Organisation, { id });
  }

  async addRepresentative(manager: EntityManager, organisationId: string, userId: string): Promise<void> {
    await manager.insert(OrganisationUser, { organisationId, userId });
  }

  isRepresentative(userId: string, organisationId: string): Promise<boolean> {
    return this.db.manager.getRepository(OrganisationUser).existsBy({ userId, organisationId });
  }

  findContact(manager: EntityManager, id: string, organisationId: string): Promise<OrganisationContact | null> {
    return manager.findOneBy(OrganisationContact, { id, organisationId });
  }

  async insertContact(manager: EntityManager, columns: Pick<OrganisationContact, 'organisationId' | 'fullName' | 'email' | 'isPrimary'>): Promise<void> {
    await manager.insert(OrganisationContact, columns);
  }

  addContact(manager: EntityManager, columns: Partial<OrganisationContact>): Promise<OrganisationContact> {
    const repository = manager.getRepository(OrganisationContact);
    return repository.save(repository.create(columns));
  }

  async clearPrimaryContact(manager: EntityManager, organisationId: string): Promise<void> {
    await manager.update(OrganisationContact, { organisationId }, { isPrimary: false });
  }

  async removeContact(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(OrganisationContact, { id });
  }

  contacts(organisationId: string): Promise<OrganisationContact[]> {
    return this.db.manager.getRepository(OrganisationContact).find({ where: { organisationId }, order: { isPrimary: 'DESC', fullName: 'ASC' } });
  }

  representatives(organisationId: string): Promise<{ id: string; fullName: string; email: string }[]> {
    return this.db.manager.query(
      `SELECT u.id, u.full_name AS "fullName", u.email FROM organisation_user ou JOIN app_user u ON u.id = ou.user_id
       WHERE ou.organisation_id = $1 ORDER BY u.full_name`,
      [organisationId],
    );
  }

  /**
   * Who hears about the organisation's confirmation: the active accounts acting for it, in their
   * language, and the contacts with an email address that no such account has, in German.
   */
  mailRecipients(manager: EntityManager, organisationId: string): Promise<{ email: string; name: string; lang: 'de' | 'en' }[]> {
    return manager.query(
      `SELECT u.email, u.full_name AS name, u.preferred_language AS lang
         FROM organisation_user ou JOIN app_user u ON u.id = ou.user_id
        WHERE ou.organisation_id = $1 AND u.status = 'active'
       UNION ALL
       SELECT DISTINCT ON (lower(c.email)) lower(c.email), c.full_name, 'de'
         FROM organisation_contact c
        WHERE c.organisation_id = $1 AND c.email IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM organisation_user ou JOIN app_user u ON u.id = ou.user_id
                           WHERE ou.organisation_id = $1 AND lower(u.email) = lower(c.email))`,
      [organisationId],
    );
  }

  /** The active accounts acting for the organisation, who get mail about its applications. */
  accountRecipients(manager: EntityManager, organisationId: string): Promise<{ email: string; name: string; lang: 'de' | 'en' }[]> {
    return manager.query(
      `SELECT u.email, u.full_name AS name, u.preferred_language AS lang FROM organisation_user ou JOIN app_user u ON u.id = ou.user_id
       WHERE ou.organisation_id = $1 AND u.status = 'active'`,
      [organisationId],
    );
  }

  countByStatus(): Promise<{ status: OrganisationStatus; count: number }[]> {
    return this.db.manager.query(`SELECT status, count(*)::int AS count FROM organisation GROUP BY status`);
  }
}
