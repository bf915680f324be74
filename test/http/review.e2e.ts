import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary, preparedDraft } from '../support/applications.js';
import { pdfText } from '../support/pdf.js';
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

const ALL_CHECKS = ['complete', 'organisationConfirmed', 'certificateValid', 'fieldOfActionMatches', 'declarationsMade', 'financePlanConsistent', 'attachmentsPresent'];

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
