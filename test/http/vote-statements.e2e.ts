import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { currentCorrelationId } from '../../src/common/request-context.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { openCouncilSession } from '../support/council.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The statements the service sends on its pool's connections for the request with this correlation id (background work is not counted). */
async function statementsOf(correlationId: string, fn: () => Promise<unknown>): Promise<string[]> {
  const pool = (t.dataSource.driver as unknown as { master: pg.Pool }).master;
  const sent: string[] = [];
  const wrapped = new WeakSet<pg.PoolClient>();
  const count = (client: pg.PoolClient) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (counting && currentCorrelationId() === correlationId) sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
      return query(...args);
    };
  };
  let counting = true;
  pool.on('acquire', count);
  try {
    await fn();
  } finally {
    counting = false;
    pool.off('acquire', count);
  }
  return sent;
}

describe('a vote on the database', () => {
  it('takes the session lookup, one statement for its checks, one for ballot and vote, the audit row and the transaction', async () => {
    const { office, officeToken, items, voters } = await openCouncilSession(t, 1);
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    const [first] = voters;

    const correlationId = 'vote-statements-1';
    const statements = await statementsOf(correlationId, () =>
      first.agent.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', first.token).set('X-Correlation-Id', correlationId).send({ choice: 'yes' }).expect(201));
    // Session lookup, BEGIN, checks with the item's share lock, ballot and vote, audit row, COMMIT
    // (the login's once-a-minute touch aside, should the setup have taken that long).
    expect(statements.filter((sql) => !sql.startsWith('UPDATE "user_session"'))).toHaveLength(6);

    // Fewer statements, the same rules: a second vote is refused, the vote and its audit row are there.
    await first.agent.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', first.token).send({ choice: 'no' }).expect(409);
    const votes = await t.dataSource.query(`SELECT member_id AS "memberId", choice FROM vote WHERE item_id = $1`, [items[0]]);
    expect(votes).toEqual([{ memberId: first.id, choice: 'yes' }]);
    const [{ audited }] = await t.dataSource.query(`SELECT count(*)::int AS audited FROM audit_event WHERE action = 'session.vote_cast' AND entity_id = $1::text`, [items[0]]);
    expect(audited).toBe(1);
  }, 60_000);
});
