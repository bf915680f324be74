/**
 * Throttling of logins, password resets and registrations as pure functions over counters. A counter
 * belongs to a key (an account, an address, or an account from an address) and counts attempts within
 * a window; after `free` attempts each further one must wait a delay that doubles up to `maxSeconds`.
 * The caller loads the counters locked, asks these functions, and stores what they return.
 */

export interface ThrottlePolicy {
  /** Attempts within the window that need no wait. */
  free: number;
  /** Wait after the first attempt beyond `free`; it doubles with each further one. */
  baseSeconds: number;
  maxSeconds: number;
  /** The counter starts again this long after its first attempt. */
  windowSeconds: number;
}

export interface Counter {
  failures: number;
  windowStart: Date;
  /** No attempt is checked before this time. */
  nextAt: Date;
}

export const POLICIES = {
  /** One account from one address: a person mistyping gets five tries at once, then waits of 5 s, 10 s, 20 s... */
  loginPair: { free: 5, baseSeconds: 5, maxSeconds: 15 * 60, windowSeconds: 24 * 3600 },
  /** One account from anywhere; addresses without recent failures for it are not held back (see decideLogin). */
  loginAccount: { free: 10, baseSeconds: 2, maxSeconds: 15 * 60, windowSeconds: 24 * 3600 },
  /** One address for all accounts: generous, since an office network shares one address. */
  loginAddress: { free: 100, baseSeconds: 1, maxSeconds: 5 * 60, windowSeconds: 3600 },
  /** Reset and registration requests from one address (answered 429 beyond). */
  mailAddress: { free: 20, baseSeconds: 60, maxSeconds: 3600, windowSeconds: 3600 },
  /** Mails to one email address (beyond, the request is answered as usual but nothing is sent). */
  mailRecipient: { free: 3, baseSeconds: 15 * 60, maxSeconds: 3600, windowSeconds: 3600 },
} as const satisfies Record<string, ThrottlePolicy>;

/** The counter as it stands now: a window that has run out starts afresh. */
export function current(counter: Counter | null, policy: ThrottlePolicy, now: Date): Counter {
  if (!counter || counter.windowStart.getTime() + policy.windowSeconds * 1000 <= now.getTime()) {
    return { failures: 0, windowStart: now, nextAt: now };
  }
  return counter;
}

/** The wait after the `attempts`-th attempt of a window. */
export function delaySeconds(attempts: number, policy: ThrottlePolicy): number {
  if (attempts < policy.free) return 0;
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.min(attempts - policy.free, 30));
}

/** Whole seconds until the counter lets the next attempt through (0: now). */
export function waitSeconds(counter: Counter, now: Date): number {
  const ms = counter.nextAt.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/** Counts one attempt: it is held against the key until it turns out to have succeeded. */
export function count(counter: Counter, policy: ThrottlePolicy, now: Date): Counter {
  const failures = counter.failures + 1;
  const delay = delaySeconds(failures, policy);
  // Without a wait the next attempt is free: `now` is the counting transaction's start, so moving
  // `nextAt` to it would make a parallel attempt that started a moment earlier wait for nothing.
  if (delay === 0) return { failures, windowStart: counter.windowStart, nextAt: counter.nextAt };
  return { failures, windowStart: counter.windowStart, nextAt: new Date(Math.max(now.getTime() + delay * 1000, counter.nextAt.getTime())) };
}

export type Decision = { retryAfterSeconds: number; counters: Counter[] };

/**
 * A login attempt, with the counters [account from address, account, address]. Refused (nothing
 * counted) while the pair or the address must wait, and while the account must wait unless this
 * address has no recent failure for the account: so whoever hammers an account from elsewhere
 * cannot keep its owner out, and each further address gets one check before it waits as well. A
 * right password starts the pair and the account afresh (throttle.service.ts).
 * Admitted attempts count on all three keys before the password is checked, so parallel attempts
 * cannot pass the limit.
 */
export function decideLogin([pair, account, address]: [Counter, Counter, Counter], now: Date): Decision {
  const wait = Math.max(waitSeconds(pair, now), waitSeconds(address, now), pair.failures > 0 ? waitSeconds(account, now) : 0);
  if (wait > 0) return { retryAfterSeconds: wait, counters: [pair, account, address] };
  return {
    retryAfterSeconds: 0,
    counters: [count(pair, POLICIES.loginPair, now), count(account, POLICIES.loginAccount, now), count(address, POLICIES.loginAddress, now)],
  };
}

/**
 * A request that sends a mail (reset, registration), with the counters [address, recipient]. The
 * address must wait: 429. The recipient has had enough mails: the request is answered as usual but
 * sends nothing (`send` false), whether or not the email has an account.
 */
export function decideMailRequest([address, recipient]: [Counter, Counter], now: Date): Decision & { send: boolean } {
  const wait = waitSeconds(address, now);
  if (wait > 0) return { retryAfterSeconds: wait, send: false, counters: [address, recipient] };
  const counted = count(address, POLICIES.mailAddress, now);
  if (waitSeconds(recipient, now) > 0) return { retryAfterSeconds: 0, send: false, counters: [counted, recipient] };
  return { retryAfterSeconds: 0, send: true, counters: [counted, count(recipient, POLICIES.mailRecipient, now)] };
}

/**
 * The network a client address counts for: an IPv4 address itself (also when written IPv4-mapped),
 * an IPv6 address its /64, since one connection usually holds a whole /64 and could change addresses
 * within it at will.
 */
export function networkOf(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address;
  const [head, tail] = address.split('::');
  const words = (part: string | undefined) => (part ? part.split(':').flatMap((word) => (word.includes('.') ? ['0', '0'] : [word])) : []);
  const left = words(head);
  const right = tail === undefined ? [] : words(tail);
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((word) => (parseInt(word, 16) || 0).toString(16)).join(':')}::/64`;
}
