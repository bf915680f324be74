import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../support/app.js';
import { approveItem, openCouncilSession } from '../support/council.js';

let t: TestApp;

beforeAll(async () => {
  // Far more requests at once than connections: a request that held one connection and waited for a
  // second would leave the pool deadlocked (answered 503 once the acquire timeout passes).
  t = await startTestApp({ listen: true, env: { DB_POOL_SIZE: '8' } });
});
afterAll(async () => {
  await t.close();
});

const CHOICES = ['yes', 'no', 'abstain'] as const;

/** Asks /health one request after the other until stopped; each answer with its status and how long it took. */
function pollHealth(baseUrl: string): { stop: () => Promise<{ status: number; ms: number }[]> } {
  const answers: { status: number; ms: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const status = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5000) }).then((res) => res.status, () => 0);
      answers.push({ status, ms: performance.now() - started });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return answers;
    },
  };
}

describe('a round table voting and rating all at once', () => {
  it('100 simultaneous votes and ratings are all counted, audited, and /health answers within a second throughout', async () => {
    const session = await openCouncilSession(t, 6);
    const { office, officeToken, items, voters } = session;
    expect(voters.length).toBeGreaterThanOrEqual(18);
    const rated = items.slice(0, 2);
    const voted = items.slice(2);
    for (const itemId of rated) await approveItem(session, itemId);
    for (const itemId of voted) await office.post(`/api/v1/agenda-items/${itemId}/open`).set('X-CSRF-Token', officeToken).expect(200);

    const choice = (member: number, item: number) => CHOICES[(member + item) % 3];
    const rating = (member: number, item: number) => ({ importance: 1 + (member % 5), urgency: 1 + ((member + item) % 5) });
    const burst = [
      ...voted.flatMap((itemId, i) => voters.map((v, m) => v.agent.post(`/api/v1/agenda-items/${itemId}/votes`).set('X-CSRF-Token', v.token).send({ choice: choice(m, i) }))),
      ...rated.flatMap((itemId, i) => voters.map((v, m) => v.agent.put(`/api/v1/agenda-items/${itemId}/rating`).set('X-CSRF-Token', v.token).send(rating(m, i)))),
    ];
    expect(burst.length).toBeGreaterThanOrEqual(100);

    const health = pollHealth(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`);
    const statuses = await Promise.all(burst.map((r) => r.then((res) => res.status)));
    const answers = await health.stop();

    expect(statuses.filter((s) => s !== 201 && s !== 204)).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect(answers.filter((a) => a.status !== 200 || a.ms >= 1000)).toEqual([]);

    for (const [i, itemId] of voted.entries()) {
      const votes = await t.dataSource.query(`SELECT member_id AS "memberId", choice FROM vote WHERE item_id = $1 ORDER BY member_id`, [itemId]);
      expect(votes).toEqual(voters.map((v, m) => ({ memberId: v.id, choice: choice(m, i) })).sort((a, b) => a.memberId.localeCompare(b.memberId)));
      const [{ ballots }] = await t.dataSource.query(`SELECT count(*)::int AS ballots FROM ballot WHERE item_id = $1`, [itemId]);
      expect(ballots).toBe(voters.length);
      const [{ audited }] = await t.dataSource.query(`SELECT count(DISTINCT after->>'memberId')::int AS audited FROM audit_event WHERE action = 'session.vote_cast' AND entity_id = $1::text`, [itemId]);
      expect(audited).toBe(voters.length);
    }
    // The tallies the item closes with are exact.
    const closed = await office.post(`/api/v1/agenda-items/${voted[0]}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);
    const expected = { yes: 0, no: 0, abstain: 0 };
    voters.forEach((_, m) => expected[choice(m, 0)]++);
    expect({ yes: closed.body.yesCount, no: closed.body.noCount, abstain: closed.body.abstainCount }).toEqual(expected);

    for (const [i, itemId] of rated.entries()) {
      const rows = await t.dataSource.query(`SELECT member_id AS "memberId", importance, urgency FROM rating WHERE item_id = $1 ORDER BY member_id`, [itemId]);
      expect(rows).toEqual(voters.map((v, m) => ({ memberId: v.id, ...rating(m, i) })).sort((a, b) => a.memberId.localeCompare(b.memberId)));
      const [{ audited }] = await t.dataSource.query(`SELECT count(DISTINCT after->>'memberId')::int AS audited FROM audit_event WHERE action = 'session.rated' AND entity_id = $1::text`, [itemId]);
      expect(audited).toBe(voters.length);
    }
  }, 180_000);
});
