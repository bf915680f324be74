import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the audit trail', () => {
  it('records a change with who, what, before and after', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const [org] = (await agent.get('/api/v1/organisations').expect(200)).body;
    await agent.post(`/api/v1/organisations/${org.id}/contacts`).set('X-CSRF-Token', token).send({ fullName: 'Neue Kassiererin', function: 'Kasse' }).expect(201);
    const [row] = await t.dataSource.query(
      `SELECT a.action, a.actor_label, a.after, u.email FROM audit_event a JOIN app_user u ON u.id = a.actor_id WHERE a.entity_id = $1 ORDER BY a.id DESC LIMIT 1`,
      [org.id],
    );
    expect(row.action).toBe('organisation.contact_added');
    expect(row.email).toBe(DEMO.applicant);
    expect(row.after.fullName).toBe('Neue Kassiererin');
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    const [{ id }] = await t.dataSource.query(`SELECT id FROM audit_event ORDER BY id LIMIT 1`);
    await expect(t.dataSource.query(`UPDATE audit_event SET action = 'forged' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM audit_event WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    const [row] = await t.dataSource.query(`SELECT action FROM audit_event WHERE id = $1`, [id]);
    expect(row.action).not.toBe('forged');
  });

  it('never stores password hashes', async () => {
    const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE before::text LIKE '%argon2%' OR after::text LIKE '%argon2%'`);
    expect(rows[0].n).toBe(0);
  });

  it('is readable by administrators only', async () => {
    const admin = t.agent();
    await loginAs(admin, DEMO.admin);
    const res = await admin.get('/api/v1/audit?entityType=organisation').expect(200);
    expect(res.body.length).toBeGreaterThan(0);
    await admin.get('/admin').expect(200);
    const office = t.agent();
    await loginAs(office, DEMO.office);
    await office.get('/api/v1/audit').expect(403);
  });
});

describe('errors', () => {
  it('an unknown page is a 404 page, an unknown API route a 404 JSON', async () => {
    const page = await t.agent().get('/gibt-es-nicht').expect(404);
    expect(page.text).toContain('Seite nicht gefunden');
    const api = await t.agent().get('/api/v1/gibt-es-nicht').expect(404);
    expect(api.body.error).toBe('not_found');
  });

  it('an unexpected failure is a 500 with a correlation id and nothing internal', async () => {
    const agent = t.agent();
    await loginAs(agent, DEMO.office);
    // Break the database underneath the service: a real unexpected failure.
    await t.dataSource.query(`ALTER TABLE organisation RENAME TO organisation_moved`);
    try {
      const res = await agent.get('/api/v1/organisations').expect(500);
      expect(res.body.error).toBe('internal_error');
      expect(res.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers['x-correlation-id']).toBe(res.body.correlationId);
      expect(JSON.stringify(res.body)).not.toMatch(/organisation_moved|relation "|SELECT|QueryFailed|at /);
      const page = await agent.get('/office/organisations').expect(500);
      expect(page.text).toContain('Vorgangsnummer');
      expect(page.text).not.toMatch(/organisation_moved|QueryFailedError/);
    } finally {
      await t.dataSource.query(`ALTER TABLE organisation_moved RENAME TO organisation`);
    }
  });
});
