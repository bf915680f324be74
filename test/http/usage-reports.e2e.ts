import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary, PDF_FILE } from '../support/applications.js';
import { decisions } from '../support/awards.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { COMPLETE_REPORT, PLAN_RECEIPTS, reportOfAward, settledReport } from '../support/reports.js';

let t: TestApp;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, BASE_URL: 'http://foerdertisch.test' } });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});
// Tests that ask for participant lists set it on the demo call; the next one starts without.
afterEach(async () => {
  await t.dataSource.query(`UPDATE funding_call SET participant_breakdown = '{}', participant_lists_required = false`);
});

const HEADER = 'Belegdatum;Empfänger;Zweck;Betrag (EUR);Kostenposition;Bezahlt am';

/** A form body in the bracket notation browsers send for nested fields (`lines[0][key]=1`). */
function formBody(value: unknown, prefix = '', pairs: [string, string][] = []): string {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) formBody(inner, prefix ? `${prefix}[${key}]` : key, pairs);
  } else pairs.push([prefix, String(value ?? '')]);
  return new URLSearchParams(pairs).toString();
}

function csvFile(lines: string[]): Buffer {
  return Buffer.from(`\uFEFF${[HEADER, ...lines].join('\r\n')}\r\n`, 'utf8');
}

describe('usage reports', () => {
  it('from the draft through the office check and a clarification to the final settlement', async () => {
    const fixture = await reportOfAward(t, { paidCents: 100_000 });
    const { applicant, applicantToken, office, officeToken, second, secondToken, reportId, callId, award } = fixture;
    const url = `/api/v1/usage-reports/${reportId}`;
    await t.dataSource.query(`UPDATE funding_call SET participant_breakdown = '{Frauen,Männer}', participant_lists_required = true WHERE id = $1`, [callId]);

    // The grantee sees the approved plan beside empty figures, and what is still missing.
    const draft = (await applicant.get(url).expect(200)).body;
    expect(draft).toMatchObject({ status: 'due', editable: true, award: { amountCents: award.amountCents } });
    expect(draft.lines.map((line: { key: string; plannedCents: number; actualCents: null }) => [line.key, line.plannedCents, line.actualCents])).toEqual([['1', 300_000, null], ['2', 50_000, null]]);
    expect(draft.call).toMatchObject({ participantBreakdown: ['Frauen', 'Männer'], participantListsRequired: true });
    const codes = (report: { problems: { code: string }[] }) => [...new Set(report.problems.map((problem) => problem.code))].sort();
    expect(codes(draft)).toEqual(['figureMissing', 'participantListsMissing', 'participantsMissing', 'textMissing']);

    // Bad amounts are named at their fields and change nothing.
    for (const [body, field] of [
      [{ ownFundsCents: -1 }, 'ownFundsCents'], [{ thirdPartyCents: 12.5 }, 'thirdPartyCents'], [{ otherIncomeCents: 'viel' }, 'otherIncomeCents'],
      [{ lines: [{ key: '1', actualCents: -5 }] }, 'lines.0.actualCents'], [{ lines: [{ key: '9', actualCents: 5 }] }, 'lines.0.key'],
      [{ participantGroups: [{ label: 'Kurs', count: 3, breakdown: { Kinder: 1 } }] }, 'participantGroups.0.breakdown'],
    ] as const) {
      const res = await applicant.put(url).set('X-CSRF-Token', applicantToken).send({ version: draft.version, ...body }).expect(422);
      expect(Object.keys(res.body.fields)).toEqual([field]);
    }
    const badReceipt = await applicant.put(`${url}/receipts`).set('X-CSRF-Token', applicantToken)
      .send({ version: draft.version, receipts: [{ ...PLAN_RECEIPTS[0], amountCents: 10.5 }, { ...PLAN_RECEIPTS[1], costLine: 3 }] }).expect(422);
    expect(Object.keys(badReceipt.body.fields).sort()).toEqual(['receipts.0.amountCents']);
    for (const amountCents of [-1, 'zehn']) {
      const res = await applicant.put(`${url}/receipts`).set('X-CSRF-Token', applicantToken).send({ version: draft.version, receipts: [PLAN_RECEIPTS[0], { ...PLAN_RECEIPTS[1], amountCents }] }).expect(422);
      expect(Object.keys(res.body.fields)).toEqual(['receipts.1.amountCents']);
    }
    const unknownLine = await applicant.put(`${url}/receipts`).set('X-CSRF-Token', applicantToken).send({ version: draft.version, receipts: [{ ...PLAN_RECEIPTS[1], costLine: 3 }] }).expect(422);
    expect(Object.keys(unknownLine.body.fields)).toEqual(['receipts.0.costLine']);
    expect((await applicant.get(url).expect(200)).body.version).toBe(draft.version);

    // A draft save answers the checks as they stand.
    const partial = (await applicant.put(url).set('X-CSRF-Token', applicantToken).send({
      version: draft.version, ...COMPLETE_REPORT, lines: [{ key: '1', actualCents: 390_000 }, { key: '2', actualCents: 50_000 }],
      participantGroups: [{ label: 'Sprachcafé', count: 42, breakdown: { Frauen: 30, Männer: 12 } }],
    }).expect(200)).body;
    expect(partial.version).toBe(draft.version + 1);
    expect(partial.participantGroups).toEqual([{ label: 'Sprachcafé', count: 42, breakdown: { Frauen: 30, Männer: 12 } }]);
    expect(codes(partial)).toEqual(['lineOverDeviation', 'lineOverNotCovered', 'participantListsMissing', 'receiptsMismatch', 'totalOverApproved']);
    // Two saves on the same version at once: one wins, the other is told; nothing is lost unseen.
    const racing = await Promise.all([1, 2].map((n) => applicant.put(url).set('X-CSRF-Token', applicantToken).send({ version: partial.version, otherIncomeCents: n })));
    expect(racing.map((res) => res.status).sort()).toEqual([200, 409]);
    const winner = racing.find((res) => res.status === 200)!.body;
    expect((await applicant.get(url).expect(200)).body).toMatchObject({ version: partial.version + 1, otherIncomeCents: winner.otherIncomeCents });
    await applicant.put(url).set('X-CSRF-Token', applicantToken).send({ version: winner.version, otherIncomeCents: 0 }).expect(200);
    // A stale version is refused and changes nothing.
    const stale = await applicant.put(url).set('X-CSRF-Token', applicantToken).send({ version: draft.version, ownFundsCents: 1 }).expect(409);
    expect(stale.body).toMatchObject({ status: 'due', currentVersion: partial.version + 2 });

    // The CSV template, and an import that is all or nothing.
    const template = await applicant.get('/api/v1/usage-reports/receipt-template.csv').buffer(true).parse(binary).expect(200);
    expect(template.headers['content-type']).toContain('text/csv');
    expect((template.body as Buffer).toString('utf8')).toContain(HEADER);
    const malformed = await applicant.post(`${url}/receipts.csv`).set('X-CSRF-Token', applicantToken)
      .attach('file', csvFile(['01.03.2027;Kursleitung;Honorar;2.000,00;1;05.03.2027', '01.06.2027;Kursleitung;Honorar;zehn;1;03.06.2027', '10.04.2027;Müller;Material;500,00;7;31.02.2027']), 'belege.csv').expect(422);
    expect(malformed.body.problems).toEqual([
      { line: 3, column: 'Betrag (EUR)', code: 'amount' },
      { line: 4, column: 'Bezahlt am', code: 'date' },
      { line: 4, column: 'Kostenposition', code: 'costLine' },
    ]);
    expect(malformed.body.fields.file.join(' ')).toMatch(/Zeile 3.*Betrag \(EUR\)/);
    expect((await applicant.get(url).expect(200)).body.receipts).toEqual([]);
    const imported = (await applicant.post(`${url}/receipts.csv`).set('X-CSRF-Token', applicantToken)
      .attach('file', csvFile(['01.03.2027;Kursleitung Ayşe Yılmaz;Honorar März bis Mai;2.000,00;1;05.03.2027', '01.06.2027;Kursleitung Ayşe Yılmaz;Honorar Juni;1.000,00;1;03.06.2027', '10.04.2027;Schreibwaren Müller;Material;500,00;2;12.04.2027']), 'belege.csv').expect(200)).body;
    expect(imported.receipts.map((r: { position: number; amountCents: number; costLine: number; date: string }) => [r.position, r.amountCents, r.costLine, r.date]))
      .toEqual([[1, 200_000, 1, '2027-03-01'], [2, 100_000, 1, '2027-06-01'], [3, 50_000, 2, '2027-04-10']]);

    // Submission is refused while problems remain, with the list of them.
    const refused = await applicant.post(`${url}/submit`).set('X-CSRF-Token', applicantToken).expect(422);
    expect(refused.body.problems.map((p: { code: string }) => p.code).sort()).toEqual(['lineOverDeviation', 'lineOverNotCovered', 'participantListsMissing', 'receiptsMismatch', 'totalOverApproved']);
    expect(Object.keys(refused.body.fields)).toEqual(expect.arrayContaining(['lines.0.actualCents', 'files']));
    const fixed = (await applicant.put(url).set('X-CSRF-Token', applicantToken).send({ version: imported.version, lines: COMPLETE_REPORT.lines }).expect(200)).body;
    expect(codes(fixed)).toEqual(['participantListsMissing']);

    // Participant lists: uploaded by the grantee, downloaded by the office only.
    const list = (await applicant.post(`${url}/files`).set('X-CSRF-Token', applicantToken).attach('file', PDF_FILE, 'Teilnehmerliste März.pdf').expect(201)).body;
    expect(list).toMatchObject({ filename: 'Teilnehmerliste März.pdf', contentType: 'application/pdf' });
    const extra = (await applicant.post(`${url}/files`).set('X-CSRF-Token', applicantToken).attach('file', PDF_FILE, 'doppelt.pdf').expect(201)).body;
    await applicant.delete(`${url}/files/${extra.id}`).set('X-CSRF-Token', applicantToken).expect(204);
    await applicant.get(`${url}/files/${list.id}`).expect(403);
    const download = await office.get(`${url}/files/${list.id}`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(download.body as Buffer, PDF_FILE)).toBe(0);

    // Another organisation sees nothing of it; round-table members have no access.
    const other = t.agent();
    const otherToken = await loginAs(other, DEMO.otherApplicant);
    await other.get(url).expect(404);
    await other.put(url).set('X-CSRF-Token', otherToken).send({ version: 1 }).expect(404);
    await other.post(`${url}/submit`).set('X-CSRF-Token', otherToken).expect(404);
    const member = t.agent();
    await loginAs(member, DEMO.voting);
    await member.get(url).expect(403);
    await member.get('/api/v1/usage-reports').expect(403);

    const submitted = (await applicant.post(`${url}/submit`).set('X-CSRF-Token', applicantToken).expect(200)).body;
    expect(submitted).toMatchObject({ status: 'submitted', editable: false, submissionCount: 1, problems: [] });
    const late = await applicant.put(url).set('X-CSRF-Token', applicantToken).send({ version: submitted.version, ownFundsCents: 1 }).expect(409);
    expect(late.body.status).toBe('submitted');

    // The office's worklist, filtered, and its CSV.
    const listed = (await office.get(`/api/v1/usage-reports?callId=${callId}&status=submitted`).expect(200)).body;
    expect(listed).toMatchObject({ total: 1, page: 1, pageSize: 50, pages: 1 });
    expect(listed.rows.map((row: { id: string }) => row.id)).toEqual([reportId]);
    expect((await office.get(`/api/v1/usage-reports?callId=${callId}&status=due`).expect(200)).body).toMatchObject({ rows: [], total: 0 });
    expect(Object.keys((await office.get('/api/v1/usage-reports?status=unbekannt&page=0').expect(422)).body.fields).sort()).toEqual(['page', 'status']);
    const csv = await office.get(`/api/v1/usage-reports.csv?callId=${callId}&status=submitted`).buffer(true).parse(binary).expect(200);
    const csvText = (csv.body as Buffer).toString('utf8');
    expect(csvText.startsWith('\uFEFFAktenzeichen;Projekt;Träger')).toBe(true);
    expect(csvText.trim().split('\r\n')).toHaveLength(2);
    expect(csvText).toContain(';eingereicht;nein;');

    // Check, a clarification, and the grantee's answer.
    await office.post(`${url}/close`).set('X-CSRF-Token', officeToken).expect(409);
    const inCheck = (await office.post(`${url}/start-check`).set('X-CSRF-Token', officeToken).expect(200)).body;
    expect(inCheck.status).toBe('in_check');
    const question = 'Bitte erläutern Sie die Teilnehmendenzahl der Gruppe Sprachcafé.';
    await office.post(`${url}/clarification`).set('X-CSRF-Token', officeToken).send({ message: '' }).expect(422);
    expect((await office.post(`${url}/clarification`).set('X-CSRF-Token', officeToken).send({ message: question }).expect(200)).body.status).toBe('clarification_requested');
    const mail = await smtp.waitForMail((m) => m.subject?.includes('Rückfrage zu Ihrem Verwendungsnachweis') ?? false);
    expect(mail.to?.[0]?.address).toBe(DEMO.applicant);
    expect(mail.text).toContain(question);
    expect(mail.text).toContain(`http://foerdertisch.test/reports/${reportId}`);
    const asked = (await applicant.get(url).expect(200)).body;
    expect(asked).toMatchObject({ status: 'clarification_requested', editable: true, clarificationRequest: question });
    const answered = (await applicant.put(url).set('X-CSRF-Token', applicantToken).send({ version: asked.version, participantsTotal: 40, participantGroups: [{ label: 'Sprachcafé', count: 40, breakdown: { Frauen: 28, Männer: 12 } }] }).expect(200)).body;
    expect(answered.participantsTotal).toBe(40);
    expect((await applicant.post(`${url}/submit`).set('X-CSRF-Token', applicantToken).expect(200)).body).toMatchObject({ status: 'submitted', submissionCount: 2 });
    const again = (await office.post(`${url}/start-check`).set('X-CSRF-Token', officeToken).expect(200)).body;

    // Findings: a reduction and a refusal need a reason and stay within the receipt.
    const [first, secondReceipt, third] = again.receipts as { id: string; amountCents: number }[];
    const finding = (receiptId: string, body: object, agent = office, token = officeToken) => agent.put(`${url}/receipts/${receiptId}/finding`).set('X-CSRF-Token', token).send(body);
    expect(Object.keys((await finding(first.id, { finding: 'reduced', admittedCents: 150_000 }).expect(422)).body.fields)).toEqual(['reason']);
    expect(Object.keys((await finding(first.id, { finding: 'reduced', admittedCents: 200_000, reason: 'zu hoch' }).expect(422)).body.fields)).toEqual(['admittedCents']);
    expect(Object.keys((await finding(first.id, { finding: 'reduced', admittedCents: -3, reason: 'zu hoch' }).expect(422)).body.fields)).toEqual(['admittedCents']);
    expect(Object.keys((await finding(first.id, { finding: 'reduced', admittedCents: 150_000.5, reason: 'zu hoch' }).expect(422)).body.fields)).toEqual(['admittedCents']);
    expect(Object.keys((await finding(first.id, { finding: 'reduced', admittedCents: 'viel', reason: 'zu hoch' }).expect(422)).body.fields)).toEqual(['admittedCents']);
    expect(Object.keys((await finding(third.id, { finding: 'refused' }).expect(422)).body.fields)).toEqual(['reason']);
    await finding(first.id, { finding: 'reduced', admittedCents: 190_000, reason: 'Ein Termin fiel aus.' }).expect(200);
    await finding(secondReceipt.id, { finding: 'admitted' }).expect(200);
    await finding(third.id, { finding: 'refused', reason: 'Kein Bezug zur Maßnahme.' }, second, secondToken).expect(200);
    await finding('00000000-0000-4000-8000-000000000000', { finding: 'admitted' }).expect(404);
    // The grantee sees no findings while the office is checking.
    expect((await applicant.get(url).expect(200)).body.receipts[0]).not.toHaveProperty('finding');

    // Two clerks: content by one, figures by another; closing needs both.
    await office.post(`${url}/checks`).set('X-CSRF-Token', officeToken).send({ part: 'content' }).expect(200);
    const notYet = await office.post(`${url}/close`).set('X-CSRF-Token', officeToken).expect(409);
    expect(notYet.body.missing).toEqual(['figuresChecked']);
    const checked = (await second.post(`${url}/checks`).set('X-CSRF-Token', secondToken).send({ part: 'figures' }).expect(200)).body;
    expect(checked.contentChecked.by).not.toEqual(checked.figuresChecked.by);
    expect(checked.canClose).toBe(true);

    const before = (await decisions(office, callId)).ledger;
    const closed = (await office.post(`${url}/close`).set('X-CSRF-Token', officeToken).expect(200)).body;
    // Admitted 1.900 + 1.000 + 0 = 2.900 €; less own funds 500 and third-party 200: 2.200 € due, 1.000 € paid.
    const due = Math.min(220_000, award.amountCents!);
    expect(closed.status).toBe('accepted');
    expect(closed.settlement.input).toMatchObject({ financeType: 'deficit', admittedCostsCents: 290_000, ownFundsCents: 50_000, thirdPartyCents: 20_000, otherIncomeCents: 0, plannedOwnFundsCents: 50_000, paidCents: 100_000, awardedCents: award.amountCents });
    expect(closed.settlement.result).toMatchObject({ dueCents: due, paidCents: 100_000, differenceCents: due - 100_000, outcome: 'final_payment' });
    const [stored] = await t.dataSource.query(`SELECT settlement, accepted_by IS NOT NULL AS accepted FROM usage_report WHERE id = $1`, [reportId]);
    expect(stored.settlement).toEqual(closed.settlement);
    expect(stored.accepted).toBe(true);
    // What will never be paid goes back to the call.
    const after = (await decisions(office, callId)).ledger;
    expect(after.freedCents - before.freedCents).toBe(award.amountCents! - due);
    expect(before.committedCents - after.committedCents).toBe(award.amountCents! - due);

    // Closed: every change is a conflict naming the state; the grantee now sees the findings.
    for (const res of [
      await applicant.put(url).set('X-CSRF-Token', applicantToken).send({ version: closed.version, ownFundsCents: 1 }),
      await applicant.post(`${url}/submit`).set('X-CSRF-Token', applicantToken),
      await applicant.post(`${url}/files`).set('X-CSRF-Token', applicantToken).attach('file', PDF_FILE, 'spät.pdf'),
      await finding(first.id, { finding: 'admitted' }),
      await office.post(`${url}/clarification`).set('X-CSRF-Token', officeToken).send({ message: 'Noch etwas?' }),
      await office.post(`${url}/close`).set('X-CSRF-Token', officeToken),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.status).toBe('accepted');
    }
    const seen = (await applicant.get(url).expect(200)).body;
    expect(seen.receipts[2]).toMatchObject({ finding: 'refused', admittedCents: 0, findingReason: 'Kein Bezug zur Maßnahme.' });
    expect(seen.settlement.result.outcome).toBe('final_payment');
    expect(seen.accepted).not.toHaveProperty('by');
    // Who in the office checked what stays inside the office: no names in the API or on the page.
    expect(seen.contentChecked).toEqual({ at: expect.any(String) });
    expect(seen.figuresChecked).toEqual({ at: expect.any(String) });
    expect(seen.receipts.every((receipt: { foundByName?: string | null }) => !receipt.foundByName)).toBe(true);
    expect(seen).not.toHaveProperty('settlementPreview');
    expect(seen).not.toHaveProperty('canClose');
    const clerks = (await t.dataSource.query(`SELECT full_name AS name FROM app_user WHERE email IN ($1, $2)`, [DEMO.office, DEMO.secondOffice])).map((row: { name: string }) => row.name);
    expect(clerks).toHaveLength(2);
    for (const clerk of clerks) expect(JSON.stringify(seen)).not.toContain(clerk);
    const closedPage = await applicant.get(`/reports/${reportId}`).expect(200);
    expect(closedPage.text).toContain('Die Zuwendung beträgt endgültig 2.200,00');
    expect(closedPage.text).toContain('Restzahlung an den Träger');
    for (const clerk of clerks) expect(closedPage.text).not.toContain(clerk);
    const checkPage = await office.get(`/office/reports/${reportId}`).expect(200);
    expect(checkPage.text).toContain('Schlussabrechnung');
    expect(checkPage.text).not.toContain(`action="/office/reports/${reportId}/close"`);
    await t.dataSource.query(`UPDATE funding_call SET participant_breakdown = '{}', participant_lists_required = false WHERE id = $1`, [callId]);
    const audited = (await t.dataSource.query(`SELECT DISTINCT action FROM audit_event WHERE entity_type = 'usage_report' AND entity_id = $1`, [reportId])).map((row: { action: string }) => row.action);
    expect(audited.sort()).toEqual([
      'usage_report.check_started', 'usage_report.clarification_requested', 'usage_report.closed', 'usage_report.content_checked', 'usage_report.figures_checked',
      'usage_report.file_added', 'usage_report.file_removed', 'usage_report.receipt_found', 'usage_report.receipts_imported', 'usage_report.saved', 'usage_report.submitted',
    ]);
  }, 120_000);

  it('a fully paid award with fewer admitted costs is settled with a repayment claim', async () => {
    const probe = await reportOfAward(t, { paidCents: 0 });
    const awarded = probe.award.amountCents!;
    const { report, reportId, office, officeToken } = await settledReport(t, { paidCents: awarded, findings: { 3: { finding: 'refused', reason: 'Nicht belegt.' } } });
    // Admitted 3.000 € less own funds 500 and third-party 200: 2.300 € due at most.
    const due = Math.min(230_000, awarded);
    expect(report.status).toBe('settled_with_claim');
    expect(report.settlement.result).toMatchObject({ outcome: 'repayment', dueCents: due, paidCents: awarded, differenceCents: due - awarded });
    expect(report.settlement.result.lines.at(-1)).toEqual({ key: 'repayment', cents: awarded - due });
    const worklist = (await office.get(`/api/v1/usage-reports?status=settled_with_claim&pageSize=200`).expect(200)).body.rows;
    expect(worklist.find((row: { id: string }) => row.id === reportId)).toMatchObject({ outcome: 'repayment' });
    await office.post(`/api/v1/usage-reports/${reportId}/start-check`).set('X-CSRF-Token', officeToken).expect(409);
  }, 120_000);

  it('lists overdue reports and shows the pages to both sides', async () => {
    const { reportId, applicant, office, callId, applicationId } = await reportOfAward(t, { paidCents: 0 }).then((f) => ({ ...f, applicationId: f.award.applicationId }));
    await t.dataSource.query(`UPDATE usage_report SET due_on = current_date - 3 WHERE id = $1`, [reportId]);
    const overdue = (await office.get(`/api/v1/usage-reports?callId=${callId}&status=overdue`).expect(200)).body.rows;
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ id: reportId, overdue: true, status: 'due' });
    // Paged in the database, in a stable order.
    const all = (await office.get('/api/v1/usage-reports?pageSize=200').expect(200)).body;
    expect(all.total).toBeGreaterThanOrEqual(3);
    const pageTwo = (await office.get('/api/v1/usage-reports?pageSize=1&page=2').expect(200)).body;
    expect(pageTwo).toMatchObject({ total: all.total, pages: all.total, page: 2 });
    expect(pageTwo.rows.map((row: { id: string }) => row.id)).toEqual([all.rows[1].id]);

    const page = await applicant.get(`/reports/${reportId}`).expect(200);
    expect(page.text).toContain('Verwendungsnachweis');
    expect(page.text).toContain('name="lines[0][actualCents]"');
    const application = await applicant.get(`/applications/${applicationId}`).expect(200);
    expect(application.text).toContain(`/reports/${reportId}`);
    const worklist = await office.get(`/office/reports?status=overdue&callId=${callId}`).expect(200);
    expect(worklist.text).toContain(`/office/reports/${reportId}`);
    expect(worklist.text).toContain('/office/reports.csv?callId=');
    const check = await office.get(`/office/reports/${reportId}`).expect(200);
    expect(check.text).toContain('Verwendungsnachweis');
    await applicant.get(`/office/reports/${reportId}`).expect(403);
    // Another organisation's report page is not found, nor is its receipt import or submission.
    const other = t.agent();
    const otherToken = await loginAs(other, DEMO.otherApplicant);
    await other.get(`/reports/${reportId}`).expect(404);
    await other.post(`/reports/${reportId}/submit`).set('X-CSRF-Token', otherToken).expect(404);
    await other.post(`/api/v1/usage-reports/${reportId}/receipts.csv`).set('X-CSRF-Token', otherToken).attach('file', csvFile(['01.03.2027;Kursleitung;Honorar;2.000,00;1;05.03.2027']), 'belege.csv').expect(404);
    const dashboard = await office.get('/office').expect(200);
    expect(dashboard.text).toMatch(/href="\/office\/reports\?status=overdue"><span class="number">[1-9]\d*<\/span>/);
    const pageCsv = await office.get(`/office/reports.csv?status=overdue`).buffer(true).parse(binary).expect(200);
    expect((pageCsv.body as Buffer).toString('utf8')).toContain(';fällig;ja;');
  }, 120_000);

  it('the forms take euros with a comma, show errors at their fields and keep the entered values', async () => {
    const { reportId, applicant, applicantToken, office, officeToken } = await reportOfAward(t, { paidCents: 0 });
    const api = `/api/v1/usage-reports/${reportId}`;
    const { version } = (await applicant.get(api).expect(200)).body;
    const form = (lines: string[]) => ({
      version, narrative: { ...COMPLETE_REPORT.narrative, openToAll: 'yes' }, lines: [{ key: '1', actualCents: lines[0] }, { key: '2', actualCents: lines[1] }],
      ownFundsCents: '500,00', thirdPartyCents: '200', otherIncomeCents: '0', participantsTotal: '42',
      participantGroups: [{ label: 'Sprachcafé', count: '42' }, { label: '', count: '' }],
    });
    const bad = await applicant.post(`/reports/${reportId}`).set('X-CSRF-Token', applicantToken).type('form').send(formBody(form(['3.000,00', '-5']))).expect(422);
    expect(bad.text).toContain('id="f-lines-1-actualCents"');
    expect(bad.text).toContain('<a href="#f-lines-1-actualCents">Position 2 (Sachkosten): Tatsächlich:');
    expect(bad.text).toContain('aria-invalid="true"');
    expect(bad.text).toContain('value="3.000,00"');
    expect((await applicant.get(api).expect(200)).body.version).toBe(version);
    await applicant.post(`/reports/${reportId}`).set('X-CSRF-Token', applicantToken).type('form').send(formBody(form(['3.000,00', '500,00']))).expect(303);
    const saved = (await applicant.get(api).expect(200)).body;
    expect(saved.lines.map((line: { actualCents: number }) => line.actualCents)).toEqual([300_000, 50_000]);
    expect(saved).toMatchObject({ ownFundsCents: 50_000, thirdPartyCents: 20_000, otherIncomeCents: 0, participantsTotal: 42, participantGroups: [{ label: 'Sprachcafé', count: 42, breakdown: {} }] });
    expect(saved.narrative.openToAll).toBe(true);

    const receipts = PLAN_RECEIPTS.map((receipt) => ({ ...receipt, amountCents: (receipt.amountCents / 100).toFixed(2).replace('.', ','), costLine: String(receipt.costLine) }));
    await applicant.post(`/reports/${reportId}/receipts`).set('X-CSRF-Token', applicantToken).type('form')
      .send(formBody({ version: saved.version, receipts: [...receipts, { date: '', payee: '', purpose: '', amountCents: '', costLine: '', paidOn: '' }] })).expect(303);
    const withReceipts = (await applicant.get(api).expect(200)).body;
    expect(withReceipts.receipts.map((r: { amountCents: number }) => r.amountCents)).toEqual([200_000, 100_000, 50_000]);
    expect(withReceipts.problems).toEqual([]);
    const imported = await applicant.post(`/reports/${reportId}/receipts-import`).set('X-CSRF-Token', applicantToken).attach('file', csvFile(['01.03.2027;Kursleitung;Honorar;2.000,00;1;05.03.2027', '01.06.2027;;Honorar;1.000,00;1;03.06.2027']), 'belege.csv').expect(422);
    expect(imported.text).toContain('Zeile 3, Spalte „Empfänger“');
    // German Excel's "CSV (Trennzeichen-getrennt)": Windows-1252, empty columns after the six, empty rows as semicolons.
    const excel = Buffer.from(`${HEADER};;\r\n01.03.2027;Kursleitung Müller;Honorar;2.000,00;1;05.03.2027;;\r\n01.06.2027;Kursleitung Müller;Honorar;1.000,00;1;03.06.2027;;\r\n10.04.2027;Schreibwaren Müller;Material;500,00;2;12.04.2027;;\r\n;;;;;;;\r\n`, 'latin1');
    await applicant.post(`/reports/${reportId}/receipts-import`).set('X-CSRF-Token', applicantToken).attach('file', excel, 'belege.csv').expect(303);
    const fromExcel = (await applicant.get(api).expect(200)).body;
    expect(fromExcel.receipts.map((r: { payee: string; amountCents: number }) => [r.payee, r.amountCents])).toEqual([
      ['Kursleitung Müller', 200_000], ['Kursleitung Müller', 100_000], ['Schreibwaren Müller', 50_000],
    ]);
    const badRow = await applicant.post(`/reports/${reportId}/receipts`).set('X-CSRF-Token', applicantToken).type('form')
      .send(formBody({ version: fromExcel.version, receipts: [receipts[0], { ...receipts[1], amountCents: '1.000,005' }] })).expect(422);
    expect(badRow.text).toContain('<a href="#f-receipts-1-amountCents">Beleg 2: Betrag:');
    expect(badRow.text).toContain('value="1.000,005"');
    expect((await applicant.get(api).expect(200)).body.receipts).toHaveLength(3);
    // Participant lists on the page: refused types named at the field, removed while editable.
    await t.dataSource.query(`UPDATE funding_call SET participant_lists_required = true WHERE id = (SELECT call_id FROM usage_report WHERE id = $1)`, [reportId]);
    const notPdf = await applicant.post(`/reports/${reportId}/files`).set('X-CSRF-Token', applicantToken).attach('file', Buffer.from('Name;Unterschrift'), 'liste.csv').expect(422);
    expect(notPdf.text).toContain('PDF-, JPEG- oder PNG');
    await applicant.post(`/reports/${reportId}/files`).set('X-CSRF-Token', applicantToken).attach('file', PDF_FILE, 'Liste 1.pdf').expect(303);
    await applicant.post(`/reports/${reportId}/files`).set('X-CSRF-Token', applicantToken).attach('file', PDF_FILE, 'Liste 2.pdf').expect(303);
    const [firstList] = (await applicant.get(api).expect(200)).body.files;
    await applicant.post(`/reports/${reportId}/files/${firstList.id}/delete`).set('X-CSRF-Token', applicantToken).expect(303);
    const listPage = await applicant.get(`/reports/${reportId}`).expect(200);
    expect(listPage.text).toContain('Liste 2.pdf');
    expect(listPage.text).not.toContain('Liste 1.pdf');
    expect(listPage.text).not.toContain(`/files/${firstList.id}"`);
    await applicant.post(`/reports/${reportId}/submit`).set('X-CSRF-Token', applicantToken).expect(303);
    await t.dataSource.query(`UPDATE funding_call SET participant_lists_required = false WHERE id = (SELECT call_id FROM usage_report WHERE id = $1)`, [reportId]);
    expect((await applicant.get(`/reports/${reportId}`).expect(200)).text).toContain('eingereicht');

    await office.post(`/office/reports/${reportId}/start-check`).set('X-CSRF-Token', officeToken).expect(303);
    const [receipt] = (await office.get(api).expect(200)).body.receipts;
    const refused = await office.post(`/office/reports/${reportId}/receipts/${receipt.id}/finding`).set('X-CSRF-Token', officeToken).type('form').send(formBody({ finding: 'reduced', admittedCents: '1.500,00', reason: '' })).expect(422);
    expect(refused.text).toContain('Begründung');
    await office.post(`/office/reports/${reportId}/receipts/${receipt.id}/finding`).set('X-CSRF-Token', officeToken).type('form').send(formBody({ finding: 'reduced', admittedCents: '1.500,00', reason: 'Ein Termin fiel aus.' })).expect(303);
    expect((await office.get(api).expect(200)).body.receipts[0]).toMatchObject({ finding: 'reduced', admittedCents: 150_000 });
    await office.post(`/office/reports/${reportId}/checks`).set('X-CSRF-Token', officeToken).type('form').send(formBody({ part: 'content' })).expect(303);
    const early = await office.post(`/office/reports/${reportId}/close`).set('X-CSRF-Token', officeToken).expect(409);
    expect(early.text).toContain('rechnerische Prüfung');
  }, 120_000);

  it('the form keeps the participant breakdown and takes counts with German thousands ("1.200")', async () => {
    const { reportId, applicant, applicantToken, callId } = await reportOfAward(t, { paidCents: 0 });
    await t.dataSource.query(`UPDATE funding_call SET participant_breakdown = '{Frauen,Männer}' WHERE id = $1`, [callId]);
    const api = `/api/v1/usage-reports/${reportId}`;
    const { version } = (await applicant.get(api).expect(200)).body;
    await applicant.post(`/reports/${reportId}`).set('X-CSRF-Token', applicantToken).type('form').send(formBody({
      version, participantsTotal: '1.200', participantGroups: [{ label: 'Sprachcafé', count: '1 200', b: { 0: '1.000', 1: '200' } }],
    })).expect(303);
    expect((await applicant.get(api).expect(200)).body).toMatchObject({ participantsTotal: 1200, participantGroups: [{ label: 'Sprachcafé', count: 1200, breakdown: { Frauen: 1000, Männer: 200 } }] });
    const page = await applicant.get(`/reports/${reportId}`).expect(200);
    expect(page.text).toContain('name="participantGroups[0][b][0]" value="1000"');
    expect(page.text).toContain('name="participantGroups[0][b][1]" value="200"');
    const { version: next } = (await applicant.get(api).expect(200)).body;
    const decimal = await applicant.post(`/reports/${reportId}`).set('X-CSRF-Token', applicantToken).type('form').send(formBody({ version: next, participantsTotal: '1.5' })).expect(422);
    expect(decimal.text).toContain('value="1.5"');
  }, 60_000);

  it('the call keeps its report settings: participant breakdown, participant lists, interest day count', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const body = {
      year: 2027, title: 'Aufruf mit Nachweisregeln', budgetCents: 2_000_000, fieldsOfAction: ['Sprachförderung'], submissionDeadline: new Date(Date.now() + 86400_000).toISOString(),
      fundingPeriodStart: '2027-04-01', fundingPeriodEnd: '2027-12-31', financeType: 'deficit', maxAmountCents: 500_000, minOwnContributionPercent: 10,
      costCategories: ['Honorare'], requiredAttachments: [], declarations: [], reportDueMonths: 6,
    };
    const plain = (await office.post('/api/v1/calls').set('X-CSRF-Token', token).send(body).expect(201)).body;
    expect(plain).toMatchObject({ participantBreakdown: [], participantListsRequired: false, interestDayCount: 'act/365' });
    const created = (await office.post('/api/v1/calls').set('X-CSRF-Token', token)
      .send({ ...body, participantBreakdown: ['Frauen', 'Männer', 'Frauen'], participantListsRequired: true, interestDayCount: 'act/360' }).expect(201)).body;
    expect(created).toMatchObject({ participantBreakdown: ['Frauen', 'Männer'], participantListsRequired: true, interestDayCount: 'act/360' });
    const bad = await office.post('/api/v1/calls').set('X-CSRF-Token', token).send({ ...body, interestDayCount: 'act/364', participantListsRequired: 'vielleicht' }).expect(422);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['interestDayCount', 'participantListsRequired']);
    const page = await office.get(`/office/calls/${created.id}`).expect(200);
    expect(page.text).toMatch(/<textarea[^>]*name="participantBreakdown"[^>]*>Frauen\nMänner<\/textarea>/);
    expect(page.text).toMatch(/<option value="act\/360" selected>/);
  }, 60_000);
});
