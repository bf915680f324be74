import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { openCouncilSession } from '../support/council.js';
import { withClient } from '../support/database.js';

let t: TestApp;

beforeAll(async () => {
  // One connection and a short wait for it: any request that asks the pool for a second connection
  // while its transaction holds the first fails instead of succeeding.
  t = await startTestApp({ env: { DB_POOL_SIZE: '1', DB_ACQUIRE_TIMEOUT_MS: '2000' } });
});
afterAll(async () => {
  await t.close();
});

/** Makes the database refuse the audit row of these actions, so that the request fails after its other writes. */
async function refuseAudit(actions: string[]): Promise<() => Promise<void>> {
  await t.dataSource.query(`
    CREATE FUNCTION refuse_audit_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.action = ANY(TG_ARGV) THEN RAISE EXCEPTION 'audit refused for the test'; END IF;
      RETURN NEW;
    END $$`);
  await t.dataSource.query(`CREATE TRIGGER refuse_audit_for_test BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION refuse_audit_for_test(${actions.map((a) => `'${a}'`).join(', ')})`);
  return async () => {
    await t.dataSource.query(`DROP TRIGGER refuse_audit_for_test ON audit_event`);
    await t.dataSource.query(`DROP FUNCTION refuse_audit_for_test()`);
  };
}

describe('the service on a pool of one connection', () => {
  it('submission, formal check, attendance, recommendation, votes, decision, ratings and closing the session all succeed', async () => {
    const pool = (await t.agent().get('/health').expect(200)).body.database.pool;
    expect(pool.size).toBeLessThanOrEqual(1);

    // Submission and formal check happen inside the helper, for each application.
    const session = await openCouncilSession(t, 2);
    const { office, officeToken, sessionId, items, voters } = session;
    const [{ n: eligible }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM application a JOIN agenda_item i ON i.application_id = a.id WHERE i.session_id = $1`, [sessionId]);
    expect(eligible).toBe(2);

    const advisory = t.agent();
    const advisoryToken = await loginAs(advisory, DEMO.advisory);
    await advisory.put(`/api/v1/agenda-items/${items[0]}/recommendation`).set('X-CSRF-Token', advisoryToken).send({ text: 'Wir empfehlen die Förderung.' }).expect(204);

    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    for (const voter of voters) {
      await voter.agent.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', voter.token).send({ choice: 'yes' }).expect(201);
    }
    const closed = await office.post(`/api/v1/agenda-items/${items[0]}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);
    expect(closed.body).toMatchObject({ decision: 'approved', yesCount: voters.length, noCount: 0, abstainCount: 0 });
    for (const voter of voters.slice(0, 5)) {
      await voter.agent.put(`/api/v1/agenda-items/${items[0]}/rating`).set('X-CSRF-Token', voter.token).send({ importance: 4, urgency: 3 }).expect(204);
    }
    await office.put(`/api/v1/agenda-items/${items[0]}/rating`).set('X-CSRF-Token', officeToken).send({ memberId: voters[5].id, importance: 2, urgency: 2 }).expect(204);
    await office.post(`/api/v1/sessions/${sessionId}/close`).set('X-CSRF-Token', officeToken).expect(200);

    const view = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body;
    expect(view.session.status).toBe('closed');
    expect(view.items.map((i: { status: string }) => i.status)).toEqual(['closed', 'deferred']);
    expect(view.items[0].ratingsCount).toBe(6);
    expect(view.items[0].recommendations.map((r: { text: string }) => r.text)).toEqual(['Wir empfehlen die Förderung.']);
  }, 180_000);

  it('a rating or recommendation whose audit row fails is not saved either', async () => {
    const session = await openCouncilSession(t, 2);
    const { office, officeToken, items, voters } = session;
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    await office.post(`/api/v1/agenda-items/${items[0]}/show-of-hands`).set('X-CSRF-Token', officeToken).send({ choices: Object.fromEntries(voters.map((v) => [v.id, 'yes'])) }).expect(201);
    await office.post(`/api/v1/agenda-items/${items[0]}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);
    const advisory = t.agent();
    const advisoryToken = await loginAs(advisory, DEMO.advisory);

    const allow = await refuseAudit(['session.rated', 'session.recommendation']);
    try {
      const rating = await voters[0].agent.put(`/api/v1/agenda-items/${items[0]}/rating`).set('X-CSRF-Token', voters[0].token).send({ importance: 5, urgency: 5 });
      expect(rating.status).toBe(500);
      const recorded = await office.put(`/api/v1/agenda-items/${items[0]}/rating`).set('X-CSRF-Token', officeToken).send({ memberId: voters[1].id, importance: 1, urgency: 1 });
      expect(recorded.status).toBe(500);
      const recommendation = await advisory.put(`/api/v1/agenda-items/${items[1]}/recommendation`).set('X-CSRF-Token', advisoryToken).send({ text: 'Nicht gespeichert' });
      expect(recommendation.status).toBe(500);
    } finally {
      await allow();
    }
    expect(await t.dataSource.query(`SELECT member_id FROM rating WHERE item_id = ANY($1)`, [items])).toEqual([]);
    expect(await t.dataSource.query(`SELECT member_id FROM recommendation WHERE item_id = ANY($1)`, [items])).toEqual([]);

    // With the audit row accepted again, the same requests are saved together with it.
    await voters[0].agent.put(`/api/v1/agenda-items/${items[0]}/rating`).set('X-CSRF-Token', voters[0].token).send({ importance: 5, urgency: 5 }).expect(204);
    await advisory.put(`/api/v1/agenda-items/${items[1]}/recommendation`).set('X-CSRF-Token', advisoryToken).send({ text: 'Gespeichert' }).expect(204);
    expect(await t.dataSource.query(`SELECT importance, urgency FROM rating WHERE item_id = $1`, [items[0]])).toEqual([{ importance: 5, urgency: 5 }]);
    expect(await t.dataSource.query(`SELECT text FROM recommendation WHERE item_id = $1`, [items[1]])).toEqual([{ text: 'Gespeichert' }]);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action IN ('session.rated', 'session.recommendation') AND entity_id = ANY($1::text[])`, [items]);
    expect(n).toBe(2);
  }, 180_000);

  it('with the pool exhausted a request is answered 503 with Retry-After after the acquire timeout, and /health still answers at once', async () => {
    const office = t.agent();
    await loginAs(office, DEMO.office);
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    try {
      const started = Date.now();
      const busy = await office.get('/api/v1/sessions');
      expect(busy.status).toBe(503);
      expect(busy.headers['retry-after']).toBe('5');
      expect(busy.body.error).toBe('service_unavailable');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      const page = await office.get('/office');
      expect(page.status).toBe(503);
      expect(page.text).toContain('Der Dienst ist gerade ausgelastet.');

      const healthStarted = Date.now();
      const health = await t.agent().get('/health').expect(200);
      expect(Date.now() - healthStarted).toBeLessThan(1000);
      expect(health.body.database.pool).toMatchObject({ size: 1, idle: 0 });
    } finally {
      await holder.release();
    }
    await office.get('/api/v1/sessions').expect(200);
  }, 60_000);

  it('/health says 503 within a second when the database does not answer', async () => {
    // Another session holds a lock the health query must wait for: the database is there but stuck.
    await withClient((t.dataSource.options as { url: string }).url, async (client) => {
      await client.query(`BEGIN`);
      await client.query(`LOCK TABLE schema_migration IN ACCESS EXCLUSIVE MODE`);
      try {
        const started = Date.now();
        const res = await t.agent().get('/health');
        expect(Date.now() - started).toBeLessThan(1000);
        expect(res.status).toBe(503);
        expect(res.body.status).toBe('unavailable');
      } finally {
        await client.query(`ROLLBACK`);
      }
    });
    await t.agent().get('/health').expect(200);
  });
});
