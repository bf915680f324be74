import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { berlinDay } from '../../src/common/dates.js';
import { centsToEuroInput } from '../../src/common/money.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { plain } from '../support/text.js';
import { binary } from '../support/applications.js';
import { decidedTable, decisions, releasedAward } from '../support/awards.js';
import { pdfText } from '../support/pdf.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const euro = (cents: number) => `${centsToEuroInput(cents)} €`;

describe('the office pages of a call\'s decisions', () => {
  it('office A drafts and completes, B releases; four eyes, bad amounts and conflicts are shown on the page; members read without names or buttons', async () => {
    const { office, officeToken, second, secondToken, callId, voters } = await decidedTable(t, 2, 1);
    const member = voters[0].agent;
    const page = `/office/calls/${callId}/decisions`;

    // Before drafting: the ledger and the steps, nothing to release yet.
    const empty = plain((await office.get(page).expect(200)).text);
    expect(empty).toContain('<h2 id="ledger">Haushaltsmittel des Förderaufrufs</h2>');
    expect(empty).toContain(`action="/office/calls/${callId}/decisions"`);
    expect(empty).toContain('Bescheide entwerfen');
    expect(empty).toContain('Ablehnungen für die Nachrückliste entwerfen');
    expect(empty).toContain('Es gibt keine Entwürfe.');
    const budget = (await decisions(office, callId)).ledger.budgetCents;
    expect(empty).toContain(`<dt>Budget</dt><dd>${euro(budget)}</dd>`);

    // The office's call page leads to the decisions and the payments.
    const callPage = (await office.get(`/office/calls/${callId}`).expect(200)).text;
    expect(callPage).toContain(`href="${page}"`);
    expect(callPage).toContain(`href="/office/calls/${callId}/payments"`);

    const drafted = await office.post(page).type('form').send({ _csrf: officeToken }).expect(303);
    expect(drafted.headers.location).toBe(`${page}?notice=decisions.drafted`);
    const again = await office.post(page).type('form').send({ _csrf: officeToken }).expect(303);
    expect(again.headers.location).toBe(`${page}?notice=decisions.nothingDrafted`);
    const waiting = await office.post(`${page}/waiting-list`).type('form').send({ _csrf: officeToken }).expect(303);
    expect(waiting.headers.location).toBe(`${page}?notice=decisions.waitingListEmpty`);
    const { decisions: drafts } = await decisions(office, callId);
    const [award, otherAward] = drafts.filter((d) => d.kind === 'award');
    const rejection = drafts.find((d) => d.kind === 'rejection')!;

    // A drafted them: A's button is off with the reason beside it, B's is a form.
    const forA = plain((await office.get(`${page}?notice=decisions.drafted`).expect(200)).text);
    expect(forA).toContain('Die Bescheide sind entworfen.');
    expect(forA).toContain('Entwürfe: ergänzen und freigeben (3)');
    expect(forA).toContain(`<button type="button" disabled aria-describedby="four-eyes-${award.id}">Freigeben und versenden`);
    expect(forA).toContain('Vier-Augen-Prinzip: eine andere Person gibt frei.');
    expect(forA).not.toContain(`action="/office/decisions/${award.id}/release"`);
    expect(forA).toContain(`href="/office/decisions/${award.id}/preview.pdf"`);
    expect(forA).toContain('Vom Runden Tisch abgelehnt');
    expect(forA).toContain('Entworfen von');
    const forB = (await second.get(page).expect(200)).text;
    expect(forB).toContain(`action="/office/decisions/${award.id}/release"`);
    expect(forB).not.toContain(`four-eyes-${award.id}`);

    // A posting the release anyway gets the page with the reason, and nothing is released.
    const refused = await office.post(`/office/decisions/${award.id}/release`).type('form').send({ _csrf: officeToken }).expect(403);
    expect(refused.text).toContain('<div class="error-summary" role="alert"');
    expect(refused.text).toContain('Vier-Augen-Prinzip: Einen Bescheid gibt eine andere Person frei als die, die ihn entworfen hat.');
    expect(refused.text).toContain('<h1>Bescheide');
    expect((await decisions(office, callId)).decisions.find((d) => d.id === award.id)!.status).toBe('draft');

    // The call is not decided while drafts are open: the 409 is said on the page.
    await t.dataSource.query(`UPDATE funding_call SET status = 'in_review' WHERE id = $1`, [callId]);
    const early = await office.post(`/office/calls/${callId}/decide`).type('form').send({ _csrf: officeToken }).expect(409);
    expect(early.text).toContain('Der Förderaufruf kann erst als entschieden gelten, wenn zu jedem beratenen Antrag ein Bescheid freigegeben ist.');

    // Completing a draft: amounts in euros; a bad or too high amount is named at its field.
    const edit = `/office/decisions/${award.id}`;
    const form = plain((await office.get(edit).expect(200)).text);
    expect(form).toContain(`value="${centsToEuroInput(award.amountCents)}"`);
    expect(form).toContain(`href="/office/decisions/${award.id}/preview.pdf"`);
    const [{ version }] = await t.dataSource.query(`SELECT version FROM decision WHERE id = $1`, [award.id]);
    const fields = { _csrf: officeToken, version, purpose: 'Sprachcafé im Quartier', reportDueOn: '2028-06-30', specialConditions: '' };
    const bad = await office.post(edit).type('form').send({ ...fields, amountCents: '12,3,4' }).expect(422);
    expect(bad.text).toMatch(/<span class="field-error" id="f-amountCents-error">[^<]+<\/span>/);
    expect(bad.text).toContain('href="#f-amountCents"');
    expect(bad.text).toContain('value="12,3,4"');
    const above = await office.post(edit).type('form').send({ ...fields, amountCents: centsToEuroInput(award.amountCents! + 100) }).expect(422);
    expect(above.text).toContain('Der Betrag darf nicht über dem Betrag liegen, der in der bestätigten Mittelverteilung vorgesehen ist.');
    const emptied = await office.post(edit).type('form').send({ ...fields, amountCents: '', purpose: ' ' }).expect(422);
    expect(emptied.text).toContain('id="f-amountCents-error"');
    expect(emptied.text).toContain('id="f-purpose-error"');
    const lower = award.amountCents! - 10_000;
    const saved = await office.post(edit).type('form')
      .send({ ...fields, amountCents: centsToEuroInput(lower), specialConditions: 'Teilnehmendenlisten beifügen.\r\n\r\n  Fotos nur mit Einwilligung. ' }).expect(303);
    expect(saved.headers.location).toBe(`${edit}?notice=saved`);
    const [row] = await t.dataSource.query(`SELECT amount_cents::float8 AS cents, special_conditions AS conditions, report_due_on::text AS due FROM decision WHERE id = $1`, [award.id]);
    expect(row).toEqual({ cents: lower, conditions: ['Teilnehmendenlisten beifügen.', 'Fotos nur mit Einwilligung.'], due: '2028-06-30' });
    // The page was changed meanwhile: the stale version is a 409 on the form.
    const stale = await office.post(edit).type('form').send({ ...fields, amountCents: centsToEuroInput(lower) }).expect(409);
    expect(stale.text).toContain('Der Bescheid wurde inzwischen geändert');
    // Malformed form bodies are refused at their field, never a 500, and change nothing.
    const [{ version: current }] = await t.dataSource.query(`SELECT version FROM decision WHERE id = $1`, [award.id]);
    const valid = `_csrf=${officeToken}&version=${current}&purpose=Zweck&reportDueOn=2028-06-30&amountCents=100`;
    for (const [body, field] of [
      ['amountCents[]=1', 'amountCents'], ['amountCents=1e20', 'amountCents'], ['amountCents=99999999999999999999', 'amountCents'], ['amountCents=-5', 'amountCents'],
      ['version=abc', 'version'], ['version=99999999999', 'version'], ['purpose[]=x', 'purpose'], ['reportDueOn=2027-02-30', 'reportDueOn'],
      ['specialConditions[a][b]=x', 'specialConditions'], [`specialConditions=${encodeURIComponent(Array.from({ length: 21 }, (_, i) => `Bedingung ${i}`).join('\n'))}`, 'specialConditions'],
      [`purpose=${'x'.repeat(2001)}`, 'purpose'],
    ] as const) {
      const res = await office.post(edit).type('form').send(`${valid}&${body}`);
      expect([res.status, field, res.text.includes(`id="f-${field}-error"`) || field === 'version']).toEqual([422, field, true]);
    }
    const [unchanged] = await t.dataSource.query(`SELECT amount_cents::float8 AS cents, version FROM decision WHERE id = $1`, [award.id]);
    expect(unchanged).toEqual({ cents: lower, version: current });
    // A rejection takes a note only.
    const note = await office.post(`/office/decisions/${rejection.id}`).type('form').send({ _csrf: officeToken, version: 1, reasonNote: 'Das Projekt lag außerhalb der Handlungsfelder.' }).expect(303);
    expect(note.headers.location).toBe(`/office/decisions/${rejection.id}?notice=saved`);
    const preview = await office.get(`/office/decisions/${award.id}/preview.pdf`).buffer(true).parse(binary).expect(200);
    expect(preview.headers['content-type']).toBe('application/pdf');
    expect(await pdfText(preview.body as Buffer)).toContain('Fotos nur mit Einwilligung.');

    // B releases all three; the ledger commits the awards.
    for (const d of [award, otherAward, rejection]) {
      const released = await second.post(`/office/decisions/${d.id}/release`).type('form').send({ _csrf: secondToken }).expect(303);
      expect(released.headers.location).toBe(`${page}?notice=decisions.released`);
    }
    const twice = await second.post(`/office/decisions/${award.id}/release`).type('form').send({ _csrf: secondToken }).expect(409);
    expect(twice.text).toContain('bereits freigegeben und versandt');
    await eventually(async () => (await decisions(office, callId)).decisions.every((d) => d.letterIssued), 20_000, 'letters issued');
    const after = plain((await office.get(page).expect(200)).text);
    expect(after).toContain('Es gibt keine Entwürfe.');
    expect(after).toContain('Bewilligungen: versandt, noch nicht bestandskräftig (2)');
    expect(after).toContain('Ablehnungen: versandt (1)');
    expect(after).toContain(`<dt>Gebunden (freigegebene Bewilligungen)</dt><dd>${euro(lower + otherAward.amountCents!)}</dd>`);
    expect(after).toContain(`href="/office/decisions/${award.id}/letter.pdf"`);
    const [{ name: releaser }] = await t.dataSource.query(`SELECT full_name AS name FROM app_user WHERE email = $1`, [DEMO.secondOffice]);
    expect(after).toContain(`<td>${releaser}</td>`);
    const letter = await office.get(`/office/decisions/${award.id}/letter.pdf`).buffer(true).parse(binary).expect(200);
    const [{ sha256 }] = await t.dataSource.query(`SELECT sha256 FROM decision_letter WHERE decision_id = $1`, [award.id]);
    expect(letter.headers['x-content-sha256']).toBe(sha256);
    expect(await pdfText(letter.body as Buffer)).toContain('Zuwendungsbescheid');
    // A released decision is no longer a form.
    const done = (await office.get(edit).expect(200)).text;
    expect(done).not.toContain(`action="/office/decisions/${award.id}"`);
    expect(done).toContain('Teilnehmendenlisten beifügen.');

    // A member of the round table reads the same page: no buttons, no names, the letters.
    const read = plain((await member.get(page).expect(200)).text);
    expect(read).toContain('Sie sehen die Bescheide zur Information.');
    expect(read).toContain('Bewilligungen: versandt, noch nicht bestandskräftig (2)');
    expect(read).toContain(`href="/office/decisions/${award.id}/letter.pdf"`);
    expect(read).not.toContain('Entworfen von');
    expect(read).not.toContain('Bescheide entwerfen');
    expect(read).not.toMatch(/<form method="post" action="\/office/);
    await member.get(`/office/decisions/${award.id}/letter.pdf`).expect(200);
    await member.get(edit).expect(403);
    await member.post(page).type('form').send({ _csrf: voters[0].token }).expect(403);
    await member.get(`/office/calls/${callId}/payments`).expect(403);
    // The ranking page leads members to the decisions.
    expect((await member.get(`/calls/${callId}/ranking`).expect(200)).text).toContain(`href="${page}"`);
    // The applicant has no business here.
    const applicant = t.agent();
    await loginAs(applicant, DEMO.applicant);
    await applicant.get(page).expect(403);

    // Every decision released: the call is decided.
    const decided = await office.post(`/office/calls/${callId}/decide`).type('form').send({ _csrf: officeToken }).expect(303);
    expect(decided.headers.location).toBe(`${page}?notice=decisions.callDecided`);
    const [{ status }] = await t.dataSource.query(`SELECT status FROM funding_call WHERE id = $1`, [callId]);
    expect(status).toBe('decided');

    // The same page in English.
    const english = (await member.get(`${page}?lang=en`).expect(200)).text;
    expect(english).toContain('Budget of the call');
    expect(english).toContain('Awards: sent, not yet final (2)');
    // The next test applies to the demo call again.
    await t.dataSource.query(`UPDATE funding_call SET status = 'published' WHERE id = $1`, [callId]);
  }, 240_000);
});

describe('the office pages of payments and exports', () => {
  it('A confirms, B orders; A is refused with the reason; a request is refused with a reason; the export and both files are read back', async () => {
    const { award, applicant, applicantToken, office, officeToken, second, secondToken, callId } = await releasedAward(t);
    await applicant.post(`/api/v1/decisions/${award.id}/acceptance`).set('X-CSRF-Token', applicantToken).send({ waive: false }).expect(200);
    const request = async (amountCents: number, purpose: string) =>
      (await applicant.post(`/api/v1/decisions/${award.id}/payments`).set('X-CSRF-Token', applicantToken).send({ amountCents, neededOn: berlinDay(new Date()), purpose }).expect(201)).body.id as string;
    const first = await request(50_000, 'Honorare Februar');
    const page = `/office/calls/${callId}/payments`;

    const listed = plain((await office.get(page).expect(200)).text);
    expect(listed).toContain('Neu abgerufen: sachlich richtig bestätigen (1)');
    expect(listed).toContain('Honorare Februar');
    expect(listed).toContain('500,00 €');
    expect(listed).toContain(`action="${page}/${first}/confirm"`);
    expect(listed).toContain(`action="${page}/${first}/reject"`);
    // The administrator reads the worklist without buttons.
    const admin = t.agent();
    const adminToken = await loginAs(admin, DEMO.admin);
    const adminView = (await admin.get(page).expect(200)).text;
    expect(adminView).toContain('Honorare Februar');
    expect(adminView).not.toContain(`action="${page}/${first}/confirm"`);
    await admin.post(`${page}/${first}/confirm`).type('form').send({ _csrf: adminToken }).expect(403);

    const confirmed = await office.post(`${page}/${first}/confirm`).type('form').send({ _csrf: officeToken }).expect(303);
    expect(confirmed.headers.location).toBe(`${page}?notice=payments.confirmed`);
    const forA = (await office.get(page).expect(200)).text;
    expect(forA).toContain(`<button type="button" disabled aria-describedby="four-eyes-${first}">Auszahlung anordnen`);
    expect(forA).toContain('Vier-Augen-Prinzip: Sie haben den Abruf bestätigt; eine andere Person ordnet die Auszahlung an.');
    const refused = await office.post(`${page}/${first}/release`).type('form').send({ _csrf: officeToken }).expect(403);
    expect(refused.text).toContain('Vier-Augen-Prinzip: Die Auszahlung ordnet eine andere Person an als die, die den Abruf als sachlich richtig bestätigt hat.');
    const again = await office.post(`${page}/${first}/confirm`).type('form').send({ _csrf: officeToken }).expect(409);
    expect(again.text).toContain('Nur ein neu abgerufener Betrag kann als sachlich richtig bestätigt werden');
    expect((await second.get(page).expect(200)).text).toContain(`action="${page}/${first}/release"`);
    const released = await second.post(`${page}/${first}/release`).type('form').send({ _csrf: secondToken }).expect(303);
    expect(released.headers.location).toBe(`${page}?notice=payments.released`);
    const payout = plain((await second.get(page).expect(200)).text);
    expect(payout).toContain('Angeordnete Auszahlungen (1)');
    expect(payout).toContain(`Wertstellung am ${berlinDay(new Date()).split('-').reverse().join('.')}`);
    expect(payout).toContain('Noch nicht exportiert');

    // Refusing needs a reason, asked for at the field of that row.
    const other = await request(20_000, 'Raummiete');
    const noReason = await office.post(`${page}/${other}/reject`).type('form').send({ _csrf: officeToken, reason: '' }).expect(422);
    expect(noReason.text).toContain(`id="f-r-${other}-reason-error"`);
    expect(noReason.text).toContain(`href="#f-r-${other}-reason"`);
    expect(noReason.text).toMatch(/<details open>/);
    for (const body of ['reason[]=x', 'reason[a][b]=x', `reason=${'x'.repeat(2001)}`, 'reason=a%00b']) {
      expect((await office.post(`${page}/${other}/reject`).type('form').send(`_csrf=${officeToken}&${body}`)).status).toBe(422);
    }
    await office.post(`${page}/not-a-uuid/reject`).type('form').send({ _csrf: officeToken, reason: 'x' }).expect(404);
    await office.get(`/office/calls/not-a-uuid/payments`).expect(404);
    await office.get(`/office/decisions/00000000-0000-0000-0000-000000000000`).expect(404);
    const rejected = await office.post(`${page}/${other}/reject`).type('form').send({ _csrf: officeToken, reason: 'Belege fehlen' }).expect(303);
    expect(rejected.headers.location).toBe(`${page}?notice=payments.rejected`);
    const afterReject = (await office.get(page).expect(200)).text;
    expect(afterReject).toContain('Abgelehnte Abrufe (1)');
    expect(afterReject).toContain('Belege fehlen');
    // A payment of another call, or none: 404.
    await office.post(`${page}/00000000-0000-0000-0000-000000000000/confirm`).type('form').send({ _csrf: officeToken }).expect(404);

    // The exports: the nav leads there; one export takes the payout, a second finds nothing.
    const exportsPage = '/office/payment-exports';
    expect((await office.get('/office').expect(200)).text).toContain(`href="${exportsPage}"`);
    expect((await applicant.get('/applications').expect(200)).text).not.toContain(`href="${exportsPage}"`);
    // The demo year's exports are listed already; this test's export is the one made now.
    const exportsBefore: { id: string }[] = await t.dataSource.query(`SELECT id FROM payment_export`);
    await office.get(exportsPage).expect(200);
    const made = await office.post(exportsPage).type('form').send({ _csrf: officeToken }).expect(303);
    expect(made.headers.location).toBe(`${exportsPage}?notice=payments.exported`);
    const nothing = await office.post(exportsPage).type('form').send({ _csrf: officeToken }).expect(409);
    expect(nothing.text).toContain('Es gibt keine angeordneten Auszahlungen, die noch nicht exportiert sind.');
    const [exported] = await t.dataSource.query(`SELECT id FROM payment_export WHERE NOT (id = ANY($1::uuid[]))`, [exportsBefore.map((e) => e.id)]);
    const list = plain((await office.get(exportsPage).expect(200)).text);
    expect(list).toContain('500,00 €');
    expect(list).toContain(`href="${exportsPage}/${exported.id}/payments.csv"`);
    expect(list).toContain(`href="${exportsPage}/${exported.id}/sepa.xml"`);
    expect((await admin.get(exportsPage).expect(200)).text).not.toContain(`action="${exportsPage}"`);
    expect((await office.get(page).expect(200)).text).toContain('An die Stadtkasse exportiert');

    const [{ iban, reference }] = await t.dataSource.query(
      `SELECT o.iban, a.reference_number AS reference FROM decision d JOIN application a ON a.id = d.application_id JOIN organisation o ON o.id = a.organisation_id WHERE d.id = $1`,
      [award.id],
    );
    const csv = await office.get(`${exportsPage}/${exported.id}/payments.csv`).buffer(true).parse(binary).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const csvText = (csv.body as Buffer).toString('utf8');
    expect(csvText).toContain(iban);
    expect(csvText).toContain(reference);
    expect(csvText).toContain('500,00');
    const sepa = await office.get(`${exportsPage}/${exported.id}/sepa.xml`).buffer(true).parse(binary).expect(200);
    const xml = new XMLParser({ removeNSPrefix: true }).parse((sepa.body as Buffer).toString('utf8'));
    const header = Object.values(xml.Document)[0] as { GrpHdr: { NbOfTxs: number; CtrlSum: number } };
    expect(header.GrpHdr).toMatchObject({ NbOfTxs: 1, CtrlSum: 500 });
    const sepaAgain = await admin.get(`${exportsPage}/${exported.id}/sepa.xml`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(sepaAgain.body as Buffer, sepa.body as Buffer)).toBe(0);
    await applicant.get(`${exportsPage}/${exported.id}/sepa.xml`).expect(403);
    await office.get(`${exportsPage}/00000000-0000-0000-0000-000000000000/payments.csv`).expect(404);
  }, 240_000);
});
