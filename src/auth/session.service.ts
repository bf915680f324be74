import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from './actor.js';
import { UserSession } from './auth.entities.js';
import { newToken, sha256 } from './tokens.js';
import { User } from './user.entity.js';

/** A session ends after this much inactivity… */
export const SESSION_IDLE_MS = 4 * 60 * 60 * 1000;
/** …and at the latest this long after login. */
export const SESSION_MAX_MS = 24 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

/** Sessions live in PostgreSQL, so that every instance of the service knows every login. */
@Injectable()
export class SessionService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(userId: string, meta: { ip?: string; userAgent?: string }): Promise<string> {
    const token = newToken();
    const now = Date.now();
    await this.dataSource.getRepository(UserSession).insert({
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
    const row = await this.dataSource
      .createQueryBuilder()
      .select(['s.id AS id', 's.created_at AS created_at', 's.last_seen_at AS last_seen_at', 's.expires_at AS expires_at'])
      .addSelect(['u.id AS user_id', 'u.email AS email', 'u.full_name AS full_name', 'u.roles AS roles', 'u.preferred_language AS lang', 'u.status AS status'])
      .from(UserSession, 's')
      .innerJoin(User, 'u', 'u.id = s.user_id')
      .where('s.id = :id', { id })
      .getRawOne();
    if (!row) return null;
    const now = Date.now();
    if (row.status !== 'active' || new Date(row.expires_at).getTime() <= now || new Date(row.created_at).getTime() + SESSION_MAX_MS <= now) {
      await this.dataSource.getRepository(UserSession).delete({ id });
      return null;
    }
    if (now - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
      await this.dataSource.getRepository(UserSession).update({ id }, { lastSeenAt: new Date(now), expiresAt: new Date(now + SESSION_IDLE_MS) });
    }
    return { id: row.user_id, email: row.email, fullName: row.full_name, roles: row.roles, preferredLanguage: row.lang };
  }

  async destroy(token: string): Promise<void> {
    await this.dataSource.getRepository(UserSession).delete({ id: sha256(token) });
  }

  async destroyAllFor(userId: string): Promise<void> {
    await this.dataSource.getRepository(UserSession).delete({ userId });
  }
}
