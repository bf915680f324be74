import { Injectable } from '@nestjs/common';
import type { Actor } from './actor.js';
import { effectiveRoles } from './roles.js';
import { newToken, sha256 } from './tokens.js';
import { UsersRepository } from './users.repository.js';

/** A session ends after this much inactivity… */
export const SESSION_IDLE_MS = 4 * 60 * 60 * 1000;
/** …and at the latest this long after login. */
export const SESSION_MAX_MS = 24 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

/** Sessions live in PostgreSQL, so that every instance of the service knows every login. */
@Injectable()
export class SessionService {
  constructor(private readonly users: UsersRepository) {}

  async create(userId: string, meta: { ip?: string; userAgent?: string }): Promise<string> {
    const token = newToken();
    const now = Date.now();
    await this.users.insertSession({
      id: sha256(token),
      userId,
      lastSeenAt: new Date(now),
      expiresAt: new Date(now + SESSION_IDLE_MS),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    });
    return token;
  }

  /** The actor behind a session cookie, or null when it is unknown, expired or the account is disabled. */
  async resolve(token: string): Promise<Actor | null> {
    const id = sha256(token);
    const row = await this.users.findSession(id);
    if (!row) return null;
    const now = Date.now();
    if (row.status !== 'active' || new Date(row.expires_at).getTime() <= now || new Date(row.created_at).getTime() + SESSION_MAX_MS <= now) {
      await this.users.deleteSession(id);
      return null;
    }
    if (now - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
      await this.users.touchSession(id, new Date(now), new Date(now + SESSION_IDLE_MS));
    }
    return { id: row.user_id, email: row.email, fullName: row.full_name, roles: effectiveRoles(row.roles, row.member_roles), preferredLanguage: row.lang };
  }

  /** The roles an account acts with: member rights only from its active membership. */
  async rolesFor(userId: string, accountRoles: Actor['roles']): Promise<Actor['roles']> {
    return effectiveRoles(accountRoles, await this.users.memberRoles(userId));
  }

  async destroy(token: string): Promise<void> {
    await this.users.deleteSession(sha256(token));
  }

  async destroyAllFor(userId: string): Promise<void> {
    await this.users.deleteSessionsOf(userId);
  }
}
