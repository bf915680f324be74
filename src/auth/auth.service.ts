import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { Transactions } from '../common/transactions.js';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors.js';
import type { Actor } from './actor.js';
import type { LoginDto } from './dto/auth.dto.js';
import { SessionService } from './session.service.js';
import { ThrottleService } from './throttle.service.js';
import { UsersRepository } from './users.repository.js';

/** Used to spend the same time on unknown emails as on known ones. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,p=1,t=2$SMV2X3pPLIuz8tHJQINJyA$M+LQ5CTmFse+lFwPDWCyfy56/xRSk4ivEGN0ZvwDvCI';

export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Transactions,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly users: UsersRepository,
    private readonly throttle: ThrottleService,
  ) {}

  /**
   * Checks the password and opens a session. The attempt is counted (per account from this address,
   * per account, per address) before the password is checked; see throttle.rules.ts.
   */
  async login(dto: LoginDto, meta: { ip: string; userAgent?: string }): Promise<{ actor: Actor; token: string }> {
    const email = dto.email.trim().toLowerCase();
    const ticket = await this.throttle.admitLogin(email, meta.ip);

    const user = await this.users.findForLogin(email);
    const ok = await argon2.verify(user?.passwordHash ?? DUMMY_HASH, dto.password).catch(() => false);
    const allowed = ok && user?.status === 'active';
    await this.users.recordLoginAttempt({ email, ip: meta.ip, succeeded: allowed });
    if (!user || !allowed) throw new AppError(401, 'invalid_credentials', 'auth.invalidCredentials');
    await this.throttle.loginSucceeded(ticket);

    const token = await this.sessions.create(user.id, meta);
    const actor: Actor = { id: user.id, email: user.email, fullName: user.fullName, roles: await this.sessions.rolesFor(user.id, user.roles), preferredLanguage: user.preferredLanguage };
    await this.audit.record(this.db.manager, actor, { action: 'auth.login', entityType: 'user', entityId: user.id });
    return { actor, token };
  }

  async logout(actor: Actor | null, token: string | undefined): Promise<void> {
    if (!token) return;
    await this.sessions.destroy(token);
    if (actor) await this.audit.record(this.db.manager, actor, { action: 'auth.logout', entityType: 'user', entityId: actor.id });
  }
}
