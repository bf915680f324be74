import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { unzipSync } from 'fflate';
import type request from 'supertest';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary } from '../support/applications.js';
import { closeReportWithRepayment } from '../support/claims.js';
import { checkedPdf, pdfText } from '../support/pdf.js';

/**
 * The access report (Art. 15 DSGVO): an organisation's grant taken through the real API up to a
 * released repayment claim, with participant lists and a visit with photo and notes; the archive is
 * unzipped and read back.
 */

type Agent = ReturnType<typeof request.agent>;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-beispiel')]);
const ALL_YES = { activity_as_described: 'yes', target_group_reached: 'yes', open_to_everyone: 'yes', participants_present: 'partly', publicity_names_city: 'not_assessed' };

let t: TestApp;
const agents = {} as Record<'office' | 'admin' | 'applicant' | 'other' | 'voting', { agent: Agent; token: string }>;
let organisationId: string;
/** The report and visit this test made; the demo year gives the organisation records of its own too. */
let ownReportId: string;
let ownVisitId: string;
let other: { id: string; name: string; iban: string };

async function archive(agent: Agent, url: string): Promise<Record<string, Uint8Array>> {
  const res = await agent.get(url).buffer(true).parse(binary).expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/zip/);
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?Auskunft-Art15-[A-Za-z0-9._-]+\.zip"?$/);
  return unzipSync(new Uint8Array(res.body as Buffer));
}

const json = (files: Record<string, Uint8Array>) => JSON.parse(Buffer.from(files['organisation.json']).toString('utf8'));

beforeAll(async () => {
  t = await startTestApp();
  for (const [name, email] of [['office', DEMO.office], ['admin', DEMO.admin], ['applicant', DEMO.applicant], ['other', DEMO.otherApplicant], ['voting', DEMO.voting]] as const) {
    const agent = t.agent();
    agents[name] = { agent, token: await loginAs(agent, email) };
  }
  await t.dataSource.query(`UPDATE funding_call SET participant_lists_required = true`);
  const closed = await closeReportWithRepayment(t);
  await closed.second.put(`/api/v1/reports/${closed.reportId}/claim`).set('X-CSRF-Token', closed.secondToken).send({}).expect(200);
  await closed.office.post(`/api/v1/reports/${closed.reportId}/claim/release`).set('X-CSRF-Token', closed.officeToken).expect(200);
  // The claim's letter is made after the release, off the request.
  await eventually(async () => (await t.dataSource.query(`SELECT 1 FROM repayment_claim_letter l JOIN repayment_claim c ON c.id = l.claim_id WHERE c.report_id = $1`, [closed.reportId])).length === 1, 20_000, 'claim letter stored');
  const visit = (await closed.office.post(`/api/v1/decisions/${closed.award.id}/visits`).set('X-CSRF-Token', closed.officeToken)
    .send({ visitOn: berlinDay(new Date()), staff: 'Jonas Becker' }).expect(201)).body;
  await closed.office.post(`/api/v1/visits/${visit.id}/photos`).set('X-CSRF-Token', closed.officeToken).attach('file', PNG, 'Besuch.png').expect(201);
  await closed.office.post(`/api/v1/visits/${visit.id}/protocol`).set('X-CSRF-Token', closed.officeToken)
    .send({ visitOn: berlinDay(new Date()), checklist: ALL_YES, notes: 'Interne Notiz des Amts.' }).expect(200);
  ownReportId = closed.reportId;
  ownVisitId = visit.id;
  [{ organisation_id: organisationId }] = await t.dataSource.query(`SELECT organisation_id FROM usage_report WHERE id = $1`, [closed.reportId]);
  [other] = await t.dataSource.query(
    `SELECT o.id, o.name, o.iban FROM organisation o JOIN organisation_user ou ON ou.organisation_id = o.id JOIN app_user u ON u.id = ou.user_id WHERE u.email = $1 LIMIT 1`,
    [DEMO.otherApplicant],
  );
  expect(other.id).not.toBe(organisationId);
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe('access report (Art. 15 DSGVO)', () => {
  it("holds the organisation's records and documents, and nothing of another organisation", async () => {
    const files = await archive(agents.office.agent, `/api/v1/organisations/${organisationId}/access-report`);
    const document = json(files);
    const organisation = (await t.dataSource.query(`SELECT name, iban, account_holder FROM organisation WHERE id = $1`, [organisationId]))[0];
    expect(document.legalBasis).toBe('Art. 15 DSGVO');
    expect(document.organisation).toMatchObject({ id: organisationId, name: organisation.name, iban: organisation.iban, account_holder: organisation.account_holder });
    expect(document.contacts.length).toBeGreaterThan(0);
    const account = document.accounts.find((a: { email: string }) => a.email === DEMO.applicant);
    expect(account).toMatchObject({ roles: ['applicant'], language: 'de', status: 'active' });
    expect(account.lastLoginAt).not.toBeNull();
    expect(JSON.stringify(document)).not.toMatch(/password|\$argon2/);

    const applications = await t.dataSource.query(`SELECT id FROM application WHERE organisation_id = $1`, [organisationId]);
    expect(document.applications.map((a: { id: string }) => a.id).sort()).toEqual(applications.map((a: { id: string }) => a.id).sort());
    const submitted = document.applications.filter((a: { versions: unknown[] }) => a.versions.length > 0);
    expect(submitted.length).toBeGreaterThan(0);
    expect(submitted[0].versions[0]).toMatchObject({ number: 1 });
    expect(submitted[0].versions[0].snapshot.title).toBeTruthy();
    expect(document.decisions.some((d: { kind: string; letter: unknown }) => d.kind === 'award' && d.letter)).toBe(true);
    expect(document.paymentRequests.length).toBeGreaterThan(0);
    const report = document.usageReports.find((r: { id: string }) => r.id === ownReportId);
    expect(report.status).toBe('settled_with_claim');
    expect(report.receipts).toHaveLength(2);
    expect(report.participantLists).toHaveLength(1);
    expect(report.participants_total).toBe(42);
    const claim = document.repaymentClaims.find((c: { report_id: string }) => c.report_id === ownReportId);
    expect(claim).toMatchObject({ status: 'released' });
    expect(claim.letter.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Visits: day, state, checklist and photos; the office's own notes stay out.
    const visit = document.visits.find((v: { id: string }) => v.id === ownVisitId);
    expect(visit).toMatchObject({ status: 'done', checklist: ALL_YES });
    expect(visit.photos).toHaveLength(1);
    expect(JSON.stringify(document)).not.toContain('Interne Notiz des Amts.');
    const actions = new Set(document.auditEvents.map((e: { action: string }) => e.action));
    for (const action of ['auth.login', 'application.submitted', 'decision.released', 'payment.requested', 'usage_report.closed', 'repayment_claim.released', 'visit.recorded']) {
      expect(actions).toContain(action);
    }

    // Nothing of another organisation.
    const text = Buffer.from(files['organisation.json']).toString('utf8');
    expect(text).not.toContain(other.id);
    expect(text).not.toContain(other.name);
    expect(text).not.toContain(other.iban);

    // The documents: letters as stored, receipts rendered from the submitted versions, files as uploaded.
    const names = Object.keys(files).sort();
    expect(document.files).toEqual(names.filter((name) => name !== 'organisation.json'));
    const decisionLetters = names.filter((name) => name.startsWith('letters/decisions/'));
    const claimLetters = names.filter((name) => name.startsWith('letters/repayment-claims/'));
    const receipts = names.filter((name) => name.startsWith('receipts/'));
    expect(decisionLetters.length).toBeGreaterThan(0);
    const [{ count: claimLetterCount }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM repayment_claim_letter l JOIN repayment_claim c ON c.id = l.claim_id JOIN usage_report r ON r.id = c.report_id WHERE r.organisation_id = $1`, [organisationId]);
    expect(claimLetters).toHaveLength(claimLetterCount);
    expect(receipts.length).toBe(submitted.reduce((sum: number, a: { versions: unknown[] }) => sum + a.versions.length, 0));
    const [storedLetter] = await t.dataSource.query(
      `SELECT l.content FROM repayment_claim_letter l JOIN repayment_claim c ON c.id = l.claim_id WHERE c.report_id = $1`, [ownReportId]);
    const ownLetter = claimLetters.find((name) => Buffer.from(files[name]).equals(storedLetter.content));
    expect(ownLetter).toBeDefined();
    expect(await pdfText(Buffer.from(files[ownLetter!]))).toMatch(/Rückforderung|Erstattung/i);
    expect(await pdfText(Buffer.from(files[decisionLetters[0]]))).toMatch(/Zuwendungsbescheid|Bescheid/);
    const receiptText = await checkedPdf(Buffer.from(files[receipts[0]]), 'access-report-receipt');
    expect(receiptText).toContain(submitted[0].versions[0].snapshot.title.split(' ')[0]);
    const storedLists: { content: Buffer }[] = await t.dataSource.query(`SELECT f.content FROM report_file f JOIN usage_report r ON r.id = f.report_id WHERE r.organisation_id = $1`, [organisationId]);
    const lists = names.filter((name) => name.startsWith('participant-lists/'));
    expect(lists).toHaveLength(storedLists.length);
    for (const list of storedLists) expect(lists.some((name) => Buffer.from(files[name]).equals(list.content))).toBe(true);
    expect(names.filter((name) => name.startsWith('attachments/')).length).toBeGreaterThan(0);
    const photos = names.filter((name) => name.startsWith('visit-photos/'));
    const [{ count: photoCount }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM site_visit_photo p JOIN site_visit v ON v.id = p.visit_id JOIN decision d ON d.id = v.decision_id JOIN application a ON a.id = d.application_id WHERE a.organisation_id = $1`, [organisationId]);
    expect(photos).toHaveLength(photoCount);
    expect(photos.some((name) => Buffer.from(files[name]).equals(PNG))).toBe(true);

    const [audit] = await t.dataSource.query(
      `SELECT e.actor_id, e.after FROM audit_event e JOIN app_user u ON u.id = e.actor_id WHERE e.action = 'organisation.access_report_exported' AND e.entity_id = $1 AND u.email = $2`,
      [organisationId, DEMO.office],
    );
    expect(audit.after.files).toBe(names.length);
  });

  it('is downloaded from the office organisation page, and refused to members and other organisations', async () => {
    const page = (await agents.office.agent.get(`/organisations/${organisationId}`).expect(200)).text;
    expect(page).toContain(`href="/office/organisations/${organisationId}/access-report.zip"`);
    const files = await archive(agents.admin.agent, `/office/organisations/${organisationId}/access-report.zip`);
    expect(json(files).organisation.id).toBe(organisationId);
    expect(await t.dataSource.query(`SELECT 1 FROM audit_event e JOIN app_user u ON u.id = e.actor_id WHERE e.action = 'organisation.access_report_exported' AND u.email = $1`, [DEMO.admin])).toHaveLength(1);

    // The organisation's own applicant may ask for it (Art. 15), not for another organisation's.
    expect(json(await archive(agents.applicant.agent, `/api/v1/organisations/${organisationId}/access-report`)).organisation.id).toBe(organisationId);
    await agents.other.agent.get(`/api/v1/organisations/${organisationId}/access-report`).expect(404);
    await agents.applicant.agent.get(`/api/v1/organisations/${other.id}/access-report`).expect(404);
    await agents.applicant.agent.get(`/office/organisations/${organisationId}/access-report.zip`).expect(403);
    await agents.voting.agent.get(`/api/v1/organisations/${organisationId}/access-report`).expect(403);
    await agents.voting.agent.get(`/office/organisations/${organisationId}/access-report.zip`).expect(403);
    await t.agent().get(`/api/v1/organisations/${organisationId}/access-report`).expect(401);
    await agents.office.agent.get(`/api/v1/organisations/00000000-0000-0000-0000-000000000000/access-report`).expect(404);
    await agents.office.agent.get(`/api/v1/organisations/not-a-uuid/access-report`).expect(404);
  });
});
