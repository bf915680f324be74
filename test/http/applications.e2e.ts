import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary, PDF_FILE, preparedDraft } from '../support/applications.js';
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


describe('submitting an application', () => {
  it('gives a reference number, keeps the version and mails a PDF receipt of what was submitted', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    const submitted = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(200);
    expect(submitted.body.status).toBe('submitted');
    expect(submitted.body.referenceNumber).toMatch(/^NE-\d{4}-\d{4}$/);

    const receipt = await agent.get(`/api/v1/applications/${applicationId}/versions/1/receipt.pdf`).buffer(true).parse(binary).expect(200);
    const text = await pdfText(receipt.body as Buffer);
    expect(text).toContain(submitted.body.referenceNumber);
    expect(text).toContain('2.800,00 €');
    expect(text).toContain('3.500,00 €');
    expect(text).toContain('Kursleitung 40 Stunden');

    const mails = await smtp.waitFor(1);
    const mail = mails.find((m) => m.subject?.includes(submitted.body.referenceNumber))!;
    expect(mail.to?.[0].address).toBe(DEMO.applicant);
    const [attachment] = mail.attachments;
    expect(attachment.mimeType).toBe('application/pdf');
    expect(await pdfText(Buffer.from(attachment.content as ArrayBuffer))).toContain(submitted.body.referenceNumber);

    // a submitted application can no longer be edited
    const edit = await agent.put(`/api/v1/applications/${applicationId}`).set('X-CSRF-Token', token).send({ title: 'Geändert', version: submitted.body.version }).expect(409);
    expect(edit.body.status).toBe('submitted');
  });

  it('submitting twice at once gives one submission and one reference number', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    const results = await Promise.all([1, 2, 3].map(() => agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(results.map((r) => r.body.referenceNumber)).size).toBe(1);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM application_version WHERE application_id = $1`, [applicationId]);
    expect(n).toBe(1);
  });

  it('refuses a late submission with a clear message and changes nothing', async () => {
    const { agent, token, applicationId, callId } = await preparedDraft(t);
    await t.dataSource.query(`UPDATE funding_call SET submission_deadline = now() - interval '1 second' WHERE id = $1`, [callId]);
    try {
      const res = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(409);
      expect(res.body.message).toContain('Abgabeschluss');
      expect(res.body.status).toBe('draft');
      const [row] = await t.dataSource.query(`SELECT status, reference_number, submission_count FROM application WHERE id = $1`, [applicationId]);
      expect(row).toEqual({ status: 'draft', reference_number: null, submission_count: 0 });
    } finally {
      await t.dataSource.query(`UPDATE funding_call SET submission_deadline = now() + interval '60 days' WHERE id = $1`, [callId]);
    }
  });

  it('names every broken rule: cap, balance, period, field of action', async () => {
    const { agent, token, applicationId, call } = await preparedDraft(t, {
      fieldOfAction: 'Kochen',
      requestedCents: 600_000,
      costLines: [{ category: 'Honorare', description: 'x', amountCents: 700_000 }],
      ownFundsCents: 70_000,
      thirdParty: [],
    });
    const overCap = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(422);
    expect(Object.keys(overCap.body.fields).sort()).toEqual(['fieldOfAction', 'requestedCents']);
    expect(overCap.body.fields.requestedCents[0]).toContain('Finanzierungsplan geht nicht auf');

    const view = (await agent.get(`/api/v1/applications/${applicationId}`).expect(200)).body.application;
    const reversed = await agent.put(`/api/v1/applications/${applicationId}`).set('X-CSRF-Token', token)
      .send({ ...pick(view), startDate: call.fundingPeriodEnd, endDate: call.fundingPeriodStart })
      .expect(422);
    expect(reversed.body.fields).toEqual({ endDate: [expect.stringContaining('Ende')] });
    await agent.put(`/api/v1/applications/${applicationId}`).set('X-CSRF-Token', token)
      .send({ ...pick(view), fieldOfAction: 'Sprachförderung', requestedCents: 630_000 })
      .expect(200);
    const res = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(422);
    expect(res.body.fields).toEqual({ requestedCents: [expect.stringContaining('Höchstbetrag')] });
  });

  it('refuses negative amounts when saving, naming the fields', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    const view = (await agent.get(`/api/v1/applications/${applicationId}`).expect(200)).body.application;
    const res = await agent.put(`/api/v1/applications/${applicationId}`).set('X-CSRF-Token', token)
      .send({ ...pick(view), ownFundsCents: -100, costLines: [{ category: 'Honorare', description: 'x', amountCents: -5 }] })
      .expect(422);
    expect(Object.keys(res.body.fields).sort()).toEqual(['costLines.0.amountCents', 'ownFundsCents']);
  });
});

// The submission's own statements are counted in submit-statements.e2e.ts.
describe('the receipt mail of a submission', () => {
  it('is made from one query', async () => {
    // The first submission of the year may create its number sequence: not part of the count.
    const first = await preparedDraft(t);
    await first.agent.post(`/api/v1/applications/${first.applicationId}/submit`).set('X-CSRF-Token', first.token).expect(200);
    await smtp.waitForMail((mail) => mail.text?.includes(`/applications/${first.applicationId}`) ?? false);

    const { agent, token, applicationId } = await preparedDraft(t);
    const statements: string[] = [];
    const counter = { beforeQuery: (event: { query: string }) => void statements.push(event.query) };
    t.dataSource.subscribers.push(counter as never);
    try {
      const submitted = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(200);
      statements.splice(0);

      const mail = await smtp.waitForMail((m) => m.subject?.includes(submitted.body.referenceNumber) ?? false);
      expect(mail.attachments).toHaveLength(1);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/FROM application_version/);
    } finally {
      t.dataSource.subscribers.splice(t.dataSource.subscribers.indexOf(counter as never), 1);
    }
  });
});

describe('attachments', () => {
  it('refuses a file whose content is not PDF, JPEG or PNG (422), whatever its name', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    const res = await agent.post(`/api/v1/applications/${applicationId}/attachments`).set('X-CSRF-Token', token)
      .field('kind', 'other').attach('file', Buffer.from('MZ\x90\x00 not a pdf'), 'satzung.pdf').expect(422);
    expect(Object.keys(res.body.fields)).toEqual(['file']);
  });

  it('refuses a file over 10 MB with 413', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    const big = Buffer.concat([PDF_FILE, Buffer.alloc(10 * 1024 * 1024 + 1)]);
    await agent.post(`/api/v1/applications/${applicationId}/attachments`).set('X-CSRF-Token', token).field('kind', 'other').attach('file', big, 'gross.pdf').expect(413);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM attachment WHERE application_id = $1 AND filename = 'gross.pdf'`, [applicationId]);
    expect(n).toBe(0);
  });

  it('stores the file with its SHA-256 and serves it only to those who may see the application', async () => {
    const { agent, applicationId } = await preparedDraft(t);
    const view = (await agent.get(`/api/v1/applications/${applicationId}`).expect(200)).body;
    const [attachment] = view.attachments;
    expect(attachment.sha256).toMatch(/^[0-9a-f]{64}$/);
    const file = await agent.get(`/api/v1/applications/${applicationId}/attachments/${attachment.id}`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(file.body as Buffer, PDF_FILE)).toBe(0);

    const other = t.agent();
    await loginAs(other, DEMO.otherApplicant);
    await other.get(`/api/v1/applications/${applicationId}/attachments/${attachment.id}`).expect(404);
    await other.get(`/api/v1/applications/${applicationId}`).expect(404);
    await other.get(`/applications/${applicationId}`).expect(404);
    const member = t.agent();
    await loginAs(member, DEMO.voting);
    await member.get(`/api/v1/applications/${applicationId}`).expect(404);
    const office = t.agent();
    await loginAs(office, DEMO.office);
    await office.get(`/api/v1/applications/${applicationId}/attachments/${attachment.id}`).expect(200);
  });
});

describe('another organisation', () => {
  it("cannot read, change, submit or withdraw the application (404)", async () => {
    const { applicationId } = await preparedDraft(t);
    const other = t.agent();
    const token = await loginAs(other, DEMO.otherApplicant);
    await other.put(`/api/v1/applications/${applicationId}`).set('X-CSRF-Token', token).send({ title: 'x', version: 1 }).expect(404);
    await other.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(404);
    await other.post(`/api/v1/applications/${applicationId}/withdraw`).set('X-CSRF-Token', token).expect(404);
    const mine = (await other.get('/api/v1/applications').expect(200)).body;
    expect(mine.map((a: { id: string }) => a.id)).not.toContain(applicationId);
  });
});

/** The content fields of an application as the API returns them, ready to send back. */
function pick(view: Record<string, unknown>) {
  const keys = ['title', 'fieldOfAction', 'targetGroup', 'district', 'startDate', 'endDate', 'description', 'goals', 'methods', 'expectedParticipants', 'openness', 'costLines', 'ownFundsCents', 'thirdParty', 'requestedCents', 'declarations', 'version'];
  return Object.fromEntries(keys.filter((k) => k in view).map((k) => [k, view[k]]));
}
