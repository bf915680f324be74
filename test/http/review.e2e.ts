import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { ALL_CHECKS, binary, preparedDraft } from '../support/applications.js';
import { checkedPdf, pdfText } from '../support/pdf.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

let t: TestApp;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url } });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});


async function submitted() {
  const prepared = await preparedDraft(t);
  const res = await prepared.agent.post(`/api/v1/applications/${prepared.applicationId}/submit`).set('X-CSRF-Token', prepared.token).expect(200);
  const office = t.agent();
  const officeToken = await loginAs(office, DEMO.office);
  return { ...prepared, submitted: res.body, office, officeToken };
}

describe('the formal check', () => {
  it('two clerks deciding at once: one succeeds, the other gets 409 with the new state', async () => {
    const { applicationId, submitted: application, office, officeToken } = await submitted();
    const second = t.agent();
    const secondToken = await loginAs(second, 'integrationsamt@neuss.example');
    const [a, b] = await Promise.all([
      office.post(`/api/v1/applications/${applicationId}/decision`).set('X-CSRF-Token', officeToken).send({ outcome: 'eligible', checks: ALL_CHECKS, version: application.version }),
      second.post(`/api/v1/applications/${applicationId}/decision`).set('X-CSRF-Token', secondToken).send({ outcome: 'ineligible', reason: 'Kein Bezug zur Integration.', version: application.version }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 200 ? a : b;
    expect(loser.body.status).toBe(winner.body.status);
    expect(loser.body.message).toContain(winner.body.status === 'eligible' ? 'Stand: förderfähig' : 'Stand: nicht förderfähig');
    const [row] = await t.dataSource.query(`SELECT status FROM application WHERE id = $1`, [applicationId]);
    expect(row.status).toBe(winner.body.status);
  });

  it('eligible needs the whole checklist', async () => {
    const { applicationId, submitted: application, office, officeToken } = await submitted();
    const res = await office.post(`/api/v1/applications/${applicationId}/decision`).set('X-CSRF-Token', officeToken)
      .send({ outcome: 'eligible', checks: ['complete'], version: application.version }).expect(422);
    expect(Object.keys(res.body.fields)).toEqual(['checks']);
  });

  it('a change request reaches the applicant, who changes and resubmits; the history shows what changed', async () => {
    const { agent, token, applicationId, submitted: application, office, officeToken } = await submitted();
    const replyBy = new Date(Date.now() + 14 * 86400_000).toISOString().slice(0, 10);
    const requested = await office.post(`/api/v1/applications/${applicationId}/decision`).set('X-CSRF-Token', officeToken)
      .send({ outcome: 'changes_requested', message: 'Bitte die Zielgruppe genauer beschreiben.', replyBy, checks: ['complete'], version: application.version }).expect(200);
    expect(requested.body.status).toBe('changes_requested');
    const mail = await smtp.waitForMail((m) => m.subject === `Bitte ergänzen Sie Ihren Antrag ${application.referenceNumber}`);
    expect(mail.text).toContain('Bitte die Zielgruppe genauer beschreiben.');

    const view = (await agent.get(`/api/v1/applications/${applicationId}`).expect(200)).body.application;
    const keys = ['title', 'fieldOfAction', 'district', 'startDate', 'endDate', 'description', 'goals', 'methods', 'expectedParticipants', 'openness', 'costLines', 'ownFundsCents', 'thirdParty', 'requestedCents', 'declarations', 'version'];
    const body = Object.fromEntries(keys.map((k) => [k, view[k]]));
    await agent.put(`/api/v1/applications/${applicationId}`).set('X-CSRF-Token', token).send({ ...body, targetGroup: 'Familien mit Kindern unter 6 Jahren im Erfttal' }).expect(200);
    const again = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(200);
    expect(again.body.referenceNumber).toBe(application.referenceNumber);
    expect(again.body.submissionCount).toBe(2);
    const versions = (await office.get(`/api/v1/applications/${applicationId}/dossier`).expect(200)).body.versions;
    expect(versions).toEqual([
      expect.objectContaining({ number: 1, changedFields: [] }),
      expect.objectContaining({ number: 2, changedFields: ['targetGroup'] }),
    ]);
  });

  it('ineligible sends a rejection letter that names the reference number, the amount and the reason', async () => {
    const { agent, applicationId, submitted: application, office, officeToken } = await submitted();
    await office.post(`/api/v1/applications/${applicationId}/decision`).set('X-CSRF-Token', officeToken)
      .send({ outcome: 'ineligible', reason: 'Die Maßnahme enthält religiöse Unterweisung.', checks: [], version: application.version }).expect(200);
    const letter = await agent.get(`/applications/${applicationId}/rejection-letter.pdf`).buffer(true).parse(binary).expect(200);
    const text = await pdfText(letter.body as Buffer);
    expect(text).toContain(application.referenceNumber);
    expect(text).toContain('2.800,00 €');
    expect(text).toContain('Die Maßnahme enthält religiöse Unterweisung.');
    const mail = await smtp.waitForMail((m) => m.subject === `Ihr Antrag ${application.referenceNumber} kann nicht gefördert werden`);
    expect(mail.attachments[0].filename).toBe(`Ablehnungsbescheid-${application.referenceNumber}.pdf`);
    await agent.post(`/api/v1/applications/${applicationId}/withdraw`).set('X-CSRF-Token', (await loginAs(agent, DEMO.applicant))).expect(409);
  });

  it('the worklist sums the requested amounts against the budget and exports CSV', async () => {
    const { callId, office } = await submitted();
    const worklist = (await office.get(`/api/v1/calls/${callId}/applications`).expect(200)).body;
    expect(worklist.budgetCents).toBe(3_000_000);
    expect(worklist.rows.length).toBeGreaterThan(0);
    expect(worklist.rows.every((row: { status: string }) => row.status !== 'draft')).toBe(true);
    const counted = worklist.rows.filter((r: { status: string }) => !['withdrawn', 'ineligible'].includes(r.status));
    expect(worklist.requestedTotalCents).toBe(counted.reduce((sum: number, r: { requestedCents: number }) => sum + r.requestedCents, 0));
    const csv = await office.get(`/office/calls/${callId}/applications.csv?status=submitted`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Aktenzeichen;Titel;Organisation;Organisation bestätigt;Handlungsfeld;Status;Beantragt (EUR);Eingereicht am');
    expect(lines.slice(1).every((line) => line.includes(';submitted;2800,00;'))).toBe(true);
    const applicant = t.agent();
    await loginAs(applicant, DEMO.applicant);
    await applicant.get(`/api/v1/calls/${callId}/applications`).expect(403);
  });
});

describe('the worklist export', () => {
  it('the CSV link carries the filter in effect and no empty parameters; the CSV holds the same applications', async () => {
    const { callId, office, submitted: application } = await submitted();
    const page = await office.get(`/office/calls/${callId}/applications`).expect(200);
    expect(page.text).toContain(`href="/office/calls/${callId}/applications.csv"`);
    expect(page.text).not.toContain('undefined');
    const filtered = await office.get(`/office/calls/${callId}/applications?status=submitted&fieldOfAction=`).expect(200);
    const link = /href="(\/office\/calls\/[^"]+\.csv[^"]*)"/.exec(filtered.text)![1].replace(/&amp;/g, '&');
    expect(link).toBe(`/office/calls/${callId}/applications.csv?status=submitted`);
    const csv = await office.get(link).expect(200);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.some((line) => line.startsWith(`${application.referenceNumber};`))).toBe(true);
  });

  it('an empty filter value means no filter; an unknown one is a 422, not an empty list', async () => {
    const { callId, office, submitted: application } = await submitted();
    const all = await office.get(`/office/calls/${callId}/applications.csv?status=&fieldOfAction=`).expect(200);
    expect(all.text).toContain(`${application.referenceNumber};`);
    const unknown = await office.get(`/office/calls/${callId}/applications.csv?status=undefined&fieldOfAction=undefined`).expect(422);
    expect(unknown.text).not.toContain('Aktenzeichen;');
    const api = await office.get(`/api/v1/calls/${callId}/applications.csv?status=undefined&fieldOfAction=Sprachf%C3%B6rderung`).expect(422);
    expect(api.headers['content-type']).toContain('application/json');
    expect(Object.keys(api.body.fields)).toEqual(['status']);
    const field = await office.get(`/api/v1/calls/${callId}/applications?fieldOfAction=Unbekannt`).expect(422);
    expect(Object.keys(field.body.fields)).toEqual(['fieldOfAction']);
    const byField = await office.get(`/api/v1/calls/${callId}/applications?fieldOfAction=Sprachf%C3%B6rderung&status=`).expect(200);
    expect(byField.body.rows.map((row: { id: string }) => row.id)).toContain(application.id);
    expect(byField.body.filter).toEqual({ fieldOfAction: 'Sprachförderung' });
  });
});

describe('the decision form', () => {
  it('says which fields each outcome requires', async () => {
    const { applicationId, office } = await submitted();
    const page = await office.get(`/office/applications/${applicationId}`).expect(200);
    const form = page.text.slice(page.text.indexOf('id="check"'));
    expect(form).not.toContain('(optional)');
    expect(form).toContain('Erforderlich bei „Änderungen erbitten“: was fehlt');
    expect(form).toContain('Erforderlich bei „Änderungen erbitten“: bis wann');
    expect(form).toContain('Erforderlich bei „nicht förderfähig“: die Begründung');
  });

  it('a missing field with no checklist item ticked shows the form again (422) with a message naming the outcome', async () => {
    const { applicationId, submitted: application, office, officeToken } = await submitted();
    const res = await office.post(`/office/applications/${applicationId}/decision`).type('form')
      .send({ _csrf: officeToken, outcome: 'changes_requested', message: 'Bitte den Finanzplan erläutern.', replyBy: '', version: String(application.version) }).expect(422);
    expect(res.text).toContain('Bei „Änderungen erbitten“ ist eine Frist zum erneuten Einreichen erforderlich.');
    expect(res.text).toContain('Bitte den Finanzplan erläutern.</textarea>');
    expect(res.text).toMatch(/id="outcome-changes_requested" name="outcome" value="changes_requested" checked/);
    const reason = await office.post(`/office/applications/${applicationId}/decision`).type('form')
      .send({ _csrf: officeToken, outcome: 'ineligible', checks: 'complete', version: String(application.version) }).expect(422);
    expect(reason.text).toContain('Bei „nicht förderfähig“ ist eine Begründung erforderlich');
    expect(reason.text).toMatch(/id="check-complete" name="checks" value="complete" checked/);
    const api = await office.post(`/api/v1/applications/${applicationId}/decision`).set('X-CSRF-Token', officeToken)
      .send({ outcome: 'changes_requested', version: application.version }).expect(422);
    expect(api.body.fields.message[0]).toContain('Bei „Änderungen erbitten“');
    expect(api.body.fields.replyBy[0]).toContain('Bei „Änderungen erbitten“');
    const [row] = await t.dataSource.query(`SELECT status FROM application WHERE id = $1`, [applicationId]);
    expect(row.status).toBe('submitted');
  });
});

describe('the rejection letter is previewed before it is sent', () => {
  const REASON = 'Das Vorhaben ist eine reine Ferienfreizeit ohne Bezug zur Integration.';

  async function ineligibleJobs(applicationId: string): Promise<number> {
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND data->>'template' = 'application-ineligible' AND data->'context'->>'link' = $1`,
      [`/applications/${applicationId}`],
    );
    return row.n;
  }

  it('"ineligible" leads to a preview that changes nothing; only "Bescheid senden" records it and sends the letter', async () => {
    const { applicationId, submitted: application, office, officeToken } = await submitted();
    const form = { _csrf: officeToken, outcome: 'ineligible', reason: REASON, checks: ['complete', 'organisationConfirmed'], version: String(application.version) };
    const preview = await office.post(`/office/applications/${applicationId}/decision`).type('form').send(form).expect(200);
    expect(preview.text).toContain('Ablehnungsbescheid prüfen');
    expect(preview.text).toContain(REASON);
    expect(preview.text).toContain('formaction="/office/applications/' + applicationId + '/rejection-letter-preview.pdf"');
    expect(preview.text).toMatch(/<button type="submit" name="step" value="send">Bescheid senden<\/button>/);

    const pdf = await office.post(`/office/applications/${applicationId}/rejection-letter-preview.pdf`).type('form')
      .send({ ...form, checks: undefined }).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-disposition']).toContain(`Entwurf-Ablehnungsbescheid-${application.referenceNumber}.pdf`);
    const text = await checkedPdf(pdf.body as Buffer, 'rejection-preview');
    expect(text).toContain('ENTWURF');
    expect(text).toContain('noch nicht verschickt');
    expect(text).toContain(REASON);
    expect(text).toContain(application.referenceNumber);

    const api = await office.post(`/api/v1/applications/${applicationId}/rejection-letter/preview`).set('X-CSRF-Token', officeToken)
      .send({ reason: REASON, version: application.version }).buffer(true).parse(binary).expect(200);
    expect(await pdfText(api.body as Buffer)).toContain('ENTWURF');
    await office.post(`/api/v1/applications/${applicationId}/rejection-letter/preview`).set('X-CSRF-Token', officeToken)
      .send({ reason: '', version: application.version }).expect(422);
    await office.post(`/api/v1/applications/${applicationId}/rejection-letter/preview`).set('X-CSRF-Token', officeToken)
      .send({ reason: REASON, version: application.version + 5 }).expect(409);

    // Going back keeps what was entered.
    const back = await office.post(`/office/applications/${applicationId}/decision`).type('form').send({ ...form, step: 'edit' }).expect(200);
    expect(back.text).toContain(`${REASON}</textarea>`);

    // Nothing was recorded, audited or queued so far.
    const [before] = await t.dataSource.query(`SELECT status, version, ineligible_reason FROM application WHERE id = $1`, [applicationId]);
    expect(before).toEqual({ status: 'submitted', version: application.version, ineligible_reason: null });
    const [audits] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1 AND action = 'application.ineligible'`, [applicationId]);
    expect(audits.n).toBe(0);
    expect(await ineligibleJobs(applicationId)).toBe(0);
    expect(smtp.messages.filter((m) => m.subject === `Ihr Antrag ${application.referenceNumber} kann nicht gefördert werden`)).toHaveLength(0);
    await office.get(`/applications/${applicationId}/rejection-letter.pdf`).expect(404);

    const sent = await office.post(`/office/applications/${applicationId}/decision`).type('form').send({ ...form, step: 'send' }).expect(303);
    expect(sent.headers.location).toBe(`/office/applications/${applicationId}?notice=review.ineligible`);
    const [after] = await t.dataSource.query(`SELECT status, ineligible_reason FROM application WHERE id = $1`, [applicationId]);
    expect(after).toEqual({ status: 'ineligible', ineligible_reason: REASON });
    expect(await ineligibleJobs(applicationId)).toBeGreaterThan(0);
    const mail = await smtp.waitForMail((m) => m.subject === `Ihr Antrag ${application.referenceNumber} kann nicht gefördert werden`);
    const letter = await pdfText(Buffer.from(mail.attachments[0].content as ArrayBuffer));
    expect(letter).toContain(REASON);
    expect(letter).not.toContain('ENTWURF');

    // Once decided, no preview of a new letter.
    await office.post(`/api/v1/applications/${applicationId}/rejection-letter/preview`).set('X-CSRF-Token', officeToken)
      .send({ reason: REASON, version: application.version + 1 }).expect(409);
  });
});

describe('the association hears about its organisation', () => {
  it('confirming an organisation, and sending it back by a change of bank account, mail its accounts (in their language) and contacts', async () => {
    const VALID = {
      name: 'Eritreischer Kulturverein Neuss e.V.', legalForm: 'ev', registerCourt: 'Amtsgericht Neuss', registerNumber: 'VR 5120', nonProfit: true,
      nonProfitCertificateExpiresOn: '2029-06-30', street: 'Krefelder Straße 10', postalCode: '41460', city: 'Neuss', district: 'Innenstadt',
      iban: 'DE89 3704 0044 0532 0130 00', accountHolder: 'Eritreischer Kulturverein Neuss e.V.',
    };
    await t.dataSource.query(`UPDATE app_user SET preferred_language = 'en' WHERE email = $1`, [DEMO.otherApplicant]);
    const applicant = t.agent();
    const token = await loginAs(applicant, DEMO.otherApplicant);
    const created = await applicant.post('/api/v1/organisations').set('X-CSRF-Token', token).send(VALID).expect(201);
    await applicant.post(`/api/v1/organisations/${created.body.id}/contacts`).set('X-CSRF-Token', token)
      .send({ fullName: 'Semhar Tesfay', function: 'Kassenwartin', email: 'kasse@eritrea-verein.example' }).expect(201);

    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    await office.post(`/organisations/${created.body.id}/confirm`).type('form').send({ _csrf: officeToken }).expect(303);
    const english = await smtp.waitForMail((m) => m.subject === `Your organisation "${VALID.name}" is confirmed`);
    expect(english.to?.[0].address).toBe(DEMO.otherApplicant);
    expect(english.text).toContain(`/organisations/${created.body.id}`);
    const german = await smtp.waitForMail((m) => m.subject === `Ihre Organisation „${VALID.name}" ist bestätigt`);
    expect(german.to?.[0].address).toBe('kasse@eritrea-verein.example');
    expect(german.text).toContain('Guten Tag Semhar Tesfay');

    const [org] = (await applicant.get('/api/v1/organisations').expect(200)).body.filter((o: { id: string }) => o.id === created.body.id);
    const changed = await applicant.put(`/api/v1/organisations/${org.id}`).set('X-CSRF-Token', token)
      .send({ ...VALID, iban: 'DE02120300000000202051', version: org.version }).expect(200);
    expect(changed.body.status).toBe('pending');
    const again = await smtp.waitForMail((m) => m.subject === `Ihre Organisation „${VALID.name}" wird erneut geprüft`);
    expect(again.to?.[0].address).toBe('kasse@eritrea-verein.example');
    await smtp.waitForMail((m) => m.subject === `Your organisation "${VALID.name}" is being checked again` && m.to?.[0].address === DEMO.otherApplicant);
    const toAccount = smtp.messages.filter((m) => m.to?.[0].address === DEMO.otherApplicant && m.subject?.includes(VALID.name));
    expect(toAccount.map((m) => m.subject)).toHaveLength(2);
  });
});

