import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AccountsService } from '../auth/accounts.service.js';
import type { Actor } from '../auth/actor.js';
import { hasAnyRole, STAFF_ROLES, type Role } from '../auth/roles.js';
import { UsersRepository } from '../auth/users.repository.js';
import { Conflict, Forbidden, NotFound, ValidationFailed, type FieldErrors } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { Transactions } from '../common/transactions.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import type { AffiliationDto, MemberDto, UpdateMemberDto } from './dto/member.dto.js';
import { type MemberAffiliation, type RoundTableMember, VOTING_GROUPS } from './member.entities.js';
import { RoundTableRepository, type AffiliationRow } from './round-table.repository.js';

const MEMBER_ROLES: Role[] = ['voting_member', 'advisory_member', 'chair'];

export interface MemberView {
  member: RoundTableMember;
  deputy: RoundTableMember | null;
  deputyFor: RoundTableMember[];
  affiliations: AffiliationRow[];
}

/** The roles a member's account gets from the membership: the right to vote or advise, and the chair. */
export function rolesForMember(member: Pick<RoundTableMember, 'votingRight' | 'isChair'>): Role[] {
  return [member.votingRight === 'voting' ? 'voting_member' : 'advisory_member', ...(member.isChair ? (['chair'] as Role[]) : [])];
}

@Injectable()
export class RoundTableService {
  constructor(
    private readonly db: Transactions,
    private readonly members: RoundTableRepository,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly users: UsersRepository,
    private readonly organisations: OrganisationsRepository,
  ) {}

  async list(actor: Actor): Promise<RoundTableMember[]> {
    if (!hasAnyRole(actor.roles, [...STAFF_ROLES, ...MEMBER_ROLES])) throw new Forbidden();
    return this.members.list();
  }

  /** Staff see every membership; a member sees their own. */
  async get(actor: Actor, id: string): Promise<MemberView> {
    const member = isUuid(id) ? await this.members.findById(id) : null;
    if (!member) throw new NotFound('member');
    if (!hasAnyRole(actor.roles, STAFF_ROLES) && member.userId !== actor.id) throw new NotFound('member');
    const all = await this.members.list();
    return {
      member,
      deputy: all.find((m) => m.id === member.deputyId) ?? null,
      deputyFor: all.filter((m) => m.deputyId === member.id),
      affiliations: await this.members.affiliations(id),
    };
  }

  async mine(actor: Actor): Promise<MemberView | null> {
    const member = await this.members.findByUser(actor.id);
    return member ? this.get(actor, member.id) : null;
  }

  async create(actor: Actor, dto: MemberDto): Promise<RoundTableMember> {
    this.requireStaff(actor);
    const member = await this.db.run(async (manager) => {
      await this.checkRules(manager, dto, null);
      const member = await this.members.create(manager, { ...toColumns(dto), userId: null });
      await this.audit.record(manager, actor, { action: 'member.created', entityType: 'round_table_member', entityId: member.id, after: member });
      return member;
    });
    return dto.invite ? this.linkAccount(actor, member) : member;
  }

  async update(actor: Actor, id: string, dto: UpdateMemberDto): Promise<RoundTableMember> {
    this.requireStaff(actor);
    const member = await this.db.run(async (manager) => {
      const current = isUuid(id) ? await this.members.findForUpdate(manager, id) : null;
      if (!current) throw new NotFound('member');
      if (current.version !== dto.version) throw new Conflict('errors.staleVersion', { currentVersion: current.version });
      await this.checkRules(manager, dto, current.id);
      const saved = await this.members.save(manager, { ...current, ...toColumns(dto) });
      if (saved.userId) await this.syncRoles(manager, saved.userId, saved);
      await this.audit.record(manager, actor, { action: 'member.updated', entityType: 'round_table_member', entityId: id, before: current, after: saved });
      return saved;
    });
    return dto.invite && !member.userId ? this.linkAccount(actor, member) : member;
  }

  async addAffiliation(actor: Actor, memberId: string, dto: AffiliationDto): Promise<MemberAffiliation> {
    this.requireStaff(actor);
    return this.db.run(async (manager) => {
      const member = isUuid(memberId) ? await this.members.findForUpdate(manager, memberId) : null;
      if (!member) throw new NotFound('member');
      if (!(await this.organisations.exists(dto.organisationId, manager))) throw new ValidationFailed({ organisationId: ['validation.choice'] });
      if (await this.members.affiliationExists(manager, { memberId, organisationId: dto.organisationId, kind: dto.kind })) {
        throw new Conflict('members.affiliationExists', { field: 'organisationId' });
      }
      const affiliation = await this.members.addAffiliation(manager, { memberId, organisationId: dto.organisationId, kind: dto.kind, note: dto.note ?? null, since: dto.since ?? null });
      await this.audit.record(manager, actor, { action: 'member.affiliation_declared', entityType: 'round_table_member', entityId: memberId, after: affiliation });
      return affiliation;
    });
  }

  async removeAffiliation(actor: Actor, memberId: string, affiliationId: string): Promise<void> {
    this.requireStaff(actor);
    await this.db.run(async (manager) => {
      const affiliation = isUuid(affiliationId) ? await this.members.findAffiliation(manager, affiliationId, memberId) : null;
      if (!affiliation) throw new NotFound('affiliation');
      await this.members.removeAffiliation(manager, affiliationId);
      await this.audit.record(manager, actor, { action: 'member.affiliation_removed', entityType: 'round_table_member', entityId: memberId, before: affiliation });
    });
  }

  /** Links the member to the account with their email, inviting them first if there is none. */
  private async linkAccount(actor: Actor, member: RoundTableMember): Promise<RoundTableMember> {
    if (!member.email) throw new ValidationFailed({ email: ['validation.requiredForInvite'] });
    const existing = await this.users.findByEmail(member.email);
    const userId = existing?.id ?? (await this.accounts.invite(actor, { fullName: member.fullName, email: member.email, roles: rolesForMember(member) })).id;
    return this.db.run(async (manager) => {
      const taken = await this.members.findByUser(userId, manager);
      if (taken && taken.id !== member.id) throw new Conflict('members.accountTaken', { field: 'email' });
      await this.members.linkAccount(manager, member.id, userId);
      await this.syncRoles(manager, userId, member);
      await this.audit.record(manager, actor, { action: 'member.account_linked', entityType: 'round_table_member', entityId: member.id, after: { userId } });
      return { ...member, userId };
    });
  }

  private async syncRoles(manager: EntityManager, userId: string, member: RoundTableMember): Promise<void> {
    const user = await this.users.getById(manager, userId);
    const roles = [...user.roles.filter((role) => !MEMBER_ROLES.includes(role)), ...rolesForMember(member)];
    await this.users.setRoles(manager, userId, roles);
  }

  private async checkRules(manager: EntityManager, dto: MemberDto, memberId: string | null): Promise<void> {
    const fields: FieldErrors = {};
    const votingGroup = VOTING_GROUPS.includes(dto.group);
    if (dto.votingRight === 'voting' && !votingGroup) fields.votingRight = ['validation.votingRightForGroup'];
    if (dto.votingRight === 'advisory' && votingGroup) fields.votingRight = ['validation.votingRightForGroup'];
    if (dto.termEnd && dto.termEnd < dto.termStart) fields.termEnd = ['validation.endBeforeStart'];
    if (dto.deputyId) {
      if (dto.deputyId === memberId) fields.deputyId = ['validation.deputySelf'];
      else if (!(await this.members.exists(dto.deputyId, manager))) fields.deputyId = ['validation.choice'];
    }
    if (dto.invite && !dto.email) fields.email = ['validation.requiredForInvite'];
    if (Object.keys(fields).length) throw new ValidationFailed(fields);
  }

  private requireStaff(actor: Actor): void {
    if (!hasAnyRole(actor.roles, STAFF_ROLES)) throw new Forbidden();
  }
}

function toColumns(dto: MemberDto): Partial<RoundTableMember> {
  return {
    fullName: dto.fullName,
    email: dto.email?.toLowerCase() ?? null,
    votingRight: dto.votingRight,
    group: dto.group,
    represents: dto.represents ?? null,
    kind: dto.kind,
    isChair: dto.isChair,
    termStart: dto.termStart,
    termEnd: dto.termEnd ?? null,
    deputyId: dto.deputyId ?? null,
  };
}
