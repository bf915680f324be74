import { describe, expect, it } from '@jest/globals';
import { count, current, decideLogin, decideMailRequest, delaySeconds, networkOf, POLICIES, waitSeconds, type Counter, type ThrottlePolicy } from './throttle.rules.js';

const now = new Date('2026-11-30T08:00:00Z');
const fresh = (): Counter => current(null, POLICIES.loginPair, now);
const failed = (n: number, policy: ThrottlePolicy = POLICIES.loginPair): Counter => {
  let counter = fresh();
  for (let i = 0; i < n; i++) counter = count(counter, policy, now);
  return counter;
};

describe('throttle rules', () => {
  it('gives free attempts, then waits that double up to the maximum', () => {
    const p = POLICIES.loginPair;
    expect([1, 2, 3, 4].map((n) => delaySeconds(n, p))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map((n) => delaySeconds(n, p))).toEqual([5, 10, 20, 40]);
    expect(delaySeconds(500, p)).toBe(p.maxSeconds);
  });

  it('starts a counter afresh once its window has run out', () => {
    const old = { failures: 40, windowStart: new Date(now.getTime() - POLICIES.loginPair.windowSeconds * 1000), nextAt: new Date(now.getTime() + 60_000) };
    expect(current(old, POLICIES.loginPair, now)).toEqual({ failures: 0, windowStart: now, nextAt: now });
  });

  it('refuses a login while the pair waits, and counts nothing then', () => {
    const decision = decideLogin([failed(5), fresh(), fresh()], now);
    expect(decision.retryAfterSeconds).toBe(5);
    expect(decision.counters[0].failures).toBe(5);
  });

  it('lets parallel logins from one address through: an attempt without a wait holds back no other', () => {
    // Counted by a transaction that started 20 ms later than the next one, which waited for its lock.
    const later = new Date(now.getTime() + 20);
    const counted = decideLogin([fresh(), fresh(), fresh()], later).counters;
    expect(decideLogin([fresh(), fresh(), counted[2]], now).retryAfterSeconds).toBe(0);
  });

  it('holds an address with a failure back while the account waits, but not a clean one', () => {
    const account = failed(30, POLICIES.loginAccount);
    expect(waitSeconds(account, now)).toBeGreaterThan(0);
    expect(decideLogin([failed(1), account, fresh()], now).retryAfterSeconds).toBeGreaterThan(0);
    const clean = decideLogin([fresh(), account, fresh()], now);
    expect(clean.retryAfterSeconds).toBe(0);
    expect(clean.counters.map((c) => c.failures)).toEqual([1, 31, 1]);
  });

  it('answers 429 for a busy address and silently sends nothing for a recipient that had enough mails', () => {
    expect(decideMailRequest([failed(20, POLICIES.mailAddress), fresh()], now).retryAfterSeconds).toBeGreaterThan(0);
    const quiet = decideMailRequest([fresh(), failed(3, POLICIES.mailRecipient)], now);
    expect(quiet).toMatchObject({ retryAfterSeconds: 0, send: false });
    expect(quiet.counters[0].failures).toBe(1);
    expect(decideMailRequest([fresh(), fresh()], now).send).toBe(true);
  });

  it('counts an IPv6 client by its /64 and an IPv4 client by its address', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('2001:db8:abcd:12:1:2:3:4')).toBe('2001:db8:abcd:12::/64');
    expect(networkOf('2001:db8:abcd:0012::99')).toBe('2001:db8:abcd:12::/64');
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
    expect(networkOf('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });
});
