import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { plain } from '../support/text.js';
import { eligibleApplication, PDF_FILE, preparedDraft, scheduledSession } from '../support/applications.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});


const count = async (sql: string, params: unknown[]) => ((await t.dataSource.query(sql, params)) as { n: number }[])[0].n;

/** A submitted application of the demo applicant for which the office asks for changes. */
async function submittedWithChangeRequest() {
  const { agent, token, applicationId } = await preparedDraft(t);
  const submitted = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(200);
  const office = t.agent();
  const officeToken = await loginAs(office, DEMO.office);
  await office.post(`/api/v1/applications/${applicationId}/decision`).set('X-CSRF-Token', officeToken)
    .send({ outcome: 'changes_requested', checks: [], message: 'Bitte die Zielgruppe genauer beschreiben.', replyBy: new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10), version: submitted.body.version })
    .expect(200);
  return { agent, token, applicationId, office, officeToken };
}

describe('deleting a draft and withdrawing an application', () => {
  it('a draft is deleted with its attachments after confirming; only the audit row remains', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    // the application page offers deletion through a confirmation page, not a one-click form
    const page = (await agent.get(`/applications/${applicationId}`).expect(200)).text;
    expect(page).toContain(`href="/applications/${applicationId}/delete"`);
    expect(page).not.toContain(`action="/applications/${applicationId}/withdraw"`);
    const confirm = (await agent.get(`/applications/${applicationId}/delete`).expect(200)).text;
    expect(confirm).toContain('Entwurf löschen?');
    expect(confirm).toContain(`action="/applications/${applicationId}/delete"`);
    expect(await count(`SELECT count(*)::int AS n FROM application WHERE id = $1`, [applicationId])).toBe(1);

    const done = await agent.post(`/applications/${applicationId}/delete`).type('form').send({ _csrf: token }).expect(303);
    expect(done.headers.location).toBe('/applications?notice=application.deleted');
    expect(await count(`SELECT count(*)::int AS n FROM application WHERE id = $1`, [applicationId])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM attachment WHERE application_id = $1`, [applicationId])).toBe(0);
    const [audit] = await t.dataSource.query(`SELECT before FROM audit_event WHERE action = 'application.deleted' AND entity_id = $1`, [applicationId]);
    expect(audit.before).toEqual(expect.objectContaining({ status: 'draft', title: 'Sprachcafé im Quartier' }));
    await agent.get(`/applications/${applicationId}`).expect(404);
  });

  it('API: withdrawing a draft is a 409 that names the state and says to delete it; DELETE removes it', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    const refused = await agent.post(`/api/v1/applications/${applicationId}/withdraw`).set('X-CSRF-Token', token).expect(409);
    expect(refused.body.status).toBe('draft');
    expect(refused.body.message).toContain('gelöscht');
    expect(refused.body.message).toContain('Entwurf');
    await agent.delete(`/api/v1/applications/${applicationId}`).set('X-CSRF-Token', token).expect(204);
    await agent.get(`/api/v1/applications/${applicationId}`).expect(404);
  });

  it('a submitted application cannot be deleted, and is withdrawn after confirming', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(200);
    const refused = await agent.delete(`/api/v1/applications/${applicationId}`).set('X-CSRF-Token', token).expect(409);
    expect(refused.body.status).toBe('submitted');
    await agent.get(`/applications/${applicationId}/delete`).expect(409);

    const page = (await agent.get(`/applications/${applicationId}`).expect(200)).text;
    expect(page).toContain(`href="/applications/${applicationId}/withdraw"`);
    expect(page).not.toContain(`action="/applications/${applicationId}/withdraw"`);
    const confirm = (await agent.get(`/applications/${applicationId}/withdraw`).expect(200)).text;
    expect(confirm).toContain('Antrag zurückziehen?');
    await agent.post(`/applications/${applicationId}/withdraw`).type('form').send({ _csrf: token }).expect(303);
    const [row] = await t.dataSource.query(`SELECT status FROM application WHERE id = $1`, [applicationId]);
    expect(row.status).toBe('withdrawn');
  });

  it('another organisation cannot delete the draft (404)', async () => {
    const { applicationId } = await preparedDraft(t);
    const other = t.agent();
    const token = await loginAs(other, DEMO.otherApplicant);
    await other.delete(`/api/v1/applications/${applicationId}`).set('X-CSRF-Token', token).expect(404);
    await other.post(`/applications/${applicationId}/delete`).type('form').send({ _csrf: token }).expect(404);
    expect(await count(`SELECT count(*)::int AS n FROM application WHERE id = $1`, [applicationId])).toBe(1);
  });
});

describe('reviewing before submitting', () => {
  it('"save and review" leads to a page with the whole application and the submit button; nothing is submitted before', async () => {
    const { agent, token, applicationId, call } = await preparedDraft(t);
    const show = (await agent.get(`/applications/${applicationId}`).expect(200)).text;
    expect(show).not.toContain(`action="/applications/${applicationId}/submit"`);
    expect(show).toContain(`href="/applications/${applicationId}/review"`);

    const edit = (await agent.get(`/api/v1/applications/${applicationId}`).expect(200)).body.application;
    const saved = await agent.post(`/applications/${applicationId}`).type('form').send(formOf(edit, { _csrf: token, action: 'review' })).expect(303);
    expect(saved.headers.location).toBe(`/applications/${applicationId}/review`);
    const [row] = await t.dataSource.query(`SELECT status FROM application WHERE id = $1`, [applicationId]);
    expect(row.status).toBe('draft');

    const review = plain((await agent.get(`/applications/${applicationId}/review`).expect(200)).text);
    for (const text of ['Wöchentliches Sprachcafé mit Kinderbetreuung.', 'Alltagsdeutsch üben, Nachbarschaft stärken.', 'Gesprächsrunden, Spiele, gemeinsame Ausflüge.',
      'Offen für alle, kostenfrei, barrierearmer Raum.', 'Kursleitung 40 Stunden', 'Bürgerstiftung Neuss', '3.500,00 €', '2.800,00 €', 'Satzung.pdf', call.declarations[0], 'Was eingereicht wird', DEMO.applicant]) {
      expect(review).toContain(text);
    }
    expect(review).toContain(`action="/applications/${applicationId}/submit"`);
    await agent.post(`/applications/${applicationId}/submit`).type('form').send({ _csrf: token }).expect(303);
    const [after] = await t.dataSource.query(`SELECT status FROM application WHERE id = $1`, [applicationId]);
    expect(after.status).toBe('submitted');
    await agent.get(`/applications/${applicationId}/review`).expect(409);
  });
});

describe('the finance plan names its sums', () => {
  it('the error and the summary on the form show costs, funds, requested amount and difference', async () => {
    const { agent, token, applicationId } = await preparedDraft(t, { requestedCents: 270_000 });
    const edit = (await agent.get(`/api/v1/applications/${applicationId}`).expect(200)).body.application;
    const res = await agent.post(`/applications/${applicationId}`).type('form').send(formOf(edit, { _csrf: token, action: 'review' })).expect(422);
    const error = plain(res.text).match(/<span class="field-error" id="f-requestedCents-error">([^<]*)<\/span>/)![1];
    for (const amount of ['3.500,00 €', '500,00 €', '200,00 €', '2.700,00 €', '3.400,00 €', 'Es fehlen 100,00 €']) expect(error).toContain(amount);
    const summary = plain(res.text.slice(res.text.indexOf('id="finance-sums"')));
    expect(summary).toContain('data-sum="differenceCents">100,00 €');
    expect(summary).toContain('data-sum="fundsCents">3.400,00 €');
    expect(summary).toContain('aria-live="polite"');
    expect(res.text).toContain('<script src="/static/finance.js" defer></script>');

    const api = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(422);
    expect(plain(api.body.fields.requestedCents[0])).toContain('Es fehlen 100,00 €');
    expect(plain(api.body.fields.requestedCents[0])).toContain('3.500,00 €');
  });

  it('the running total is a static script the page may load', async () => {
    const res = await t.agent().get('/static/finance.js').expect(200);
    expect(res.text).toContain('finance-sums');
  });
});

describe('the attachment form', () => {
  it('labels the field as the type of attachment, with German and English option texts', async () => {
    const { agent, applicationId } = await preparedDraft(t);
    const de = (await agent.get(`/applications/${applicationId}`).expect(200)).text;
    expect(de).toContain('<label for="f-attachmentKind">Art der Anlage');
    expect(de).not.toContain('Art der Mitgliedschaft');
    expect(de).toContain('<option value="other">sonstige Anlage</option>');
    const en = (await agent.get(`/applications/${applicationId}?lang=en`).expect(200)).text;
    expect(en).toContain('<label for="f-attachmentKind">Type of attachment');
    expect(en).toContain('<option value="other">other attachment</option>');
    await agent.get('/applications?lang=de').expect(200);
  });

  it('a file over 10 MB shows the form again with the message at the file field', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    const big = Buffer.concat([PDF_FILE, Buffer.alloc(10 * 1024 * 1024 + 1)]);
    const res = await agent.post(`/applications/${applicationId}/attachments?_csrf=${token}`).field('attachmentKind', 'other').attach('file', big, 'gross.pdf').expect(422);
    expect(res.type).toBe('text/html');
    expect(res.text).toMatch(/<span class="field-error" id="f-file-error">Die Datei ist größer als 10 MB\./);
    expect(res.text).toContain('<option value="other" selected>');
    expect(await count(`SELECT count(*)::int AS n FROM attachment WHERE application_id = $1 AND filename = 'gross.pdf'`, [applicationId])).toBe(0);
    // the API keeps its 413
    await agent.post(`/api/v1/applications/${applicationId}/attachments`).set('X-CSRF-Token', token).field('kind', 'other').attach('file', big, 'gross.pdf').expect(413);
  });
});

describe('what the application page shows', () => {
  it('the applicant sees the project texts and the finance plan, but not the office checklist', async () => {
    const { agent, applicationId } = await eligibleApplication(t);
    const page = plain((await agent.get(`/applications/${applicationId}`).expect(200)).text);
    for (const text of ['Wöchentliches Sprachcafé mit Kinderbetreuung.', 'Alltagsdeutsch üben, Nachbarschaft stärken.', 'Gesprächsrunden, Spiele, gemeinsame Ausflüge.',
      'Offen für alle, kostenfrei, barrierearmer Raum.', 'Kursleitung 40 Stunden', 'Material und Getränke', 'Bürgerstiftung Neuss', '3.500,00 €', '2.800,00 €']) {
      expect(page).toContain(text);
    }
    expect(page).not.toContain('Formale Prüfung der Geschäftsstelle');
    // the texts stand under their own heading, not under a second "Beschreibung"
    const html = (await agent.get(`/applications/${applicationId}`).expect(200)).text;
    expect(html).toContain('<h2>Inhalt des Projekts</h2>');
    expect(html).not.toContain('<h2>Beschreibung</h2>');
    const api = (await agent.get(`/api/v1/applications/${applicationId}`).expect(200)).body.application;
    expect(api.checkList).toEqual({});
  });

  it('members reading an agenda item see the whole application: texts, finance plan and the office check', async () => {
    const { applicationId, callId, office, officeToken } = await eligibleApplication(t);
    await scheduledSession(t, office, officeToken, callId, [applicationId]);
    for (const email of [DEMO.voting, DEMO.advisory, DEMO.chair]) {
      const member = t.agent();
      await loginAs(member, email);
      const page = plain((await member.get(`/applications/${applicationId}`).expect(200)).text);
      for (const text of ['Wöchentliches Sprachcafé mit Kinderbetreuung.', 'Alltagsdeutsch üben, Nachbarschaft stärken.', 'Gesprächsrunden, Spiele, gemeinsame Ausflüge.',
        'Offen für alle, kostenfrei, barrierearmer Raum.', 'Neu zugewanderte Familien', 'Kursleitung 40 Stunden', '3.500,00 €', '2.800,00 €', 'Formale Prüfung der Geschäftsstelle']) {
        expect(page).toContain(text);
      }
    }
  });
});

describe('after the round table has it', () => {
  it('the edit page answers 409 naming the state the applicant sees, and saving is refused the same way', async () => {
    const { agent, token, applicationId, callId, office, officeToken } = await eligibleApplication(t);
    await scheduledSession(t, office, officeToken, callId, [applicationId]);
    await t.dataSource.query(`UPDATE application SET change_request = $2 WHERE id = $1`, [applicationId, JSON.stringify({ message: 'Alte Bitte', replyBy: '2026-01-01', requestedAt: '2025-12-01T10:00:00Z', requestedBy: 'x' })]);
    const res = await agent.get(`/applications/${applicationId}/edit`).expect(409);
    expect(res.text).toContain('kann nicht mehr geändert werden');
    expect(res.text).toContain('in Beratung des Runden Tisches');
    expect(res.text).not.toContain('Alte Bitte');
    const api = await agent.put(`/api/v1/applications/${applicationId}`).set('X-CSRF-Token', token).send({ title: 'x', version: 1 }).expect(409);
    expect(api.body.status).toBe('under_deliberation');
    const resubmit = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(409);
    expect(resubmit.body.status).toBe('under_deliberation');
    await agent.get(`/applications/${applicationId}/review`).expect(409);
    const show = (await agent.get(`/applications/${applicationId}`).expect(200)).text;
    expect(show).not.toContain('Alte Bitte');
    expect(show).not.toContain(`href="/applications/${applicationId}/edit"`);
    // the table's rejection is not revealed by the withdrawal either: it is withdrawn like an approved one
    await t.dataSource.query(`UPDATE application SET status = 'rejected' WHERE id = $1`, [applicationId]);
    const withdraw = await agent.post(`/api/v1/applications/${applicationId}/withdraw`).set('X-CSRF-Token', token).expect(200);
    expect(withdraw.body.status).toBe('withdrawn');
    expect(withdraw.body).not.toHaveProperty('machineSnapshot');
  });

  it('the change-request banner shows on the edit page only while the request is open', async () => {
    const { agent, applicationId } = await submittedWithChangeRequest();
    expect((await agent.get(`/applications/${applicationId}/edit`).expect(200)).text).toContain('Bitte die Zielgruppe genauer beschreiben.');
    // a draft that still carries an old request (e.g. data from before) does not show it
    await t.dataSource.query(`UPDATE application SET status = 'draft' WHERE id = $1`, [applicationId]);
    expect((await agent.get(`/applications/${applicationId}/edit`).expect(200)).text).not.toContain('Bitte die Zielgruppe genauer beschreiben.');
  });
});

describe('answering a change request', () => {
  it('the reply is kept with the submitted version, audited, and shown to the office and in the history', async () => {
    const { agent, token, applicationId, office } = await submittedWithChangeRequest();

    const review = (await agent.get(`/applications/${applicationId}/review`).expect(200)).text;
    expect(review).toContain('<textarea id="f-replyMessage" name="replyMessage"');
    const tooLong = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).send({ replyMessage: 'x'.repeat(5001) }).expect(422);
    expect(Object.keys(tooLong.body.fields)).toEqual(['replyMessage']);
    const tooLongPage = await agent.post(`/applications/${applicationId}/submit`).type('form').send({ _csrf: token, replyMessage: 'x'.repeat(5001) }).expect(422);
    expect(tooLongPage.text).toContain('<span class="field-error" id="f-replyMessage-error">Der Text ist zu lang.');
    expect(tooLongPage.text).toContain('<a href="#f-replyMessage">');

    const reply = 'Die Zielgruppe sind Familien mit Kindern unter sechs Jahren.';
    await agent.post(`/applications/${applicationId}/submit`).type('form').send({ _csrf: token, replyMessage: reply }).expect(303);
    const [version] = await t.dataSource.query(`SELECT reply_message FROM application_version WHERE application_id = $1 AND number = 2`, [applicationId]);
    expect(version.reply_message).toBe(reply);
    const [audit] = await t.dataSource.query(`SELECT after FROM audit_event WHERE action = 'application.submitted' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [applicationId]);
    expect(audit.after.replyMessage).toBe(reply);

    expect((await office.get(`/office/applications/${applicationId}`).expect(200)).text).toContain(reply);
    expect((await agent.get(`/applications/${applicationId}`).expect(200)).text).toContain(reply);
    const versions = (await agent.get(`/api/v1/applications/${applicationId}`).expect(200)).body.versions;
    expect(versions.map((v: { replyMessage: string | null }) => v.replyMessage)).toEqual([null, reply]);
  });
});

/** The application as the edit form would post it (amounts in euros, rows as costLines[0][amountCents]), URL-encoded. */
function formOf(application: Record<string, unknown>, extra: Record<string, string>): string {
  const euro = (cents: unknown) => (cents === null || cents === undefined ? '' : (Number(cents) / 100).toFixed(2).replace('.', ','));
  const form = new URLSearchParams(extra);
  for (const key of ['version', 'title', 'fieldOfAction', 'targetGroup', 'district', 'startDate', 'endDate', 'description', 'goals', 'methods', 'expectedParticipants', 'openness']) {
    form.append(key, application[key] === null ? '' : String(application[key]));
  }
  form.append('ownFundsCents', euro(application.ownFundsCents));
  form.append('requestedCents', euro(application.requestedCents));
  for (const list of ['costLines', 'thirdParty']) {
    (application[list] as Record<string, unknown>[]).forEach((row, i) => {
      for (const [name, value] of Object.entries(row)) form.append(`${list}[${i}][${name}]`, name === 'amountCents' ? euro(value) : String(value));
    });
  }
  for (const declaration of application.declarations as string[]) form.append('declarations', declaration);
  return form.toString();
}
