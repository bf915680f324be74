import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const VALID = {
  name: 'Neuer Kulturverein Neuss e.V.',
  legalForm: 'ev',
  registerCourt: 'Amtsgericht Neuss',
  registerNumber: 'VR 4711',
  nonProfit: true,
  nonProfitCertificateExpiresOn: '2028-12-31',
  street: 'Markt 1',
  postalCode: '41460',
  city: 'Neuss',
  district: 'Innenstadt',
  iban: 'DE89 3704 0044 0532 0130 00',
  accountHolder: 'Neuer Kulturverein Neuss e.V.',
};

async function countOrganisations(): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM organisation`);
  return row.n;
}

describe('organisation input', () => {
  it('a wrong IBAN is a 422 naming the field, and nothing is written', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const before = await countOrganisations();
    const res = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send({ ...VALID, iban: 'DE89 3704 0044 0532 0130 01' }).expect(422);
    expect(res.body.error).toBe('validation_failed');
    expect(Object.keys(res.body.fields)).toEqual(['iban']);
    expect(res.body.fields.iban[0]).toMatch(/IBAN/);
    expect(await countOrganisations()).toBe(before);
  });

  it('an unknown district is a 422 naming the field', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const res = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send({ ...VALID, district: 'Düsseldorf-Altstadt' }).expect(422);
    expect(Object.keys(res.body.fields)).toEqual(['district']);
  });

  it('names every broken field at once, in the page next to the field', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const res = await agent
      .post('/organisations')
      .type('form')
      .send({ _csrf: token, ...VALID, nonProfit: 'true', iban: 'DE00 1234', district: 'Atlantis', postalCode: '123', registerNumber: '' })
      .expect(422);
    for (const field of ['iban', 'district', 'postalCode', 'registerNumber']) {
      expect(res.text).toContain(`id="f-${field}-error"`);
      expect(res.text).toMatch(new RegExp(`id="f-${field}"[^>]*aria-invalid="true"`, 's'));
    }
    // what was typed stays in the form
    expect(res.text).toContain('value="Markt 1"');
  });

  it('rules across fields: register details for an e.V., certificate date when non-profit', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const res = await agent
      .post('/api/v1/organisations')
      .set('X-CSRF-Token', token)
      .send({ ...VALID, registerCourt: undefined, registerNumber: undefined, nonProfitCertificateExpiresOn: undefined })
      .expect(422);
    expect(Object.keys(res.body.fields).sort()).toEqual(['nonProfitCertificateExpiresOn', 'registerCourt', 'registerNumber']);
  });

  it('refuses unknown fields and wrong types with 422, malformed JSON with 400', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const unknown = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send({ ...VALID, status: 'confirmed' }).expect(422);
    expect(Object.keys(unknown.body.fields)).toEqual(['status']);
    const typed = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send({ ...VALID, name: 42, nonProfit: 'maybe' }).expect(422);
    expect(Object.keys(typed.body.fields).sort()).toEqual(['name', 'nonProfit']);
    const broken = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(broken.body.error).toBe('bad_request');
  });

  it('a valid organisation is created as pending, the applicant is its contact, and the office confirms it', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const created = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send(VALID).expect(201);
    expect(created.body.status).toBe('pending');
    expect(created.body.iban).toBe('DE89370400440532013000');
    const view = await agent.get(`/api/v1/organisations/${created.body.id}`).expect(200);
    expect(view.body.contacts).toEqual([expect.objectContaining({ email: DEMO.applicant, isPrimary: true })]);

    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    const confirmed = await office.post(`/api/v1/organisations/${created.body.id}/confirm`).set('X-CSRF-Token', officeToken).expect(200);
    expect(confirmed.body.status).toBe('confirmed');
    const again = await office.post(`/api/v1/organisations/${created.body.id}/confirm`).set('X-CSRF-Token', officeToken).expect(409);
    expect(again.body.status).toBe('confirmed');
  });

  it('a stale version is a 409; changing the bank account sends a confirmed organisation back to the office', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const [org] = (await agent.get('/api/v1/organisations').expect(200)).body.filter((o: { status: string }) => o.status === 'confirmed');
    const body = { ...VALID, name: org.name, registerCourt: org.registerCourt, registerNumber: org.registerNumber, version: org.version };
    const first = await agent.put(`/api/v1/organisations/${org.id}`).set('X-CSRF-Token', token).send({ ...body, iban: 'DE02120300000000202051' }).expect(200);
    expect(first.body.status).toBe('pending');
    expect(first.body.version).toBe(org.version + 1);
    const stale = await agent.put(`/api/v1/organisations/${org.id}`).set('X-CSRF-Token', token).send(body).expect(409);
    expect(stale.body.currentVersion).toBe(org.version + 1);
    const [row] = await t.dataSource.query(`SELECT iban FROM organisation WHERE id = $1`, [org.id]);
    expect(row.iban).toBe('DE02120300000000202051');
  });

  it('concurrent updates of the same version: exactly one wins, the other gets 409', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.office);
    const [org] = (await agent.get('/api/v1/organisations?status=confirmed').expect(200)).body;
    const body = (name: string) => ({ ...VALID, name, registerCourt: org.registerCourt, registerNumber: org.registerNumber, version: org.version });
    const results = await Promise.all(
      ['Name A', 'Name B', 'Name C'].map((name) => agent.put(`/api/v1/organisations/${org.id}`).set('X-CSRF-Token', token).send(body(name))),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const [row] = await t.dataSource.query(`SELECT name, version FROM organisation WHERE id = $1`, [org.id]);
    expect(row.version).toBe(org.version + 1);
  });
});

describe('round-table membership input', () => {
  it('refuses a voting right for a welfare association and a term ending before it starts', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.office);
    const res = await agent
      .post('/api/v1/round-table/members')
      .set('X-CSRF-Token', token)
      .send({ fullName: 'Test', votingRight: 'voting', group: 'welfare_association', termStart: '2026-01-01', termEnd: '2025-01-01' })
      .expect(422);
    expect(Object.keys(res.body.fields).sort()).toEqual(['termEnd', 'votingRight']);
  });

  it('records a member with deputy and a declared affiliation, and the audit trail has both', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.office);
    const deputy = await agent.post('/api/v1/round-table/members').set('X-CSRF-Token', token)
      .send({ fullName: 'Vertretung Test', votingRight: 'voting', group: 'council_faction', represents: 'SPD-Fraktion', kind: 'deputy', termStart: '2025-11-01' }).expect(201);
    const member = await agent.post('/api/v1/round-table/members').set('X-CSRF-Token', token)
      .send({ fullName: 'Mitglied Test', votingRight: 'voting', group: 'council_faction', represents: 'SPD-Fraktion', termStart: '2025-11-01', deputyId: deputy.body.id }).expect(201);
    const [org] = (await agent.get('/api/v1/organisations').expect(200)).body;
    await agent.post(`/api/v1/round-table/members/${member.body.id}/affiliations`).set('X-CSRF-Token', token).send({ organisationId: org.id, kind: 'board' }).expect(201);
    const duplicate = await agent.post(`/api/v1/round-table/members/${member.body.id}/affiliations`).set('X-CSRF-Token', token).send({ organisationId: org.id, kind: 'board' }).expect(409);
    expect(duplicate.body.error).toBe('conflict');
    const view = await agent.get(`/api/v1/round-table/members/${member.body.id}`).expect(200);
    expect(view.body.deputy.id).toBe(deputy.body.id);
    expect(view.body.affiliations).toEqual([expect.objectContaining({ organisationId: org.id, kind: 'board', organisationName: org.name })]);
    const audit = await t.dataSource.query(`SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY id`, [member.body.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['member.created', 'member.affiliation_declared']);
  });
});
