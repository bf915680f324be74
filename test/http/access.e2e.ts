import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { csrfToken, DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let otherOrgId: string;
let ownOrgId: string;

beforeAll(async () => {
  t = await startTestApp();
  const [own] = await t.dataSource.query(
    `SELECT o.id FROM organisation o JOIN organisation_user ou ON ou.organisation_id = o.id JOIN app_user u ON u.id = ou.user_id WHERE u.email = $1 ORDER BY o.name LIMIT 1`,
    [DEMO.applicant],
  );
  const [other] = await t.dataSource.query(
    `SELECT o.id FROM organisation o JOIN organisation_user ou ON ou.organisation_id = o.id JOIN app_user u ON u.id = ou.user_id WHERE u.email = $1 LIMIT 1`,
    [DEMO.otherApplicant],
  );
  ownOrgId = own.id;
  otherOrgId = other.id;
});
afterAll(async () => {
  await t.close();
});

describe('an applicant and other organisations', () => {
  it('lists only their own organisations', async () => {
    const agent = t.agent();
    await loginAs(agent, DEMO.applicant);
    const res = await agent.get('/api/v1/organisations').expect(200);
    const ids = res.body.map((o: { id: string }) => o.id);
    expect(ids).toContain(ownOrgId);
    expect(ids).not.toContain(otherOrgId);
    expect(ids).toHaveLength(2);
  });

  it('cannot read another organisation (404, API and page)', async () => {
    const agent = t.agent();
    await loginAs(agent, DEMO.applicant);
    const api = await agent.get(`/api/v1/organisations/${otherOrgId}`).expect(404);
    expect(api.body.error).toBe('not_found');
    await agent.get(`/organisations/${otherOrgId}`).expect(404);
    await agent.get(`/organisations/${otherOrgId}/edit`).expect(404);
  });

  it('cannot change another organisation (404) and nothing changes', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const [before] = await t.dataSource.query(`SELECT name, version FROM organisation WHERE id = $1`, [otherOrgId]);
    await agent
      .put(`/api/v1/organisations/${otherOrgId}`)
      .set('X-CSRF-Token', token)
      .send({ name: 'Übernommen', legalForm: 'ev', registerCourt: 'AG Neuss', registerNumber: 'VR 1', nonProfit: false, street: 'A 1', postalCode: '41460', city: 'Neuss', district: 'Norf', iban: 'DE89370400440532013000', accountHolder: 'X', version: before.version })
      .expect(404);
    await agent.post(`/api/v1/organisations/${otherOrgId}/contacts`).set('X-CSRF-Token', token).send({ fullName: 'Eindringling' }).expect(404);
    const [after] = await t.dataSource.query(`SELECT name, version FROM organisation WHERE id = $1`, [otherOrgId]);
    expect(after).toEqual(before);
  });

  it('cannot confirm organisations (403)', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    await agent.post(`/api/v1/organisations/${ownOrgId}/confirm`).set('X-CSRF-Token', token).expect(403);
  });

  it('gets 404 for a malformed id, not 500', async () => {
    const agent = t.agent();
    await loginAs(agent, DEMO.applicant);
    await agent.get('/api/v1/organisations/not-a-uuid').expect(404);
  });
});

describe('voting-only routes', () => {
  it('refuse advisory members (403)', async () => {
    const agent = t.agent();
    await loginAs(agent, DEMO.advisory);
    const res = await agent.get('/api/v1/round-table/voting-right').expect(403);
    expect(res.body.error).toBe('forbidden');
    await agent.get('/voting').expect(403);
  });

  it('refuse the chair, who advises but does not vote (403)', async () => {
    const agent = t.agent();
    await loginAs(agent, DEMO.chair);
    await agent.get('/api/v1/round-table/voting-right').expect(403);
  });

  it('admit voting members', async () => {
    const agent = t.agent();
    await loginAs(agent, DEMO.voting);
    const res = await agent.get('/api/v1/round-table/voting-right').expect(200);
    expect(res.body.mayVote).toBe(true);
    await agent.get('/voting').expect(200);
  });
});

describe('staff-only routes', () => {
  it('send anonymous pages to the login and give 401 on the API', async () => {
    const page = await t.agent().get('/office/organisations').expect(303);
    expect(page.headers.location).toBe('/login?next=%2Foffice%2Forganisations');
    const api = await t.agent().get('/api/v1/organisations').expect(401);
    expect(api.body.error).toBe('unauthenticated');
  });

  it('refuse applicants and members (403)', async () => {
    for (const email of [DEMO.applicant, DEMO.voting]) {
      const agent = t.agent();
      await loginAs(agent, email);
      await agent.get('/office/members').expect(403);
      await agent.get('/api/v1/accounts').expect(403);
    }
  });
});

describe('CSRF protection', () => {
  it('refuses a form post without the token', async () => {
    const agent = t.agent();
    await agent.get('/login').expect(200);
    const res = await agent.post('/login').type('form').send({ email: DEMO.office, password: 'Neuss-Demo-2026' }).expect(403);
    expect(res.text).toContain('Das Formular ist abgelaufen');
    expect(String(res.headers['set-cookie'] ?? '')).not.toContain('ft_session=');
  });

  it('refuses a wrong token and an API change without the header', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    await agent.post('/organisations').type('form').send({ _csrf: token.slice(0, -2) + 'xx', name: 'X' }).expect(403);
    const res = await agent.post('/api/v1/organisations').send({ name: 'X' }).expect(403);
    expect(res.body.error).toBe('csrf_invalid');
  });

  it("refuses another browser's token", async () => {
    const first = t.agent();
    const second = t.agent();
    const foreignToken = await csrfToken(first);
    await second.get('/login');
    await second.post('/login').type('form').send({ _csrf: foreignToken, email: DEMO.office, password: 'x' }).expect(403);
  });

  it('accepts a form post with the token', async () => {
    const agent = t.agent();
    const page = await agent.get('/login').expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: DEMO.office, password: 'Neuss-Demo-2026' }).expect(303);
    expect(res.headers.location).toBe('/office');
  });
});
