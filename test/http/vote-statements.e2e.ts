import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SYSTEM_ACTOR } from '../../src/auth/actor.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { SessionsRepository } from '../../src/sessions/sessions.repository.js';
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
  it('takes the session lookup, one statement for its checks and one for ballot, vote and audit row, without a transaction', async () => {
    const { office, officeToken, items, voters } = await openCouncilSession(t, 1);
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    const [first] = voters;

    const correlationId = 'vote-statements-1';
    const statements = await statementsOf(t, correlationId, () =>
      first.agent.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', first.token).set('X-Correlation-Id', correlationId).send({ choice: 'yes' }).expect(201));
    // Session lookup, the checks, ballot with vote and audit row (the login's once-a-minute touch
    // aside, should the setup have taken that long).
    expect(statements.filter((sql) => !sql.startsWith('UPDATE "user_session"'))).toHaveLength(3);

    // Fewer statements, the same rules: a second vote is refused, the vote and its audit row are there.
    await first.agent.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', first.token).send({ choice: 'no' }).expect(409);
    const votes = await t.dataSource.query(`SELECT member_id AS "memberId", choice FROM vote WHERE item_id = $1`, [items[0]]);
    expect(votes).toEqual([{ memberId: first.id, choice: 'yes' }]);
    const [{ audited }] = await t.dataSource.query(`SELECT count(*)::int AS audited FROM audit_event WHERE action = 'session.vote_cast' AND entity_id = $1::text`, [items[0]]);
    expect(audited).toBe(1);
  }, 60_000);

  it('writes nothing when the item changed after the checks: closed, or made secret', async () => {
    const { office, officeToken, items, voters } = await openCouncilSession(t, 2);
    const [first] = voters;
    const repository = t.app.get(SessionsRepository);
    const audit = t.app.get(AuditService).row(SYSTEM_ACTOR, { action: 'session.vote_cast', entityType: 'agenda_item', entityId: items[0] });
    const vote = { itemId: items[0], memberId: first.id, byOffice: false, secret: false, choice: 'yes' as const };

    // Checked while pending, written after: the item is not open.
    expect(await repository.castVote(vote, audit)).toBe('itemChanged');
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    // Checked as an open ballot, but the item is secret now (or the other way round).
    expect(await repository.castVote({ ...vote, secret: true }, audit)).toBe('itemChanged');
    const written = async () => (await t.dataSource.query(
      `SELECT (SELECT count(*) FROM ballot WHERE item_id = $1)::int AS ballots, (SELECT count(*) FROM vote WHERE item_id = $1)::int AS votes,
              (SELECT count(*) FROM audit_event WHERE action = 'session.vote_cast' AND entity_id = $1::text)::int AS audited`,
      [items[0]],
    ))[0];
    expect(await written()).toEqual({ ballots: 0, votes: 0, audited: 0 });

    expect(await repository.castVote(vote, audit)).toBe('cast');
    expect(await repository.castVote(vote, audit)).toBe('alreadyVoted');
    expect(await written()).toEqual({ ballots: 1, votes: 1, audited: 1 });
  }, 60_000);
});
