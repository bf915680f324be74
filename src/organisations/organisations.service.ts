import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { hasAnyRole, STAFF_ROLES } from '../auth/roles.js';
import { Conflict, Forbidden, NotFound } from '../common/errors.js';
import { normaliseIban } from '../common/iban.js';
import { isUuid } from '../common/ids.js';
import { Transactions } from '../common/transactions.js';
import { MailService } from '../notifications/mail.service.js';
import type { ContactDto, OrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto.js';
import type { Organisation, OrganisationContact, OrganisationStatus } from './organisation.entities.js';
import { isDuplicateOrganisation, OrganisationsRepository } from './organisations.repository.js';

/** Changing these on a confirmed organisation sends it back to the office for confirmation. */
const FIELDS_NEEDING_CONFIRMATION: (keyof Organisation)[] = ['name', 'legalForm', 'registerCourt', 'registerNumber', 'iban', 'accountHolder'];

export interface OrganisationView {
  organisation: Organisation;
  contacts: OrganisationContact[];
  representatives: { id: string; fullName: string; email: string }[];
}

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly db: Transactions,
    private readonly organisations: OrganisationsRepository,
    private readonly audit: AuditService,
    private readonly mail: MailService,
  ) {}

  /** Staff see all organisations; an applicant sees the ones they act for. */
  list(actor: Actor, filter: { status?: OrganisationStatus; search?: string } = {}): Promise<Organisation[]> {
    if (hasAnyRole(actor.roles, STAFF_ROLES)) return this.organisations.list(filter);
    if (actor.roles.includes('applicant')) return this.organisations.list({ ...filter, userId: actor.id });
    throw new Forbidden();
  }

  /** Another organisation's data is a 404 for an applicant: its existence is not revealed. */
  async get(actor: Actor, id: string): Promise<OrganisationView> {
    const organisation = await this.visibleOrganisation(actor, id);
    const [contacts, representatives] = await Promise.all([this.organisations.contacts(id), this.organisations.representatives(id)]);
    return { organisation, contacts, representatives };
  }

  async create(actor: Actor, dto: OrganisationDto): Promise<Organisation> {
    if (!hasAnyRole(actor.roles, [...STAFF_ROLES, 'applicant'])) throw new Forbidden();
    return this.refuseDuplicate(actor, toColumns(dto), () => this.db.run(async (manager) => {
      const organisation = await this.organisations.create(manager, { ...toColumns(dto), status: 'pending', createdBy: actor.id });
      if (actor.roles.includes('applicant') && !hasAnyRole(actor.roles, STAFF_ROLES)) {
        await this.organisations.addRepresentative(manager, organisation.id, actor.id);
        await this.organisations.insertContact(manager, { organisationId: organisation.id, fullName: actor.fullName, email: actor.email, isPrimary: true });
      }
      await this.audit.record(manager, actor, { action: 'organisation.created', entityType: 'organisation', entityId: organisation.id, after: organisation });
      return organisation;
    }));
  }

  async update(actor: Actor, id: string, dto: UpdateOrganisationDto): Promise<Organisation> {
    await this.visibleOrganisation(actor, id);
    return this.refuseDuplicate(actor, toColumns(dto), () => this.db.run(async (manager) => {
      const current = await this.lockVisible(manager, id);
      if (current.version !== dto.version) {
        throw new Conflict('errors.staleVersion', { currentVersion: current.version, status: current.status });
      }
      const changes = toColumns(dto);
      const needsConfirmation =
        current.status === 'confirmed' &&
        !hasAnyRole(actor.roles, STAFF_ROLES) &&
        FIELDS_NEEDING_CONFIRMATION.some((field) => (changes as Record<string, unknown>)[field] !== current[field]);
      const status: OrganisationStatus = needsConfirmation ? 'pending' : current.status;
      const saved = await this.organisations.saveChanges(manager, current, {
        ...changes,
        status,
        confirmedAt: needsConfirmation ? null : current.confirmedAt,
        confirmedBy: needsConfirmation ? null : current.confirmedBy,
      });
      await this.audit.record(manager, actor, { action: 'organisation.updated', entityType: 'organisation', entityId: id, before: current, after: saved });
      if (needsConfirmation) await this.notify(manager, saved, 'organisation-reconfirm');
      return saved;
    }));
  }

  /** The office confirms a self-registered organisation; only confirmed ones may later apply. */
  async confirm(actor: Actor, id: string): Promise<Organisation> {
    if (!hasAnyRole(actor.roles, STAFF_ROLES)) throw new Forbidden();
    return this.db.run(async (manager) => {
      const current = await this.organisations.findForUpdate(manager, id);
      if (!current) throw new NotFound('organisation');
      if (current.status === 'confirmed') throw new Conflict('organisations.alreadyConfirmed', { status: current.status });
      const saved = await this.organisations.save(manager, { ...current, status: 'confirmed', confirmedAt: new Date(), confirmedBy: actor.id });
      await this.audit.record(manager, actor, { action: 'organisation.confirmed', entityType: 'organisation', entityId: id, before: { status: current.status }, after: { status: 'confirmed' } });
      await this.notify(manager, saved, 'organisation-confirmed');
      return saved;
    });
  }

  async addContact(actor: Actor, organisationId: string, dto: ContactDto): Promise<OrganisationContact> {
    await this.visibleOrganisation(actor, organisationId);
    return this.db.run(async (manager) => {
      await this.lockVisible(manager, organisationId);
      if (dto.isPrimary) await this.organisations.clearPrimaryContact(manager, organisationId);
      const contact = await this.organisations.addContact(manager, {
        organisationId,
        fullName: dto.fullName,
        function: dto.function ?? null,
        email: dto.email?.toLowerCase() ?? null,
        phone: dto.phone ?? null,
        isPrimary: dto.isPrimary,
      });
      await this.audit.record(manager, actor, { action: 'organisation.contact_added', entityType: 'organisation', entityId: organisationId, after: contact });
      return contact;
    });
  }

  async removeContact(actor: Actor, organisationId: string, contactId: string): Promise<void> {
    await this.visibleOrganisation(actor, organisationId);
    await this.db.run(async (manager) => {
      await this.lockVisible(manager, organisationId);
      const contact = await this.organisations.findContact(manager, contactId, organisationId);
      if (!contact) throw new NotFound('contact');
      await this.organisations.removeContact(manager, contactId);
      await this.audit.record(manager, actor, { action: 'organisation.contact_removed', entityType: 'organisation', entityId: organisationId, before: contact });
    });
  }

  /** Tells the people acting for the organisation that the office confirmed it, or has to confirm it again. */
  private async notify(manager: EntityManager, organisation: Organisation, template: 'organisation-confirmed' | 'organisation-reconfirm'): Promise<void> {
    for (const recipient of await this.organisations.mailRecipients(manager, organisation.id)) {
      await this.mail.queue(manager, {
        to: recipient.email,
        template,
        lang: recipient.lang === 'en' ? 'en' : 'de',
        context: { name: recipient.name, organisationName: organisation.name, link: `/organisations/${organisation.id}` },
      });
    }
  }

  /**
   * Runs a write that the unique indexes may refuse: one organisation per register entry (or per name
   * without one). The 409 names the organisation that exists; staff also get its id.
   */
  private async refuseDuplicate<T>(actor: Actor, columns: Partial<Organisation>, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!isDuplicateOrganisation(error)) throw error;
      const existing = await this.organisations.findDuplicate({ name: columns.name!, registerCourt: columns.registerCourt ?? null, registerNumber: columns.registerNumber ?? null });
      throw new Conflict('organisations.duplicate', {
        field: columns.registerNumber ? 'registerNumber' : 'name',
        existingOrganisation: existing ? { name: existing.name, ...(hasAnyRole(actor.roles, STAFF_ROLES) ? { id: existing.id } : {}) } : null,
        name: existing?.name ?? columns.name,
      });
    }
  }

  statusCounts() {
    return this.organisations.countByStatus();
  }

  private async visibleOrganisation(actor: Actor, id: string): Promise<Organisation> {
    if (!isUuid(id)) throw new NotFound('organisation');
    const organisation = await this.organisations.findById(id);
    if (!organisation) throw new NotFound('organisation');
    if (hasAnyRole(actor.roles, STAFF_ROLES)) return organisation;
    if (actor.roles.includes('applicant') && (await this.organisations.isRepresentative(actor.id, id))) return organisation;
    throw new NotFound('organisation');
  }

  private async lockVisible(manager: EntityManager, id: string): Promise<Organisation> {
    const organisation = await this.organisations.findForUpdate(manager, id);
    if (!organisation) throw new NotFound('organisation');
    return organisation;
  }
}

function toColumns(dto: OrganisationDto): Partial<Organisation> {
  return {
    name: dto.name,
    legalForm: dto.legalForm,
    registerCourt: dto.registerCourt ?? null,
    registerNumber: dto.registerNumber ?? null,
    nonProfit: dto.nonProfit,
    nonProfitCertificateExpiresOn: dto.nonProfit ? (dto.nonProfitCertificateExpiresOn ?? null) : null,
    street: dto.street,
    postalCode: dto.postalCode,
    city: dto.city,
    district: dto.district,
    email: dto.email?.toLowerCase() ?? null,
    phone: dto.phone ?? null,
    website: dto.website ?? null,
    iban: normaliseIban(dto.iban),
    bic: dto.bic ?? null,
    accountHolder: dto.accountHolder,
    bankName: dto.bankName ?? null,
  };
}
