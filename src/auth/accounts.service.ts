import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, Forbidden, NotFound, ValidationFailed, fieldError } from '../common/errors.js';
import { JobsService } from '../notifications/jobs.service.js';
import { MailService } from '../notifications/mail.service.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import type { Actor } from './actor.js';
import type { TokenPurpose } from './auth.entities.js';
import { hashPassword } from './auth.service.js';
import type { InviteDto, RegisterDto, SetPasswordDto } from './dto/auth.dto.js';
import { hasAnyRole, type Role } from './roles.js';
import { SessionService } from './session.service.js';
import { ThrottleService } from './throttle.service.js';
import { newToken, sha256 } from './tokens.js';
import type { User, UserStatus } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

/** Reset and registration requests are answered at once; the work behind them is done by these jobs. */
export const RESET_QUEUE = 'account.password-reset';
export const REGISTER_QUEUE = 'account.register';

interface ResetJob {
  email: string;
}

interface RegisterJob {
  fullName: string;
  email: string;
  language: 'de' | 'en';
}

const TOKEN_LIFETIME_HOURS: Record<TokenPurpose, number> = { invitation: 14 * 24, password_reset: 2 };
/** Roles only an administrator may hand out. */
const PRIVILEGED_ROLES: Role[] = ['office', 'admin'];

@Injectable()
export class AccountsService implements OnModuleInit {
  constructor(
    private readonly db: Transactions,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly sessions: SessionService,
    private readonly users: UsersRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly jobs: JobsService,
    private readonly throttle: ThrottleService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.work<ResetJob>(RESET_QUEUE, (job) => this.sendPasswordReset(job));
    await this.jobs.work<RegisterJob>(REGISTER_QUEUE, (job) => this.createRegistration(job));
  }

  /** The office invites a person; they receive a one-time link to choose their password. */
  async invite(actor: Actor, dto: InviteDto): Promise<User> {
    if (!hasAnyRole(actor.roles, ['office', 'admin'])) throw new Forbidden();
    if (!actor.roles.includes('admin') && dto.roles.some((role) => PRIVILEGED_ROLES.includes(role))) {
      throw new ValidationFailed({ roles: ['validation.roleNotAllowed'] });
    }
    if (dto.roles.includes('voting_member') && dto.roles.includes('advisory_member')) {
      throw new ValidationFailed({ roles: ['validation.votingAndAdvisory'] });
    }
    return this.db.run(async (manager) => {
      if (dto.organisationId && !(await this.organisations.exists(dto.organisationId, manager))) {
        throw fieldError('organisationId', 'validation.choice');
      }
      const user = await this.createUser(manager, { fullName: dto.fullName, email: dto.email, roles: dto.roles, language: dto.language ?? 'de' });
      if (!user) throw new Conflict('accounts.emailTaken', { field: 'email' });
      if (dto.organisationId) await this.organisations.addRepresentative(manager, dto.organisationId, user.id);
      const token = await this.issueToken(manager, user.id, 'invitation');
      await this.audit.record(manager, actor, { action: 'account.invited', entityType: 'user', entityId: user.id, after: user });
      await this.mail.queue(manager, {
        to: user.email,
        template: 'invitation',
        lang: user.preferredLanguage,
        context: { name: user.fullName, inviter: actor.fullName, link: `/invitation/${token}` },
      });
      return user;
    });
  }

  /**
   * Self-registration of an applicant. The request does the same work whatever the address: it is
   * counted (per network address and per email) and queued; the job creates the account and mails
   * the link only for an address without an account. So neither the answer nor its time tells who
   * has an account.
   */
  async register(dto: RegisterDto, language: 'de' | 'en', ip: string): Promise<void> {
    const email = dto.email.trim().toLowerCase();
    await this.db.run(async (manager) => {
      if (!(await this.throttle.admitMail(manager, 'register', email, ip))) return;
      await this.jobs.enqueue(manager, REGISTER_QUEUE, { fullName: dto.fullName, email, language } satisfies RegisterJob);
    });
  }

  private async createRegistration(job: RegisterJob): Promise<void> {
    await this.db.run(async (manager) => {
      const user = await this.createUser(manager, { fullName: job.fullName, email: job.email, roles: ['applicant'], language: job.language });
      if (!user) return; // the address has an account: nothing to send
      const token = await this.issueToken(manager, user.id, 'invitation');
      await this.audit.record(manager, null, { action: 'account.registered', entityType: 'user', entityId: user.id, after: user });
      await this.mail.queue(manager, { to: user.email, template: 'registration', lang: job.language, context: { name: user.fullName, link: `/invitation/${token}` } });
    });
  }

  /**
   * Asks for a reset link. The same work for every address (counted, queued); the job sends the link
   * to an active account. Says nothing about whether the account exists.
   */
  async requestPasswordReset(rawEmail: string, ip: string): Promise<void> {
    const email = rawEmail.trim().toLowerCase();
    await this.db.run(async (manager) => {
      if (!(await this.throttle.admitMail(manager, 'reset', email, ip))) return;
      await this.jobs.enqueue(manager, RESET_QUEUE, { email } satisfies ResetJob);
    });
  }

  /** A new reset link replaces the earlier ones: only the latest works. */
  private async sendPasswordReset(job: ResetJob): Promise<void> {
    await this.db.run(async (manager) => {
      const user = await this.users.findByEmailForUpdate(manager, job.email);
      if (!user || user.status !== 'active') return;
      await this.users.markTokensUsed(manager, user.id, 'password_reset');
      const token = await this.issueToken(manager, user.id, 'password_reset');
      await this.audit.record(manager, null, { action: 'account.password_reset_requested', entityType: 'user', entityId: user.id });
      await this.mail.queue(manager, {
        to: user.email,
        template: 'password-reset',
        lang: user.preferredLanguage,
        context: { name: user.fullName, link: `/password-reset/${token}`, hours: TOKEN_LIFETIME_HOURS.password_reset },
      });
    });
  }

  /** Who a one-time link belongs to, or 404 when it is unknown, used or expired. */
  async checkToken(token: string, purpose: TokenPurpose): Promise<User> {
    const row = await this.users.findToken(sha256(token), purpose);
    if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now()) throw new NotFound('token');
    const user = await this.users.findById(row.userId);
    if (!user || user.status === 'disabled') throw new NotFound('token');
    return user;
  }

  /** Redeems an invitation or reset link: sets the password, activates the account, ends old sessions. */
  async setPasswordWithToken(token: string, purpose: TokenPurpose, dto: SetPasswordDto): Promise<User> {
    if (dto.password !== dto.passwordRepeat) throw fieldError('passwordRepeat', 'validation.passwordMismatch');
    const passwordHash = await hashPassword(dto.password);
    const user = await this.db.run(async (manager) => {
      const row = await this.users.findTokenForUpdate(manager, sha256(token), purpose);
      if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now()) throw new NotFound('token');
      const user = await this.users.getById(manager, row.userId);
      if (user.status === 'disabled') throw new NotFound('token');
      const before = { status: user.status };
      await this.users.setPassword(manager, user.id, passwordHash);
      await this.users.markTokensUsed(manager, user.id, purpose);
      await this.audit.record(manager, { ...user, preferredLanguage: user.preferredLanguage }, {
        action: purpose === 'invitation' ? 'account.activated' : 'account.password_reset',
        entityType: 'user',
        entityId: user.id,
        before,
        after: { status: 'active' },
      });
      return { ...user, status: 'active' as UserStatus };
    });
    await this.sessions.destroyAllFor(user.id);
    return user;
  }

  async list(actor: Actor): Promise<User[]> {
    if (!hasAnyRole(actor.roles, ['office', 'admin'])) throw new Forbidden();
    return this.users.list();
  }

  async setStatus(actor: Actor, userId: string, status: 'active' | 'disabled'): Promise<User> {
    if (!actor.roles.includes('admin')) throw new Forbidden();
    if (userId === actor.id) throw new Conflict('accounts.cannotDisableSelf');
    const user = await this.db.run(async (manager) => {
      const user = await this.users.findById(userId, manager);
      if (!user) throw new NotFound('user');
      if (status === 'active' && user.status === 'invited') throw new Conflict('accounts.notYetActivated', { status: user.status });
      await this.users.setStatus(manager, userId, status);
      await this.audit.record(manager, actor, { action: `account.${status === 'active' ? 'enabled' : 'disabled'}`, entityType: 'user', entityId: userId, before: { status: user.status }, after: { status } });
      return { ...user, status };
    });
    if (status === 'disabled') await this.sessions.destroyAllFor(userId);
    return user;
  }

  private createUser(manager: EntityManager, data: { fullName: string; email: string; roles: Role[]; language: 'de' | 'en' }): Promise<User | null> {
    return this.users.create(manager, { fullName: data.fullName, email: data.email.trim().toLowerCase(), roles: [...new Set(data.roles)], language: data.language });
  }

  private async issueToken(manager: EntityManager, userId: string, purpose: TokenPurpose): Promise<string> {
    const token = newToken();
    await this.users.insertToken(manager, {
      id: sha256(token),
      userId,
      purpose,
      expiresAt: new Date(Date.now() + TOKEN_LIFETIME_HOURS[purpose] * 3600_000),
    });
    return token;
  }
}
