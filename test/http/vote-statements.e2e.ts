import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/app.js';
import { openCouncilSession } from '../support/council.js';
import { statementsOf } from '../support/statements.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('a vote on the database', () => {
  it('takes the session lookup, one statement for its checks, one for ballot, vote and audit row, and the transaction', async () => {
    const { office, officeToken, items, voters } = await openCouncilSession(t, 1);
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    const [first] = voters;

    const correlationId = 'vote-statements-1';
    const statements = await statementsOf(t, correlationId, () =>
      first.agent.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', first.token).set('X-Correlation-Id', correlationId).send({ choice: 'yes' }).expect(201));
    // Session lookup, BEGIN, checks with the item's share lock, ballot with vote and audit row, COMMIT
    // (the login's once-a-minute touch aside, should the setup have taken that long).
    expect(statements.filter((sql) => !sql.startsWith('UPDATE "user_session"'))).toHaveLength(5);

    // Fewer statements, the same rules: a second vote is refused, the vote and its audit row are there.
    await first.agent.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', first.token).send({ choice: 'no' }).expect(409);
    const votes = await t.dataSource.query(`SELECT member_id AS "memberId", choice FROM vote WHERE item_id = $1`, [items[0]]);
    expect(votes).toEqual([{ memberId: first.id, choice: 'yes' }]);
    const [{ audited }] = await t.dataSource.query(`SELECT count(*)::int AS audited FROM audit_event WHERE action = 'session.vote_cast' AND entity_id = $1::text`, [items[0]]);
    expect(audited).toBe(1);
  }, 60_000);
});
