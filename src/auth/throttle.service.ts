import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import { berlinTime } from '../common/dates.js';
import { AppError } from '../common/errors.js';
import { ThrottleRepository } from './throttle.repository.js';
import { current, decideLogin, decideMailRequest, networkOf, POLICIES, type Counter, type ThrottlePolicy } from './throttle.rules.js';
import { sha256 } from './tokens.js';

/** Keys are hashed: the table holds no email or network address. */
function key(kind: string, ...parts: string[]): string {
  return `${kind}:${sha256(parts.join('\n'))}`;
}

/** 429 with a wait a person can act on: seconds when short, else the time in Berlin to come back. */
function tooMany(kind: 'login' | 'mail', retryAfterSeconds: number, now: Date): AppError {
  const long = retryAfterSeconds >= 120;
  const message = kind === 'login' ? (long ? 'auth.tooManyAttemptsUntil' : 'errors.tooManyAttempts') : long ? 'auth.tooManyRequestsUntil' : 'auth.tooManyRequests';
  const until = berlinTime(new Date(Math.ceil((now.getTime() + retryAfterSeconds * 1000) / 60_000) * 60_000));
  return new AppError(429, 'too_many_requests', message, { retryAfterSeconds, until });
}

const LONGEST_WINDOW_SECONDS = Math.max(...Object.values(POLICIES).map((policy: ThrottlePolicy) => policy.windowSeconds));

/** Atomic throttling on the counters in PostgreSQL; the rules are in throttle.rules.ts. */
@Injectable()
export class ThrottleService {
  constructor(
    private readonly db: Transactions,
    private readonly counters: ThrottleRepository,
  ) {}

  /** Counts a login attempt before its password is checked, or throws 429 with the wait. */
  async admitLogin(email: string, ip: string): Promise<LoginTicket> {
    const network = networkOf(ip);
    const keys = [key('login.pair', email, network), key('login.account', email), key('login.address', network)];
    const policies = [POLICIES.loginPair, POLICIES.loginAccount, POLICIES.loginAddress];
    await this.db.run(async (manager) => {
      const { counters, now } = await this.counters.lock(manager, keys);
      const decision = decideLogin(counters.map((c, i) => current(c, policies[i], now)) as [Counter, Counter, Counter], now);
      // thrown inside: a refused attempt leaves no rows behind, so refused floods do not fill the table
      if (decision.retryAfterSeconds > 0) throw tooMany('login', decision.retryAfterSeconds, now);
      await this.counters.save(manager, keys, decision.counters);
    });
    this.sweepSometimes();
    return { keys };
  }

  /**
   * The password was right: the account is in its owner's hands, so its counters start afresh; the
   * address (shared by others) only no longer counts this attempt.
   */
  async loginSucceeded(ticket: LoginTicket): Promise<void> {
    const [pair, account, address] = ticket.keys;
    await this.counters.forget([pair, account]);
    await this.counters.uncount([address]);
  }

  /**
   * Counts a request that sends a mail (`purpose`: reset, registration) inside the caller's
   * transaction: 429 when the address sent too many (the caller's transaction then rolls back);
   * false when the recipient had enough mails.
   */
  async admitMail(manager: EntityManager, purpose: string, email: string, ip: string): Promise<boolean> {
    const keys = [key(`${purpose}.address`, networkOf(ip)), key(`${purpose}.recipient`, email)];
    const { counters, now } = await this.counters.lock(manager, keys);
    const decision = decideMailRequest(
      [current(counters[0], POLICIES.mailAddress, now), current(counters[1], POLICIES.mailRecipient, now)],
      now,
    );
    if (decision.retryAfterSeconds > 0) throw tooMany('mail', decision.retryAfterSeconds, now);
    await this.counters.save(manager, keys, decision.counters);
    return decision.send;
  }

  /** Now and then, rows whose windows ended are removed; stale rows count as fresh anyway. */
  private sweepSometimes(): void {
    if (Math.random() < 0.01) void this.counters.deleteOlderThan(LONGEST_WINDOW_SECONDS).catch(() => undefined);
  }
}

export interface LoginTicket {
  keys: string[];
}
