import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { csrfToken, DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { eligibleApplication, PDF_FILE, preparedDraft, scheduledSession } from '../support/applications.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t.close();
});

/** An application on a session's agenda that the table has decided (as the session would leave it). */
async function decidedApplication(decision: 'approved' | 'rejected') {
  const prepared = await eligibleApplication(t);
  const sessionId = await scheduledSession(t, prepared.office, prepared.officeToken, prepared.callId, [prepared.applicationId]);
  await t.dataSource.query(`UPDATE application SET status = $2, machine_snapshot = $3 WHERE id = $1`, [prepared.applicationId, decision, JSON.stringify({ value: decision, context: {} })]);
  return { ...prepared, sessionId };
}

/** An account holding a role by name only: no round-table membership behind it. */
async function accountWithRoles(email: string, roles: string[]): Promise<void> {
  await t.dataSource.query(
    `INSERT INTO app_user (email, full_name, password_hash, roles, status, preferred_language)
     SELECT $1, 'Nur eingeladen', password_hash, $2::text[], 'active', 'de' FROM app_user WHERE email = $3`,
    [email, roles, DEMO.voting],
  );
}

describe('what the applicant learns of the round table', () => {
  it('the API never shows the workflow snapshot, and the table\'s decision reads "under deliberation" until the award', async () => {
    const { agent, token, applicationId } = await decidedApplication('approved');
    const res = await agent.get(`/api/v1/applications/${applicationId}`).expect(200);
    expect(res.body.application.status).toBe('under_deliberation');
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/machineSnapshot|machineVersion|approved|on_agenda/);
    expect(res.body.application.checkList).toEqual({});

    const list = (await agent.get('/api/v1/applications').expect(200)).body as { id: string; status: string }[];
    expect(list.find((a) => a.id === applicationId)?.status).toBe('under_deliberation');
    // filtering by the internal state tells nothing either
    expect((await agent.get('/api/v1/applications?status=approved').expect(200)).body).toEqual([]);
    expect((await agent.get('/api/v1/applications?status=under_deliberation').expect(200)).body.map((a: { id: string }) => a.id)).toEqual([applicationId]);

    const refused = await agent.put(`/api/v1/applications/${applicationId}`).set('X-CSRF-Token', token).send({ title: 'x', version: 1 }).expect(409);
    expect(refused.body.status).toBe('under_deliberation');
    expect(JSON.stringify(refused.body)).not.toMatch(/approved|on_agenda|befürwortet|Tagesordnung/);
  });

  it('a rejection shows on no page of the applicant, and withdrawing works as it would after an approval', async () => {
    const { agent, token, applicationId } = await decidedApplication('rejected');
    for (const path of ['/applications', `/applications/${applicationId}`]) {
      const page = (await agent.get(path).expect(200)).text;
      expect(page).toContain('in Beratung des Runden Tisches');
      expect(page).not.toMatch(/abgelehnt|befürwortet|rejected|on_agenda/);
    }
    const withdrawn = await agent.post(`/api/v1/applications/${applicationId}/withdraw`).set('X-CSRF-Token', token).expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(withdrawn.body).not.toHaveProperty('machineSnapshot');
  });

  it('the answers of create, save and submit carry no workflow internals either', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const [call] = (await agent.get('/api/v1/calls?open=true').expect(200)).body;
    expect(call).not.toHaveProperty('machineSnapshot');
    const [organisation] = (await agent.get('/api/v1/organisations').expect(200)).body;
    const created = await agent.post('/api/v1/applications').set('X-CSRF-Token', token).send({ title: 'Entwurf', costLines: [], thirdParty: [], ownFundsCents: 0, declarations: [], callId: call.id, organisationId: organisation.id }).expect(201);
    expect(created.body).not.toHaveProperty('machineSnapshot');
    expect(created.body).not.toHaveProperty('machineVersion');
    const saved = await agent.put(`/api/v1/applications/${created.body.id}`).set('X-CSRF-Token', token).send({ title: 'Entwurf 2', costLines: [], thirdParty: [], ownFundsCents: 0, declarations: [], version: created.body.version }).expect(200);
    expect(saved.body).not.toHaveProperty('machineSnapshot');
    // nor does the audit trail the administrators read
    const admin = t.agent();
    await loginAs(admin, DEMO.admin);
    const audit = await admin.get(`/api/v1/audit?entityType=application&entityId=${created.body.id}`).expect(200);
    expect(JSON.stringify(audit.body)).toContain('application.created');
    expect(JSON.stringify(audit.body)).not.toContain('machineSnapshot');
  });
});

describe('what members of the round table receive of the organisation', () => {
  it('members reading an agenda item get no bank account, account holder, phone or email; the office does', async () => {
    const { applicationId, organisationId } = await decidedApplication('approved');
    await t.dataSource.query(`UPDATE organisation SET phone = '02131 123456', email = 'kasse@verein.example', bic = 'COBADEFFXXX', bank_name = 'Sparkasse' WHERE id = $1`, [organisationId]);
    const [org] = await t.dataSource.query(`SELECT iban, account_holder FROM organisation WHERE id = $1`, [organisationId]);

    for (const email of [DEMO.voting, DEMO.advisory, DEMO.chair]) {
      const member = t.agent();
      await loginAs(member, email);
      const res = await member.get(`/api/v1/applications/${applicationId}`).expect(200);
      expect(res.body.application.status).toBe('approved');
      expect(res.body.organisation.name).toBeTruthy();
      for (const field of ['iban', 'accountHolder', 'phone', 'email', 'bic', 'bankName']) expect(res.body.organisation).not.toHaveProperty(field);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(org.iban);
      expect(text).not.toContain('02131 123456');
      expect(text).not.toMatch(/machineSnapshot/);
      const page = (await member.get(`/applications/${applicationId}`).expect(200)).text;
      expect(page).not.toContain(org.iban.slice(4, 12));
    }

    const office = t.agent();
    await loginAs(office, DEMO.office);
    const staff = await office.get(`/api/v1/applications/${applicationId}`).expect(200);
    expect(staff.body.organisation.iban).toBe(org.iban);
    expect(staff.body.organisation.accountHolder).toBe(org.account_holder);
    expect(staff.body.application).not.toHaveProperty('machineSnapshot');
  });
});

describe('member rights come from the membership', () => {
  it('an account with member roles but no membership reads no dossier and opens no session', async () => {
    const { applicationId, sessionId } = await decidedApplication('approved');
    await accountWithRoles('nur-rolle@neuss.example', ['voting_member', 'chair']);
    const agent = t.agent();
    const token = await loginAs(agent, 'nur-rolle@neuss.example');
    // without a membership the account holds no member right at all: no dossier, no session
    await agent.get(`/api/v1/applications/${applicationId}`).expect(403);
    await agent.get(`/applications/${applicationId}`).expect(403);
    await agent.get('/api/v1/sessions').expect(404);
    await agent.get(`/api/v1/sessions/${sessionId}`).expect(404);
    await agent.post(`/api/v1/sessions/${sessionId}/open`).set('X-CSRF-Token', token).expect(404);
    await agent.get(`/sessions/${sessionId}`).expect(404);
    await agent.get('/api/v1/round-table/voting-right').expect(403);
    const [row] = await t.dataSource.query(`SELECT status FROM council_session WHERE id = $1`, [sessionId]);
    expect(row.status).toBe('planned');
  });

  it('the chair right needs the chair flag, and a membership whose term has ended gives no right', async () => {
    const { sessionId } = await decidedApplication('approved');
    // a voting member whose account claims the chair as well
    await t.dataSource.query(`UPDATE app_user SET roles = ARRAY['voting_member', 'chair'] WHERE email = $1`, [DEMO.voting]);
    const voting = t.agent();
    const votingToken = await loginAs(voting, DEMO.voting);
    await voting.get(`/api/v1/sessions/${sessionId}`).expect(200);
    await voting.post(`/api/v1/sessions/${sessionId}/open`).set('X-CSRF-Token', votingToken).expect(403);

    // the advisory member's term ended yesterday
    await t.dataSource.query(`UPDATE round_table_member SET term_start = '2020-01-01', term_end = (now() AT TIME ZONE 'Europe/Berlin')::date - 1 WHERE email = $1`, [DEMO.advisory]);
    const advisory = t.agent();
    await loginAs(advisory, DEMO.advisory);
    await advisory.get(`/api/v1/sessions/${sessionId}`).expect(404);
    await advisory.get('/api/v1/round-table/me').expect(403);
  });
});

describe('the formal check is the office\'s', () => {
  it('an administrator cannot decide it or save its checklist (API and pages); the office can', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    const submitted = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(200);
    const admin = t.agent();
    const adminToken = await loginAs(admin, DEMO.admin);
    const decision = { outcome: 'changes_requested', checks: [], message: 'Bitte ergänzen.', replyBy: new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10), version: submitted.body.version };
    await admin.post(`/api/v1/applications/${applicationId}/decision`).set('X-CSRF-Token', adminToken).send(decision).expect(403);
    await admin.post(`/api/v1/applications/${applicationId}/checklist`).set('X-CSRF-Token', adminToken).send({ checks: [], version: submitted.body.version }).expect(403);
    await admin.post(`/office/applications/${applicationId}/decision`).type('form').send({ _csrf: adminToken, ...decision, checks: undefined }).expect(403);
    // the administrator still reads the dossier, without the decision form
    const page = (await admin.get(`/office/applications/${applicationId}`).expect(200)).text;
    expect(page).not.toContain(`action="/office/applications/${applicationId}/decision"`);
    const [row] = await t.dataSource.query(`SELECT status FROM application WHERE id = $1`, [applicationId]);
    expect(row.status).toBe('submitted');

    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    const decided = await office.post(`/api/v1/applications/${applicationId}/decision`).set('X-CSRF-Token', officeToken).send(decision).expect(200);
    expect(decided.body.status).toBe('changes_requested');
    expect(decided.body).not.toHaveProperty('machineSnapshot');
  });
});

describe('one organisation per register entry', () => {
  const organisation = (overrides: Record<string, unknown> = {}) => ({
    name: 'Syrischer Kulturverein Neuss e.V.',
    legalForm: 'ev',
    registerCourt: 'Amtsgericht Neuss',
    registerNumber: 'VR 6001',
    nonProfit: true,
    nonProfitCertificateExpiresOn: '2028-12-31',
    street: 'Markt 2',
    postalCode: '41460',
    city: 'Neuss',
    district: 'Innenstadt',
    iban: 'DE89 3704 0044 0532 0130 00',
    accountHolder: 'Syrischer Kulturverein Neuss e.V.',
    ...overrides,
  });

  it('50 parallel creations with the same name and register number create exactly one; the others get a 409 naming it', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.applicant);
    const results = await Promise.all(Array.from({ length: 50 }, () => agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send(organisation())));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const conflict = results.find((r) => r.status === 409)!;
    expect(conflict.body.existingOrganisation).toEqual({ name: 'Syrischer Kulturverein Neuss e.V.' });
    expect(conflict.body.message).toContain('Syrischer Kulturverein Neuss e.V.');
    const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM organisation WHERE register_number ILIKE 'VR%6001'`);
    expect(row.n).toBe(1);
  });

  it('the same register entry spelled differently, or the same name without a register entry, is the same organisation', async () => {
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.otherApplicant);
    const respelled = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send(organisation({ name: 'Anderer Name e.V.', registerCourt: 'AG  Neuss', registerNumber: 'vr6001' })).expect(409);
    expect(respelled.body.existingOrganisation).toEqual({ name: 'Syrischer Kulturverein Neuss e.V.' });
    const unregistered = { name: 'Nachbarschaftstreff  Weckhoven', legalForm: 'nev', nonProfit: false, registerCourt: undefined, registerNumber: undefined, nonProfitCertificateExpiresOn: undefined };
    await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send(organisation(unregistered)).expect(201);
    await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send(organisation({ ...unregistered, name: 'nachbarschaftstreff weckhoven' })).expect(409);
    // renaming another organisation onto an existing one is refused the same way
    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    const other = await agent.post('/api/v1/organisations').set('X-CSRF-Token', token).send(organisation({ ...unregistered, name: 'Elterncafé Erfttal' })).expect(201);
    const renamed = await office.put(`/api/v1/organisations/${other.body.id}`).set('X-CSRF-Token', officeToken).send(organisation({ ...unregistered, name: 'Nachbarschaftstreff Weckhoven', version: other.body.version })).expect(409);
    expect(renamed.body.existingOrganisation).toEqual({ name: 'Nachbarschaftstreff  Weckhoven', id: expect.any(String) });
  });
});

describe('smaller points', () => {
  it('the CSRF token is accepted in the query string only for multipart uploads', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    // JSON and form posts: header or body only
    await agent.post(`/api/v1/applications/${applicationId}/submit?_csrf=${encodeURIComponent(token)}`).send({}).expect(403);
    await agent.post(`/applications/${applicationId}/withdraw?_csrf=${encodeURIComponent(token)}`).type('form').send({}).expect(403);
    await agent.post(`/api/v1/auth/logout?_csrf=${encodeURIComponent(token)}`).expect(403);
    // an upload may carry it in the query string (its body is read after the check)
    await agent.post(`/api/v1/applications/${applicationId}/attachments?_csrf=${encodeURIComponent(token)}`).field('kind', 'other').attach('file', PDF_FILE, 'x.pdf').expect(201);
  });

  it('signed-in answers are not stored by browsers or proxies; anonymous public pages may be', async () => {
    const agent = t.agent();
    await loginAs(agent, DEMO.applicant);
    for (const path of ['/api/v1/applications', '/applications', '/api/v1/organisations']) {
      const res = await agent.get(path).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const anonymous = await t.agent().get('/api/v1/calls').expect(200);
    expect(anonymous.headers['cache-control']).not.toBe('no-store');
  });

  it('session pages and routes answer 404 to applicants, 403 to members lacking the right', async () => {
    const { sessionId } = await decidedApplication('approved');
    const applicant = t.agent();
    const token = await loginAs(applicant, DEMO.otherApplicant);
    for (const path of ['/sessions', `/sessions/${sessionId}`, `/sessions/${sessionId}/live`, '/office/sessions/new']) await applicant.get(path).expect(404);
    await applicant.post(`/sessions/${sessionId}/open`).type('form').send({ _csrf: token }).expect(404);
    const member = t.agent();
    await loginAs(member, 'stimmberechtigt2@neuss.example');
    await member.get(`/sessions/${sessionId}`).expect(200);
    await member.get(`/sessions/${sessionId}/live`).expect(403);
    const anonymous = t.agent();
    await csrfToken(anonymous);
    await anonymous.get(`/api/v1/sessions/${sessionId}`).expect(401);
  });
});
