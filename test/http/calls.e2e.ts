import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { pdfText } from '../support/pdf.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

export function callBody(overrides: Record<string, unknown> = {}) {
  return {
    year: 2027,
    title: 'Testaufruf',
    budgetCents: 2_000_000,
    fieldsOfAction: ['Antirassismus', 'Sprachförderung'],
    submissionDeadline: new Date(Date.now() + 86400_000).toISOString(),
    fundingPeriodStart: '2027-04-01',
    fundingPeriodEnd: '2027-12-31',
    financeType: 'deficit',
    maxAmountCents: 500_000,
    minOwnContributionPercent: 10,
    costCategories: ['Honorare', 'Sachkosten'],
    requiredAttachments: ['Satzung'],
    declarations: ['Die Maßnahme ist offen für alle.'],
    reportDueMonths: 6,
    ...overrides,
  };
}

describe('calls', () => {
  it('the public sees the open demo call and downloads it as PDF', async () => {
    const list = await t.agent().get('/api/v1/calls?open=true').expect(200);
    expect(list.body).toHaveLength(1);
    const call = list.body[0];
    const page = await t.agent().get(`/calls/${call.id}`).expect(200);
    expect(page.text).toContain('Integrationsprojekte in Neuss');
    const pdf = await t.agent().get(`/calls/${call.id}/pdf`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('Integrationsprojekte in Neuss');
    expect(text).toContain('30.000,00 €');
    expect(text).toContain('Sprachförderung');
  });

  it('drafts are invisible to the public and to applicants', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const draft = await office.post('/api/v1/calls').set('X-CSRF-Token', token).send(callBody()).expect(201);
    expect(draft.body.status).toBe('draft');
    await t.agent().get(`/api/v1/calls/${draft.body.id}`).expect(404);
    const applicant = t.agent();
    await loginAs(applicant, DEMO.applicant);
    await applicant.get(`/calls/${draft.body.id}`).expect(404);
  });

  it('validates the rules: share needs a percentage, the period must not end before it starts', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const res = await office.post('/api/v1/calls').set('X-CSRF-Token', token)
      .send(callBody({ financeType: 'share', budgetCents: -5, costCategories: [] })).expect(422);
    expect(Object.keys(res.body.fields).sort()).toEqual(['budgetCents', 'costCategories', 'sharePercent']);
    const period = await office.post('/api/v1/calls').set('X-CSRF-Token', token).send(callBody({ fundingPeriodEnd: '2027-01-01' })).expect(422);
    expect(Object.keys(period.body.fields)).toEqual(['fundingPeriodEnd']);
  });

  it('keeps the payment window and the allowed overrun per cost line, and refuses values out of range', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const created = await office.post('/api/v1/calls').set('X-CSRF-Token', token).send(callBody({ paymentWindowMonths: 3, lineDeviationPercent: 15 })).expect(201);
    expect(created.body).toMatchObject({ paymentWindowMonths: 3, lineDeviationPercent: 15 });
    const page = await office.get(`/office/calls/${created.body.id}`).expect(200);
    // A draft's page is its form, with the settings filled in.
    expect(page.text).toMatch(/<input[^>]*name="paymentWindowMonths"[^>]*value="3"|<input[^>]*value="3"[^>]*name="paymentWindowMonths"/);
    const res = await office.post('/api/v1/calls').set('X-CSRF-Token', token).send(callBody({ paymentWindowMonths: 0, lineDeviationPercent: 101 })).expect(422);
    expect(Object.keys(res.body.fields).sort()).toEqual(['lineDeviationPercent', 'paymentWindowMonths']);
    // Left out, the usual rules apply: two months, 20 %.
    expect((await office.post('/api/v1/calls').set('X-CSRF-Token', token).send(callBody()).expect(201)).body).toMatchObject({ paymentWindowMonths: 2, lineDeviationPercent: 20 });
  });

  it('keeps the ranking settings: weights, partial funding, ceilings per field of action', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const unknown = await office.post('/api/v1/calls').set('X-CSRF-Token', token).send(callBody({ fieldCaps: { Kochen: 100_000 } })).expect(422);
    expect(Object.keys(unknown.body.fields)).toEqual(['fieldCaps']);
    const zero = await office.post('/api/v1/calls').set('X-CSRF-Token', token).send(callBody({ importanceWeight: 0, urgencyWeight: 0 })).expect(422);
    expect(Object.keys(zero.body.fields)).toEqual(['importanceWeight']);
    const form = await office.get('/office/calls/new').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const saved = await office.post('/office/calls').type('form').send({
      _csrf: csrf, year: '2027', title: 'Formular', budgetCents: '20.000,00', fieldsOfAction: 'Antirassismus\nSprachförderung',
      submissionDeadlineDate: '2027-03-31', submissionDeadlineTime: '23:59', fundingPeriodStart: '2027-04-01', fundingPeriodEnd: '2027-12-31',
      financeType: 'deficit', maxAmountCents: '5.000', minOwnContributionPercent: '10', costCategories: 'Honorare', reportDueMonths: '6',
      importanceWeight: '2', urgencyWeight: '1', partialFunding: 'true', fieldCaps: 'Sprachförderung = 8.000',
    }).expect(303);
    const id = saved.headers.location.split('/')[3].split('?')[0];
    const call = (await office.get(`/api/v1/calls/${id}`).expect(200)).body;
    expect(call).toEqual(expect.objectContaining({ importanceWeight: 2, urgencyWeight: 1, partialFunding: true, fieldCaps: { Sprachförderung: 800_000 }, budgetCents: 2_000_000 }));
    expect(call.submissionDeadline).toBe('2027-03-31T21:59:00.000Z');
  });

  it("a published call's rules can no longer change (409)", async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const draft = await office.post('/api/v1/calls').set('X-CSRF-Token', token).send(callBody()).expect(201);
    const updated = await office.put(`/api/v1/calls/${draft.body.id}`).set('X-CSRF-Token', token).send({ ...callBody({ maxAmountCents: 400_000 }), version: draft.body.version }).expect(200);
    expect(updated.body.maxAmountCents).toBe(400_000);
    await office.post(`/api/v1/calls/${draft.body.id}/publish`).set('X-CSRF-Token', token).expect(200);
    const refused = await office.put(`/api/v1/calls/${draft.body.id}`).set('X-CSRF-Token', token).send({ ...callBody(), version: updated.body.version + 1 }).expect(409);
    expect(refused.body.status).toBe('published');
  });

  it('a call with its deadline passed cannot be published', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const draft = await office.post('/api/v1/calls').set('X-CSRF-Token', token).send(callBody({ submissionDeadline: new Date(Date.now() - 1000).toISOString() })).expect(201);
    const res = await office.post(`/api/v1/calls/${draft.body.id}/publish`).set('X-CSRF-Token', token).expect(409);
    expect(res.body.status).toBe('draft');
  });

  it('closes by itself when the deadline passes, without any request touching it', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const deadline = new Date(Date.now() + 2500);
    const draft = await office.post('/api/v1/calls').set('X-CSRF-Token', token).send(callBody({ submissionDeadline: deadline.toISOString() })).expect(201);
    await office.post(`/api/v1/calls/${draft.body.id}/publish`).set('X-CSRF-Token', token).expect(200);
    const status = async () => (await t.dataSource.query(`SELECT status, closed_at FROM funding_call WHERE id = $1`, [draft.body.id]))[0];
    expect((await status()).status).toBe('published');
    const closed = await eventually(async () => {
      const row = await status();
      return row.status === 'closed' ? row : undefined;
    }, 10_000);
    expect(new Date(closed.closed_at).getTime()).toBeGreaterThanOrEqual(deadline.getTime());
    const [audit] = await t.dataSource.query(`SELECT actor_id, action FROM audit_event WHERE entity_id = $1 ORDER BY id DESC LIMIT 1`, [draft.body.id]);
    expect(audit).toEqual({ actor_id: null, action: 'call.close' });
  });
});
