import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays } from '../../src/awards/calendar-days.js';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary } from '../support/applications.js';
import { decidedTable, decisions } from '../support/awards.js';
import { pdfText } from '../support/pdf.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const today = () => berlinDay(new Date());
const german = (day: string) => day.split('-').reverse().join('.');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-beispiel')]);
const ALL_YES = { activity_as_described: 'yes', target_group_reached: 'yes', open_to_everyone: 'yes', participants_present: 'partly', publicity_names_city: 'not_assessed' };

/** A call with two released awards and a released rejection; the drafts are checked first. */
async function fundedCall() {
  const table = await decidedTable(t, 2, 1);
  const { office, officeToken, second, secondToken, callId } = table;
  await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200);
  const drafts = (await decisions(office, callId)).decisions.filter((d) => d.status === 'draft');
  const [a, b] = drafts.filter((d) => d.kind === 'award');
  const rejection = drafts.find((d) => d.kind === 'rejection')!;
  // Neither a draft award nor a rejection is a funded project.
  const draftPlan = await office.post(`/api/v1/decisions/${a.id}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: today(), staff: 'Jonas Becker' }).expect(409);
  expect(draftPlan.body.status).toBe('draft');
  await office.post(`/api/v1/decisions/${rejection.id}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: today(), staff: 'Jonas Becker' }).expect(404);
  for (const decision of drafts) await second.post(`/api/v1/decisions/${decision.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
  await office.post(`/api/v1/decisions/${rejection.id}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: today(), staff: 'Jonas Becker' }).expect(404);
  const applicant = t.agent();
  const applicantToken = await loginAs(applicant, DEMO.applicant);
  return { ...table, a, b, rejection, applicant, applicantToken };
}

describe('site visits', () => {
  it('the office plans and records visits with checklist and photo; coverage, start page, grantee page and the visit report follow', async () => {
    const { office, officeToken, callId, a, b, applicant } = await fundedCall();
    // Project A ends in 10 days, project B in 200 (the awards' periods).
    await t.dataSource.query(`UPDATE decision SET period_start = $2, period_end = $3 WHERE id = $1`, [a.id, addDays(today(), -100), addDays(today(), 10)]);
    await t.dataSource.query(`UPDATE decision SET period_start = $2, period_end = $3 WHERE id = $1`, [b.id, addDays(today(), -100), addDays(today(), 200)]);
    const [refA, refB] = await Promise.all([a, b].map(async (d) => (await t.dataSource.query(`SELECT reference_number AS r, title FROM application WHERE id = $1`, [d.applicationId]))[0] as { r: string; title: string }));

    // The start page flags A with a link to its row, not B.
    let start = (await office.get('/office').expect(200)).text;
    expect(start).toContain(`/office/calls/${callId}/visits#project-${a.id}`);
    expect(start).toContain(`${refA.r} ${refA.title}`);
    expect(start).not.toContain(`#project-${b.id}`);
    expect(start).toContain('kein Besuch geplant');

    // Plan a visit; bad input names the fields.
    const plan = (body: object) => office.post(`/api/v1/decisions/${a.id}/visits`).set('X-CSRF-Token', officeToken).send(body);
    const bad = await plan({ visitOn: '2027-02-30', staff: '   ' }).expect(422);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['staff', 'visitOn']);
    expect(Object.keys((await plan({ visitOn: '15.06.2027', staff: 'Jonas Becker' }).expect(422)).body.fields)).toEqual(['visitOn']);
    expect(Object.keys((await plan({ staff: 'Jonas Becker' }).expect(422)).body.fields)).toEqual(['visitOn']);
    const plannedOn = addDays(today(), 3);
    const planned = (await plan({ visitOn: plannedOn, staff: 'Jonas Becker' }).expect(201)).body;
    expect(planned).toMatchObject({ status: 'planned', visitOn: plannedOn, staff: 'Jonas Becker', version: 1, photos: [] });
    start = (await office.get('/office').expect(200)).text;
    expect(start).toContain(`Besuch geplant am ${german(plannedOn)}`);

    // Neither members nor the organisation plan or record visits.
    for (const email of [DEMO.chair, DEMO.voting, DEMO.applicant]) {
      const agent = t.agent();
      const token = await loginAs(agent, email);
      await agent.post(`/api/v1/decisions/${a.id}/visits`).set('X-CSRF-Token', token).send({ visitOn: plannedOn, staff: 'X' }).expect(403);
      await agent.post(`/api/v1/visits/${planned.id}/protocol`).set('X-CSRF-Token', token).send({ visitOn: today(), checklist: ALL_YES }).expect(403);
      await agent.put(`/api/v1/visits/${planned.id}`).set('X-CSRF-Token', token).send({ staff: 'X' }).expect(403);
    }

    // Edit the planned visit; a stale version is refused.
    const edited = (await office.put(`/api/v1/visits/${planned.id}`).set('X-CSRF-Token', officeToken).send({ staff: 'Jonas Becker, Aylin Şahin', version: 1 }).expect(200)).body;
    expect(edited).toMatchObject({ staff: 'Jonas Becker, Aylin Şahin', visitOn: plannedOn, version: 2 });
    await office.put(`/api/v1/visits/${planned.id}`).set('X-CSRF-Token', officeToken).send({ staff: 'Jemand', version: 1 }).expect(409);
    expect(Object.keys((await office.put(`/api/v1/visits/${planned.id}`).set('X-CSRF-Token', officeToken).send({ visitOn: '2027-13-01', staff: '' }).expect(422)).body.fields).sort()).toEqual(['staff', 'visitOn']);

    // The protocol: every checklist point with a known finding, not in the future.
    const record = (body: object) => office.post(`/api/v1/visits/${planned.id}/protocol`).set('X-CSRF-Token', officeToken).send(body);
    const wrong = await record({ visitOn: today(), checklist: { ...ALL_YES, open_to_everyone: 'maybe', smell: 'yes', participants_present: undefined } }).expect(422);
    expect(Object.keys(wrong.body.fields).sort()).toEqual(['checklist.open_to_everyone', 'checklist.participants_present', 'checklist.smell']);
    expect(Object.keys((await record({ visitOn: addDays(today(), 1), checklist: ALL_YES }).expect(422)).body.fields)).toEqual(['visitOn']);
    expect(Object.keys((await record({ visitOn: today() }).expect(422)).body.fields)).toEqual(['checklist']);
    const done = (await record({ visitOn: today(), checklist: ALL_YES, notes: 'Gut besucht, Plakat mit Stadtlogo.' }).expect(200)).body;
    expect(done).toMatchObject({ status: 'done', visitOn: today(), checklist: ALL_YES, notes: 'Gut besucht, Plakat mit Stadtlogo.', recordedByName: expect.any(String) });
    await record({ visitOn: today(), checklist: ALL_YES }).expect(409);
    await office.put(`/api/v1/visits/${planned.id}`).set('X-CSRF-Token', officeToken).send({ staff: 'Jemand' }).expect(409);

    // A photo: JPEG or PNG by content, at most 5 MB; the office alone downloads it.
    const upload = (content: Buffer, name: string) => office.post(`/api/v1/visits/${planned.id}/photos`).set('X-CSRF-Token', officeToken).attach('file', content, name);
    expect(Object.keys((await upload(Buffer.from('kein Bild'), 'foto.png').expect(422)).body.fields)).toEqual(['file']);
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0);
    PNG.copy(big);
    expect(Object.keys((await upload(big, 'gross.png').expect(422)).body.fields)).toEqual(['file']);
    const photo = (await upload(PNG, 'Sprachcafé Besuch.png').expect(201)).body;
    expect(photo).toMatchObject({ filename: 'Sprachcafé_Besuch.png', contentType: 'image/png', sizeBytes: PNG.length });
    const downloaded = await office.get(`/api/v1/visits/${planned.id}/photos/${photo.id}`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(downloaded.body as Buffer, PNG)).toBe(0);
    await applicant.get(`/api/v1/visits/${planned.id}/photos/${photo.id}`).expect(403);

    // Every change is audited.
    const actions = (await t.dataSource.query(`SELECT action FROM audit_event WHERE entity_type = 'site_visit' AND entity_id = $1 ORDER BY id`, [planned.id])).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['visit.planned', 'visit.changed', 'visit.recorded', 'visit.photo_added']);

    // B gets a planned visit; coverage counts per call.
    await office.post(`/api/v1/decisions/${b.id}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: addDays(today(), 30), staff: 'Aylin Şahin' }).expect(201);
    const coverage = (await office.get(`/api/v1/calls/${callId}/visits`).expect(200)).body;
    expect(coverage.counts).toEqual({ total: 2, visited: 1, planned: 1, missing: 0 });
    expect(coverage.projects.map((p: { decisionId: string; coverage: string }) => [p.decisionId, p.coverage]).sort()).toEqual([[a.id, 'visited'], [b.id, 'planned']].sort());
    expect(coverage.endingSoon).toEqual([]);
    start = (await office.get('/office').expect(200)).text;
    expect(start).not.toContain(`#project-${a.id}`);
    expect(start).toContain('Kein Projekt endet in den nächsten 30 Tagen ohne Besuch.');
    const page = (await office.get(`/office/calls/${callId}/visits`).expect(200)).text;
    expect(page).toContain(`besucht am ${german(today())} (Jonas Becker, Aylin Şahin)`);
    expect((await office.get(`/office/visits/${planned.id}`).expect(200)).text).toContain('Gut besucht, Plakat mit Stadtlogo.');

    // The organisation sees the days of its project's visits, nothing of the protocol; another organisation nothing.
    const own = (await applicant.get(`/api/v1/decisions/${a.id}/visits`).expect(200)).body;
    expect(own).toEqual([{ id: planned.id, status: 'done', visitOn: today() }]);
    const grantPage = (await applicant.get(`/applications/${a.applicationId}`).expect(200)).text;
    expect(grantPage).toContain(`Besuch am ${german(today())}`);
    expect(grantPage).not.toContain('Plakat mit Stadtlogo');
    const other = t.agent();
    const otherToken = await loginAs(other, DEMO.otherApplicant);
    await other.get(`/api/v1/decisions/${a.id}/visits`).set('X-CSRF-Token', otherToken).expect(404);

    // The visit report: A's report submitted with 37 participants reached.
    await t.dataSource.query(`UPDATE usage_report SET status = 'submitted', submitted_at = now(), participants_total = 37 WHERE decision_id = $1`, [a.id]);
    const [{ expected }] = await t.dataSource.query(`SELECT expected_participants AS expected FROM application WHERE id = $1`, [a.applicationId]);
    const chair = t.agent();
    await loginAs(chair, DEMO.chair);
    const members = (await chair.get('/member').expect(200)).text;
    expect(members).toContain('href="/visit-reports"');
    expect((await chair.get('/visit-reports').expect(200)).text).toContain(`/visit-reports/${callId}/report.pdf`);
    const pdf = await chair.get(`/visit-reports/${callId}/report.pdf`).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('Bericht über die Vor-Ort-Besuche');
    expect(text).toContain(`${refA.r} – ${refA.title}`);
    expect(text).toContain(`Besuch am ${german(today())} durch Jonas Becker, Aylin Şahin`);
    expect(text).toContain(`Teilnehmende geplant ${expected}, erreicht 37`);
    expect(text).toContain('Notizen Gut besucht, Plakat mit Stadtlogo.');
    expect(text).toContain(`${refB.r} – ${refB.title}`);
    expect(text).toContain(`Besuch geplant am ${german(addDays(today(), 30))} (Aylin Şahin)`);
    const api = await office.get(`/api/v1/calls/${callId}/visit-report.pdf`).buffer(true).parse(binary).expect(200);
    expect(await pdfText(api.body as Buffer)).toContain(refA.r);
    // A voting member reads the visit report too, but nothing of the report's or the visit's internals.
    const voter = t.agent();
    await loginAs(voter, DEMO.voting);
    expect(await pdfText((await voter.get(`/visit-reports/${callId}/report.pdf`).buffer(true).parse(binary).expect(200)).body as Buffer)).toContain(refA.r);
    const [{ reportId }] = await t.dataSource.query(`SELECT id AS "reportId" FROM usage_report WHERE decision_id = $1`, [a.id]);
    await voter.get(`/api/v1/usage-reports/${reportId}`).expect(403);
    await voter.get(`/office/reports/${reportId}`).expect(403);
    await voter.get(`/api/v1/decisions/${a.id}/visits`).expect(404);
    await voter.get(`/office/visits/${planned.id}`).expect(403);
    await voter.get(`/api/v1/visits/${planned.id}/photos/${photo.id}`).expect(403);
    await applicant.get(`/api/v1/calls/${callId}/visit-report.pdf`).expect(403);
    await applicant.get('/visit-reports').expect(403);
  }, 120_000);

  it('the pages plan and record a visit and show each error at its field', async () => {
    const { office, officeToken, callId, a } = await fundedCall();
    const form = (path: string, body: Record<string, string>) => office.post(path).type('form').send({ _csrf: officeToken, ...body });
    const bad = await form(`/office/calls/${callId}/visits/${a.id}`, { visitOn: '', staff: '' }).expect(422);
    expect(bad.text).toContain(`href="#f-v-${a.id}-visitOn"`);
    expect(bad.text).toContain(`href="#f-v-${a.id}-staff"`);
    const planned = await form(`/office/calls/${callId}/visits/${a.id}`, { visitOn: today(), staff: 'Jonas Becker' }).expect(303);
    const visitPath = planned.headers.location.split('?')[0];
    expect(visitPath).toMatch(/^\/office\/visits\/[0-9a-f-]{36}$/);
    expect((await form(visitPath, { visitOn: today(), staff: ' ', version: '1' }).expect(422)).text).toContain('href="#f-plan-staff"');
    await form(visitPath, { visitOn: today(), staff: 'Aylin Şahin', version: '1' }).expect(303);
    expect((await form(visitPath, { visitOn: today(), staff: 'Jemand', version: '1' }).expect(409)).text).toContain('in der Zwischenzeit geändert');
    expect((await office.get(visitPath).expect(200)).text).toContain('Aylin Şahin');
    const missing = await form(`${visitPath}/protocol`, { visitOn: today(), 'checklist[activity_as_described]': 'yes', 'checklist[open_to_everyone]': 'sometimes' }).expect(422);
    expect(missing.text).toContain('href="#f-checklist-open_to_everyone"');
    expect(missing.text).toContain('href="#f-checklist-target_group_reached"');
    const body: Record<string, string> = { visitOn: today(), notes: 'Alles wie beantragt.', version: '2' };
    for (const [item, result] of Object.entries(ALL_YES)) body[`checklist[${item}]`] = result;
    await form(`${visitPath}/protocol`, body).expect(303);
    const shown = (await office.get(visitPath).expect(200)).text;
    expect(shown).toContain('Alles wie beantragt.');
    expect(shown).toContain('durchgeführt');
    // The admin reads the pages but does not act.
    const admin = t.agent();
    const adminToken = await loginAs(admin, DEMO.admin);
    await admin.get(`/office/calls/${callId}/visits`).expect(200);
    await admin.post(`/office/calls/${callId}/visits/${a.id}`).type('form').send({ _csrf: adminToken, visitOn: today(), staff: 'X' }).expect(403);
  }, 120_000);
});
