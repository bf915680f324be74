import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { describe as describeError } from '../../src/web/errors-out.js';
import { csrfToken, DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { completeContent, PDF_FILE, preparedDraft } from '../support/applications.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const nestedArrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const nestedObjects = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

function callBody(overrides: Record<string, unknown> = {}) {
  return {
    year: 2027, title: 'Testaufruf', budgetCents: 2_000_000, fieldsOfAction: ['Antirassismus'],
    submissionDeadline: new Date(Date.now() + 86400_000).toISOString(), fundingPeriodStart: '2027-04-01', fundingPeriodEnd: '2027-12-31',
    financeType: 'deficit', maxAmountCents: 500_000, minOwnContributionPercent: 10, costCategories: ['Honorare'], ...overrides,
  };
}

async function countOrganisations(): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM organisation`);
  return row.n;
}

describe('deeply nested bodies', () => {
  it('400,000 levels of JSON (800 KB) at the login are refused as unreadable before parsing, and quickly', async () => {
    const agent = t.agent();
    const token = await csrfToken(agent);
    const started = Date.now();
    const res = await agent.post('/api/v1/auth/login').set('X-CSRF-Token', token).set('Content-Type', 'application/json').send(nestedArrays(400_000));
    const elapsed = Date.now() - started;
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.message).toContain('32');
    // liveness bound only: the refusal does not hold the event loop
    expect(elapsed).toBeLessThan(2000);
    await t.agent().get('/health').expect(200);
  });

  it('3,000 levels inside a field of a DTO endpoint are a 400, not a server error; nothing is written', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const before = await countOrganisations();
    for (const nested of [nestedArrays(3000), nestedObjects(3000)]) {
      const res = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).set('Content-Type', 'application/json').send(`{"name":${nested}}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('bad_request');
    }
    expect(await countOrganisations()).toBe(before);
  });

  it('nesting within the limit reaches validation (422); brackets inside strings do not count', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const shallow = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).set('Content-Type', 'application/json').send(`{"name":${nestedArrays(20)}}`);
    expect(shallow.status).toBe(422);
    expect(shallow.body.fields.name).toBeDefined();
    const inString = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send({ name: nestedArrays(50) });
    expect(inString.status).toBe(422);
    expect(inString.body.fields.name).toBeUndefined();
  });

  it('form bodies nested deeper than a finance-plan row are a 400', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const res = await agent.post('/organisations').type('form').send(`_csrf=${token}&name[a][b][c][d][e][f]=x`);
    expect(res.status).toBe(400);
  });
});

describe('text PostgreSQL cannot store', () => {
  it('a NUL byte in a JSON field is a 422 naming the field; nothing is written', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const before = await countOrganisations();
    const res = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send({ name: 'Verein\u0000 e.V.' }).expect(422);
    expect(res.body.fields).toEqual({ name: [expect.stringContaining('Nullbyte')] });
    expect(await countOrganisations()).toBe(before);
  });

  it('a lone surrogate deep in a finance plan is a 422 naming the line and field', async () => {
    const draft = await preparedDraft(t);
    const content = completeContent({ costLines: [{ category: 'Honorare', description: 'Kurs \ud800', amountCents: 1000 }] });
    const res = await draft.agent.put(`/api/v1/applications/${draft.applicationId}`).set('X-CSRF-Token', draft.token).send({ ...content, version: 1 }).expect(422);
    expect(Object.keys(res.body.fields)).toEqual(['costLines.0.description']);
  });

  it('in a form post and in a query parameter too', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.office);
    const form = await agent.post('/organisations').type('form').send(`_csrf=${token}&name=a%00b`).expect(422);
    expect(form.text).toContain('Nullbyte');
    await agent.get('/office/organisations?q=%00').expect(422);
    const api = await agent.get('/api/v1/applications?fieldOfAction=a%00b').expect(422);
    expect(Object.keys(api.body.fields)).toEqual(['fieldOfAction']);
  });
});

describe('numbers beyond the columns', () => {
  it('amounts and counts over the bounds are a 422 at the field', async () => {
    const draft = await preparedDraft(t);
    const put = (overrides: Record<string, unknown>) =>
      draft.agent.put(`/api/v1/applications/${draft.applicationId}`).set('X-CSRF-Token', draft.token).send({ ...completeContent(overrides), version: 1 });
    expect((await put({ requestedCents: 1e20 }).expect(422)).body.fields).toEqual({ requestedCents: [expect.any(String)] });
    expect((await put({ expectedParticipants: 2 ** 31 }).expect(422)).body.fields).toEqual({ expectedParticipants: [expect.any(String)] });
    expect(Object.keys((await put({ ownFundsCents: 2 ** 53 + 2 }).expect(422)).body.fields)).toEqual(['ownFundsCents']);
    const huge = await draft.agent.put(`/api/v1/applications/${draft.applicationId}`).set('X-CSRF-Token', draft.token).send({ ...completeContent(), version: 99_999_999_999 }).expect(422);
    expect(Object.keys(huge.body.fields)).toEqual(['version']);

    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    const call = await office.post('/api/v1/calls').set('X-CSRF-Token', officeToken).send(callBody({ budgetCents: 2 ** 63 })).expect(422);
    expect(call.body.fields).toEqual({ budgetCents: [expect.any(String)] });
    const caps = await office.post('/api/v1/calls').set('X-CSRF-Token', officeToken).send(callBody({ fieldCaps: { Antirassismus: 1e20 } })).expect(422);
    expect(Object.keys(caps.body.fields)).toEqual(['fieldCaps']);
  });

  it('a receipt version beyond any version is a 404, an audit page key of 20 digits a 422', async () => {
    const draft = await preparedDraft(t);
    await draft.agent.get(`/api/v1/applications/${draft.applicationId}/versions/99999999999/receipt.pdf`).expect(404);
    const admin = t.agent();
    await loginAs(admin, DEMO.admin);
    const res = await admin.get('/api/v1/audit?before=12345678901234567890').expect(422);
    expect(Object.keys(res.body.fields)).toEqual(['before']);
    await admin.get('/api/v1/audit?before=12').expect(200);
  });
});

describe('ids that are not UUIDs', () => {
  it('in a path they name nothing (404); as a filter they are a 422 naming the parameter', async () => {
    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    const admin = t.agent();
    const adminToken = await loginAs(admin, DEMO.admin);
    await admin.put('/api/v1/accounts/abc/status').set('X-CSRF-Token', adminToken).send({ status: 'disabled' }).expect(404);
    await office.post('/api/v1/organisations/abc/confirm').set('X-CSRF-Token', officeToken).expect(404);
    const [organisation] = (await office.get('/api/v1/organisations').expect(200)).body;
    await office.delete(`/api/v1/organisations/${organisation.id}/contacts/-1`).set('X-CSRF-Token', officeToken).expect(404);
    const [member] = (await office.get('/api/v1/round-table/members').expect(200)).body;
    await office.delete(`/api/v1/round-table/members/${member.id}/affiliations/1`).set('X-CSRF-Token', officeToken).expect(404);
    await office.delete(`/api/v1/round-table/members/abc/affiliations/00000000-0000-4000-8000-000000000000`).set('X-CSRF-Token', officeToken).expect(404);
    await office.get('/office/organisations/abc').expect(404);
    const list = await office.get('/api/v1/applications?callId=abc').expect(422);
    expect(Object.keys(list.body.fields)).toEqual(['callId']);
    await office.get('/api/v1/applications?callId=').expect(200);
  });
});

describe('shapes', () => {
  it('an object where a list belongs is a 422 naming the list', async () => {
    const draft = await preparedDraft(t);
    for (const field of ['costLines', 'thirdParty']) {
      const res = await draft.agent.put(`/api/v1/applications/${draft.applicationId}`).set('X-CSRF-Token', draft.token).send({ ...completeContent({ [field]: {} }), version: 1 }).expect(422);
      expect(Object.keys(res.body.fields)).toEqual([field]);
    }
  });

  it('?status[]= and repeated filters on the applications list are a 422, not ignored', async () => {
    const office = t.agent();
    await loginAs(office, DEMO.office);
    for (const query of ['status[]=submitted', 'status=submitted&status=draft', 'status[x]=submitted']) {
      const res = await office.get(`/api/v1/applications?${query}`).expect(422);
      expect(res.body.fields).toEqual({ status: [expect.any(String)] });
    }
    await office.get('/api/v1/applications?status=submitted').expect(200);
    await office.get('/api/v1/applications?status=').expect(200);
    const unknown = await office.get('/api/v1/applications?status=bogus').expect(422);
    expect(unknown.body.fields).toEqual({ status: [expect.any(String)] });
  });
});

describe('refusals of the database', () => {
  const answer = async (sql: string, params: unknown[] = []) => {
    const error = await t.dataSource.query(sql, params).then(() => undefined, (e: unknown) => e);
    expect(error).toBeDefined();
    return describeError(error);
  };

  it('foreign key, unique key, check and invalid values are 4xx naming the column; other errors stay 500', async () => {
    const fk = await answer(
      `INSERT INTO attachment (application_id, kind, filename, content_type, size_bytes, sha256, content) VALUES ($1, 'other', 'x.pdf', 'application/pdf', 1, repeat('a', 64), '\\x00')`,
      ['00000000-0000-4000-8000-000000000000'],
    );
    expect(fk).toMatchObject({ status: 422, code: 'validation_failed', fields: { applicationId: ['validation.unknownReference'] } });
    expect(await answer(`INSERT INTO app_user (email, full_name) SELECT upper(email), 'x' FROM app_user LIMIT 1`)).toMatchObject({ status: 409, code: 'conflict' });
    expect(await answer(`INSERT INTO app_user (email, full_name, status) VALUES ('neu@example.org', 'x', 'unknown')`)).toMatchObject({ status: 422 });
    expect(await answer(`SELECT 'abc'::uuid`)).toMatchObject({ status: 422, fields: { request: ['validation.invalidValue'] } });
    expect(await answer(`SELECT 99999999999::int4`)).toMatchObject({ status: 422 });
    expect(await answer(`SELECT convert_from('\\x00'::bytea, 'UTF8')`)).toMatchObject({ status: 422 });
    expect(await answer(`SELECT * FROM no_such_table`)).toMatchObject({ status: 500 });
  });
});

describe('attachments', () => {
  it('file names with umlauts and emoji arrive as sent', async () => {
    const draft = await preparedDraft(t);
    const name = 'Förderübersicht Straße 😀.pdf';
    const res = await draft.agent.post(`/api/v1/applications/${draft.applicationId}/attachments`).set('X-CSRF-Token', draft.token).field('kind', 'other').attach('file', PDF_FILE, name).expect(201);
    expect(res.body.filename).toBe(name);
    const view = (await draft.agent.get(`/api/v1/applications/${draft.applicationId}`).expect(200)).body;
    expect(view.attachments.map((a: { filename: string }) => a.filename)).toContain(name);
    const download = await draft.agent.get(`/api/v1/applications/${draft.applicationId}/attachments/${res.body.id}`).expect(200);
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
  });

  it('an application takes at most 20 attachments; the next is a 422 naming the limit, and removing one makes room', async () => {
    const draft = await preparedDraft(t);
    const upload = () => draft.agent.post(`/api/v1/applications/${draft.applicationId}/attachments`).set('X-CSRF-Token', draft.token).field('kind', 'other').attach('file', PDF_FILE, 'Anlage.pdf');
    let count = (await draft.agent.get(`/api/v1/applications/${draft.applicationId}`).expect(200)).body.attachments.length;
    while (count < 20) {
      await upload().expect(201);
      count++;
    }
    const refused = await upload().expect(422);
    expect(refused.body.fields).toEqual({ file: [expect.stringContaining('20')] });
    const view = (await draft.agent.get(`/api/v1/applications/${draft.applicationId}`).expect(200)).body;
    expect(view.attachments).toHaveLength(20);
    await draft.agent.delete(`/api/v1/applications/${draft.applicationId}/attachments/${view.attachments[0].id}`).set('X-CSRF-Token', draft.token).expect(204);
    await upload().expect(201);
  });
});
