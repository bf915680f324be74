import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AwardsService } from '../../src/awards/awards.service.js';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary, completeContent, PDF_FILE, preparedDraft } from '../support/applications.js';
import { decisions } from '../support/awards.js';
import { pdfText } from '../support/pdf.js';
import { settledReport } from '../support/reports.js';
import { plain } from '../support/text.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const today = () => berlinDay(new Date());

/** A new draft call with no applications, through the API. */
async function draftCall(office: ReturnType<TestApp['agent']>, token: string, title: string): Promise<string> {
  const created = await office.post('/api/v1/calls').set('X-CSRF-Token', token).send({
    year: 2028, title, budgetCents: 1_000_000, fieldsOfAction: ['Sprachförderung'], submissionDeadline: new Date(Date.now() + 86400_000).toISOString(),
    fundingPeriodStart: '2028-04-01', fundingPeriodEnd: '2028-12-31', financeType: 'deficit', maxAmountCents: 500_000, minOwnContributionPercent: 10,
    costCategories: ['Honorare'], requiredAttachments: [], declarations: ['Die Maßnahme ist offen für alle.'], reportDueMonths: 6,
  }).expect(201);
  return created.body.id;
}

/** A call with no applications, decided: its deadline, review and decisions are skipped with SQL. */
async function decidedEmptyCall(office: ReturnType<TestApp['agent']>, token: string, title: string): Promise<string> {
  const id = await draftCall(office, token, title);
  await t.dataSource.query(`UPDATE funding_call SET status = 'decided' WHERE id = $1`, [id]);
  return id;
}

async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return ((error as { driverError?: { code?: string } }).driverError ?? (error as { code?: string })).code;
  }
}

describe('archiving a call', () => {
  it('is refused while a grant is open, allowed once all are settled; then everything under the call is read-only but readable', async () => {
    // The demo call asks for participant lists, so that the report has a file the retention job may delete.
    const [{ id: demoCallId }] = await t.dataSource.query(`SELECT id FROM funding_call WHERE status = 'published'`);
    await t.dataSource.query(`UPDATE funding_call SET participant_lists_required = true WHERE id = $1`, [demoCallId]);
    const fixture = await settledReport(t);
    const { office, officeToken, second, secondToken, applicant, applicantToken, award, callId, reportId } = fixture;
    expect(callId).toBe(demoCallId);
    expect(fixture.report.status).toBe('accepted');
    // An applicant's draft in the same call, still open when the call is archived.
    const draft = await preparedDraft(t, { title: 'Entwurf im Archiv' });

    // Deadline passed and reviewed (moved with SQL), every decision released: the call is decided.
    await t.dataSource.query(`UPDATE funding_call SET status = 'in_review' WHERE id = $1`, [callId]);
    for (const other of (await decisions(office, callId)).decisions.filter((d) => d.status === 'draft')) {
      await second.post(`/api/v1/decisions/${other.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
    }
    await office.post(`/api/v1/calls/${callId}/decide`).set('X-CSRF-Token', officeToken).expect(200);
    // The letters are rendered and stored by a job after each release.
    await eventually(async () => (await t.dataSource.query(
      `SELECT 1 FROM decision d WHERE d.call_id = $1 AND NOT EXISTS (SELECT 1 FROM decision_letter l WHERE l.decision_id = d.id)`, [callId])).length === 0, 15_000, 'every letter issued');

    // Not yet: the award is not final, its payout has not gone to the treasury, a visit is planned.
    const visit = (await office.post(`/api/v1/decisions/${award.id}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: today(), staff: 'Jonas Becker' }).expect(201)).body;
    const refused = await office.post(`/api/v1/calls/${callId}/archive`).set('X-CSRF-Token', officeToken).expect(409);
    expect(refused.body).toMatchObject({ status: 'decided', open: { notFinal: 1, payoutNotExported: 1, visitPlanned: 1, reportOpen: 0, draftDecision: 0, letterPending: 0, paymentOpen: 0, claimOpen: 0, claimMissing: 0 } });
    expect(refused.body.message).toContain('noch nicht archiviert');
    expect(refused.body.items.map((item: { kind: string; applicationId: string }) => `${item.kind} ${item.applicationId}`).sort())
      .toEqual([`notFinal ${award.applicationId}`, `payoutNotExported ${award.applicationId}`, `visitPlanned ${award.applicationId}`]);
    // The office's page lists them, each with a link to where it is settled.
    const openPage = plain((await office.get(`/office/calls/${callId}/archive`).expect(200)).text);
    expect(openPage).toContain('Bewilligungen noch nicht bestandskräftig (1)');
    expect(openPage).toContain(`href="/office/applications/${award.applicationId}"`);
    expect(openPage).toContain('Auszahlungen noch nicht an die Stadtkasse übergeben (1)');
    expect(openPage).toContain('href="/office/payment-exports"');
    expect(openPage).toContain(`href="/office/calls/${callId}/visits"`);
    expect(openPage).not.toContain('Ja, jetzt archivieren');
    const refusedForm = await office.post(`/office/calls/${callId}/archive`).type('form').send({ _csrf: officeToken }).expect(409);
    expect(plain(refusedForm.text)).toContain('Vor-Ort-Besuche geplant, aber noch ohne Bericht (1)');
    // Nobody else may archive or look.
    await applicant.post(`/api/v1/calls/${callId}/archive`).set('X-CSRF-Token', applicantToken).expect(403);
    await applicant.get(`/office/calls/${callId}/archive`).expect(403);

    // Settled through the real API: the visit is recorded, the payout exported; the award becomes
    // final on its day (the finality job, with the day moved to today).
    await office.post(`/api/v1/visits/${visit.id}/protocol`).set('X-CSRF-Token', officeToken)
      .send({ visitOn: today(), checklist: { activity_as_described: 'yes', target_group_reached: 'yes', open_to_everyone: 'yes', participants_present: 'yes', publicity_names_city: 'yes' } }).expect(200);
    await office.post('/api/v1/payment-exports').set('X-CSRF-Token', officeToken).expect(201);
    await t.dataSource.query(`UPDATE decision SET final_on = current_date WHERE id = $1`, [award.id]);
    await t.app.get(AwardsService).becomeFinalIfDue(award.id);

    const confirmPage = plain((await office.get(`/office/calls/${callId}/archive`).expect(200)).text);
    expect(confirmPage).toContain('Alle Förderungen dieses Aufrufs sind abgeschlossen.');
    const archived = await office.post(`/api/v1/calls/${callId}/archive`).set('X-CSRF-Token', officeToken).expect(200);
    expect(archived.body).toMatchObject({ id: callId, status: 'archived' });
    expect(archived.body.archivedAt).toBeTruthy();
    const audit = await t.dataSource.query(`SELECT before, after FROM audit_event WHERE action = 'call.archive' AND entity_id = $1`, [callId]);
    expect(audit).toEqual([{ before: { status: 'decided' }, after: { status: 'archived', event: 'ARCHIVE' } }]);

    // Twice is a 409 naming the state.
    const again = await office.post(`/api/v1/calls/${callId}/archive`).set('X-CSRF-Token', officeToken).expect(409);
    expect(again.body).toMatchObject({ status: 'archived', message: 'Der Förderaufruf ist archiviert: hier kann nichts mehr geändert werden.' });

    // Changes answer 409: with calls.archived where the database's triggers refuse, or the service's
    // own 409 naming the state where it refuses first.
    const call = (await office.get(`/api/v1/calls/${callId}`).expect(200)).body;
    const { id: _id, status: _s, committedCents: _c, createdAt: _ca, updatedAt: _u, publishedAt: _p, closedAt: _cl, archivedAt: _a, createdBy: _cb, ...rules } = call;
    const changes: [string, () => Promise<{ status: number; body: { status?: string; message?: string } }>][] = [
      ['call update', () => office.put(`/api/v1/calls/${callId}`).set('X-CSRF-Token', officeToken).send(rules)],
      ['call publish', () => office.post(`/api/v1/calls/${callId}/publish`).set('X-CSRF-Token', officeToken)],
      ['application edit', () => draft.agent.put(`/api/v1/applications/${draft.applicationId}`).set('X-CSRF-Token', draft.token).send({ ...completeContent(), title: 'Geändert', version: 1 })],
      ['attachment upload', () => draft.agent.post(`/api/v1/applications/${draft.applicationId}/attachments`).set('X-CSRF-Token', draft.token).field('kind', 'Satzung').attach('file', PDF_FILE, 'Satzung.pdf')],
      ['application delete', () => draft.agent.delete(`/api/v1/applications/${draft.applicationId}`).set('X-CSRF-Token', draft.token)],
      ['application withdraw', () => applicant.post(`/api/v1/applications/${award.applicationId}/withdraw`).set('X-CSRF-Token', applicantToken)],
      ['decision acceptance', () => applicant.post(`/api/v1/decisions/${award.id}/acceptance`).set('X-CSRF-Token', applicantToken).send({ waive: true })],
      ['payment request', () => applicant.post(`/api/v1/decisions/${award.id}/payments`).set('X-CSRF-Token', applicantToken).send({ amountCents: 10_000, neededOn: today(), purpose: 'Honorare' })],
      ['usage report save', () => applicant.put(`/api/v1/usage-reports/${reportId}`).set('X-CSRF-Token', applicantToken).send({ narrative: {}, version: fixture.report.version })],
      ['claim', () => office.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', officeToken).send({ paymentDueOn: today() })],
      ['visit planned', () => office.post(`/api/v1/decisions/${award.id}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: today(), staff: 'Jonas Becker' })],
      ['visit record', () => office.put(`/api/v1/visits/${visit.id}`).set('X-CSRF-Token', officeToken).send({ visitOn: today(), staff: 'Jonas Becker', version: 2 })],
    ];
    const answers: Record<string, string> = {};
    for (const [name, send] of changes) {
      const res = await send();
      answers[name] = `${res.status} ${res.body.status}`;
    }
    expect(answers).toEqual({
      'call update': '409 archived',
      'call publish': '409 archived',
      'application edit': '409 archived',
      'attachment upload': '409 archived',
      'application delete': '409 archived',
      'application withdraw': '409 final',
      'decision acceptance': '409 archived',
      'payment request': '409 archived',
      'usage report save': '409 accepted',
      'claim': '409 accepted',
      'visit planned': '409 archived',
      'visit record': '409 done',
    });
    const [{ title }] = await t.dataSource.query(`SELECT title FROM application WHERE id = $1`, [draft.applicationId]);
    expect(title).toBe('Entwurf im Archiv');

    // Reads still answer: pages, API, letters and the call's PDF.
    const callPage = plain((await office.get(`/office/calls/${callId}`).expect(200)).text);
    expect(callPage).toContain('archiviert');
    expect(callPage).toContain('Sie können alles lesen, aber nichts mehr ändern.');
    expect(callPage).not.toContain(`/office/calls/${callId}/archive`);
    await t.agent().get(`/calls/${callId}`).expect(200);
    await t.agent().get(`/api/v1/calls/${callId}`).expect(200);
    expect(await pdfText((await t.agent().get(`/api/v1/calls/${callId}/pdf`).buffer(true).parse(binary).expect(200)).body as Buffer)).toContain('Förderaufruf');
    await office.get(`/office/applications/${award.applicationId}`).expect(200);
    await applicant.get(`/applications/${award.applicationId}`).expect(200);
    await applicant.get(`/api/v1/applications/${award.applicationId}`).expect(200);
    await office.get(`/office/reports/${reportId}`).expect(200);
    await applicant.get(`/api/v1/usage-reports/${reportId}`).expect(200);
    await office.get(`/api/v1/calls/${callId}/decisions`).expect(200);
    await office.get(`/api/v1/calls/${callId}/payments`).expect(200);
    const letter = await applicant.get(`/api/v1/decisions/${award.id}/letter.pdf`).buffer(true).parse(binary).expect(200);
    expect(await pdfText(letter.body as Buffer)).toContain('Zuwendungsbescheid');

    // The database itself refuses, whatever the code does.
    expect(await sqlState(t.dataSource.query(`UPDATE application SET title = 'direkt' WHERE id = $1`, [award.applicationId]))).toBe('FT409');
    expect(await sqlState(t.dataSource.query(`UPDATE funding_call SET title = 'direkt' WHERE id = $1`, [callId]))).toBe('FT409');
    const [file] = await t.dataSource.query(`SELECT f.id FROM report_file f WHERE f.report_id = $1`, [reportId]);
    expect(file).toBeDefined();
    expect(await sqlState(t.dataSource.query(`DELETE FROM report_file WHERE id = $1`, [file.id]))).toBe('FT409');
    // The retention job's transaction may delete personal data of an archived call, but adds nothing.
    await t.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT set_config('foerdertisch.retention', 'on', true)`);
      await manager.query(`DELETE FROM report_file WHERE id = $1`, [file.id]);
      expect(await sqlState(manager.query(`SAVEPOINT insert_attempt`).then(() => manager.query(
        `INSERT INTO report_reminder (report_id, kind, sent_on) VALUES ($1, 'due_today', current_date)`, [reportId])))).toBe('FT409');
      await manager.query(`ROLLBACK TO SAVEPOINT insert_attempt`);
    });
    expect(await t.dataSource.query(`SELECT id FROM report_file WHERE id = $1`, [file.id])).toEqual([]);
    // The setting holds for its own transaction only.
    expect(await sqlState(t.dataSource.query(`DELETE FROM report_receipt WHERE report_id = $1`, [reportId]))).toBe('FT409');
  });

  it('refuses a call that is not decided, names the state, and lets one of two simultaneous requests archive', async () => {
    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    const draftId = await draftCall(office, officeToken, 'Noch ein Entwurf');
    const early = await office.post(`/api/v1/calls/${draftId}/archive`).set('X-CSRF-Token', officeToken).expect(409);
    expect(early.body).toMatchObject({ status: 'draft', event: 'ARCHIVE' });
    expect(plain((await office.get(`/office/calls/${draftId}/archive`).expect(200)).text)).toContain('Archivieren geht erst, wenn der Aufruf entschieden ist. Er ist jetzt „Entwurf“.');

    const callId = await decidedEmptyCall(office, officeToken, 'Zweimal archiviert');
    const admin = t.agent();
    const adminToken = await loginAs(admin, DEMO.admin);
    const answers = await Promise.all([
      office.post(`/api/v1/calls/${callId}/archive`).set('X-CSRF-Token', officeToken),
      admin.post(`/api/v1/calls/${callId}/archive`).set('X-CSRF-Token', adminToken),
    ]);
    expect(answers.map((res) => res.status).sort()).toEqual([200, 409]);
    expect(answers.find((res) => res.status === 409)!.body.status).toBe('archived');
    const audit = await t.dataSource.query(`SELECT 1 FROM audit_event WHERE action = 'call.archive' AND entity_id = $1`, [callId]);
    expect(audit).toHaveLength(1);
  });

  it('the office archives from the call page through the confirmation page', async () => {
    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    const callId = await decidedEmptyCall(office, officeToken, 'Über die Seite archiviert');
    const callPage = (await office.get(`/office/calls/${callId}`).expect(200)).text;
    expect(callPage).toContain(`href="/office/calls/${callId}/archive"`);
    const confirm = plain((await office.get(`/office/calls/${callId}/archive`).expect(200)).text);
    expect(confirm).toContain('Ja, jetzt archivieren');
    const done = await office.post(`/office/calls/${callId}/archive`).type('form').send({ _csrf: officeToken }).expect(303);
    expect(done.headers.location).toBe(`/office/calls/${callId}?notice=archive.done`);
    const after = plain((await office.get(done.headers.location).expect(200)).text);
    expect(after).toContain('Der Förderaufruf ist archiviert. Er ist jetzt nur noch lesbar.');
    expect(after).toContain('<span class="badge archived">archiviert</span>');
    expect(plain((await office.get(`/office/calls/${callId}/archive`).expect(200)).text)).toContain('Dieser Förderaufruf ist seit dem');
  });
});
