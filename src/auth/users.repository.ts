import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import { LoginAttempt, OneTimeToken, UserSession, type TokenPurpose } from './auth.entities.js';
import type { Role } from './roles.js';
import { User, type UserStatus } from './user.entity.js';

export interface SessionRow {
  id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  user_id: string;
  email: string;
  full_name: string;
  roles: Role[];
  lang: 'de' | 'en';
  status: UserStatus;
  /** The rights the account's active round-table membership gives (see `effectiveRoles`). */
  member_roles: Role[];
}

/**
 * The member rights of an account from its round-table membership rows whose term has begun and not
 * ended (Berlin date): voting or advisory right, and chair.
 */
const MEMBER_ROLES_SQL = (userColumn: string) => `(SELECT coalesce(array_agg(DISTINCT r.role), '{}'::text[])
  FROM round_table_member m
  CROSS JOIN LATERAL (VALUES (CASE WHEN m.voting_right = 'voting' THEN 'voting_member' ELSE 'advisory_member' END), (CASE WHEN m.is_chair THEN 'chair' END)) AS r(role)
  WHERE m.user_id = ${userColumn} AND r.role IS NOT NULL
    AND m.term_start <= (now() AT TIME ZONE 'Europe/Berlin')::date
    AND (m.term_end IS NULL OR m.term_end >= (now() AT TIME ZONE 'Europe/Berlin')::date))`;

const FIND_SESSION_SQL = `SELECT s.id, s.created_at, s.last_seen_at, s.expires_at, u.id AS user_id, u.email, u.full_name, u.roles,
    u.preferred_language AS lang, u.status, ${MEMBER_ROLES_SQL('u.id')} AS member_roles
  FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE s.id = $1`;

/** Every query on accounts, their sessions, one-time links and login attempts. */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: Transactions) {}

  list(): Promise<User[]> {
    return this.db.manager.getRepository(User).find({ order: { fullName: 'ASC' } });
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<User | null> {
    return manager.findOneBy(User, { id });
  }

  /** For rows another row points to (a foreign key), so it exists. */
  getById(manager: EntityManager, id: string): Promise<User> {
    return manager.findOneByOrFail(User, { id });
  }

  /** Addresses are compared without regard to case. */
  findByEmail(email: string, manager: EntityManager = this.db.manager): Promise<User | null> {
    return manager.getRepository(User).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  /** With the password hash, which other queries leave out; `email` in lower case. */
  findForLogin(email: string): Promise<User | null> {
    return this.db.manager.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('lower(u.email) = :email', { email }).getOne();
  }

  /** The name shown for an account in letters and histories, or null when there is none. */
  async fullName(id: string | null): Promise<string | null> {
    if (!id) return null;
    const [row] = await this.db.manager.query(`SELECT full_name FROM app_user WHERE id = $1`, [id]);
    return row?.full_name ?? null;
  }

  /** The new account, or null when the address is taken (also by a parallel request that committed first). */
  async create(manager: EntityManager, data: { fullName: string; email: string; roles: Role[]; language: 'de' | 'en' }): Promise<User | null> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(User)
      .values({ fullName: data.fullName, email: data.email, roles: data.roles, status: 'invited', preferredLanguage: data.language, passwordHash: null })
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = (inserted.raw as { id: string }[])[0]?.id;
    return id ? manager.findOneByOrFail(User, { id }) : null;
  }

  /** Locked until the transaction ends, so that one account's links are issued one at a time. */
  findByEmailForUpdate(manager: EntityManager, email: string): Promise<User | null> {
    return manager.getRepository(User).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).setLock('pessimistic_write').getOne();
  }

  async setRoles(manager: EntityManager, id: string, roles: Role[]): Promise<void> {
    await manager.update(User, { id }, { roles });
  }

  async setStatus(manager: EntityManager, id: string, status: UserStatus): Promise<void> {
    await manager.update(User, { id }, { status });
  }

  async setPassword(manager: EntityManager, id: string, passwordHash: string): Promise<void> {
    await manager.update(User, { id }, { passwordHash, status: 'active' });
  }

  async insertToken(manager: EntityManager, row: { id: string; userId: string; purpose: TokenPurpose; expiresAt: Date }): Promise<void> {
    await manager.insert(OneTimeToken, row);
  }

  findToken(id: string, purpose: TokenPurpose): Promise<OneTimeToken | null> {
    return this.db.manager.getRepository(OneTimeToken).findOneBy({ id, purpose });
  }

  /** Locked, so that a link is redeemed once even when clicked twice. */
  findTokenForUpdate(manager: EntityManager, id: string, purpose: TokenPurpose): Promise<OneTimeToken | null> {
    return manager.getRepository(OneTimeToken).findOne({ where: { id, purpose }, lock: { mode: 'pessimistic_write' } });
  }

  async markTokensUsed(manager: EntityManager, userId: string, purpose: TokenPurpose): Promise<void> {
    await manager.update(OneTimeToken, { userId, purpose }, { usedAt: new Date() });
  }

  async insertSession(row: Pick<UserSession, 'id' | 'userId' | 'lastSeenAt' | 'expiresAt' | 'ip' | 'userAgent'>): Promise<void> {
    await this.db.manager.getRepository(UserSession).insert(row);
  }

  /** The session with its account, as raw columns. */
  /** Every request with a login reads its session: a prepared statement. */
  async findSession(id: string): Promise<SessionRow | undefined> {
    const [row] = await this.db.prepared<SessionRow>('users.findSession', FIND_SESSION_SQL, [id]);
    return row;
  }

  /** The member rights an account's active round-table membership gives. */
  async memberRoles(userId: string): Promise<Role[]> {
    const [row] = await this.db.manager.query(`SELECT ${MEMBER_ROLES_SQL('$1::uuid')} AS member_roles`, [userId]);
    return row?.member_roles ?? [];
  }

  async touchSession(id: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    await this.db.manager.getRepository(UserSession).update({ id }, { lastSeenAt, expiresAt });
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.manager.getRepository(UserSession).delete({ id });
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    await this.db.manager.getRepository(UserSession).delete({ userId });
  }

  /** One row per checked password (the throttle's counters are in auth_throttle). */
  async recordLoginAttempt(row: { email: string; ip: string; succeeded: boolean }): Promise<void> {
    await this.db.manager.getRepository(LoginAttempt).insert(row);
  }
}
