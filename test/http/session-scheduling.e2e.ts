import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Email } from 'postal-mime';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { ALL_CHECKS, preparedDraft } from '../support/applications.js';
import { pdfText } from '../support/pdf.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

let t: TestApp;
let smtp: TestSmtp;
const DAY = 86_400_000;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url } });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

/** The office with `count` eligible applications of the demo call. */
async function eligibleApplications(count: number) {
  const office = t.agent();
  const officeToken = await loginAs(office, DEMO.office);
  const applications: string[] = [];
  let callId = '';
  for (let i = 0; i < count; i++) {
    const draft = await preparedDraft(t);
    callId = draft.callId;
    const submitted = await draft.agent.post(`/api/v1/applications/${draft.applicationId}/submit`).set('X-CSRF-Token', draft.token).expect(200);
    await office.post(`/api/v1/applications/${draft.applicationId}/decision`).set('X-CSRF-Token', officeToken).send({ outcome: 'eligible', checks: ALL_CHECKS, version: submitted.body.version }).expect(200);
    applications.push(draft.applicationId);
  }
  return { office, officeToken, applications, callId };
}

async function statusOf(applicationId: string): Promise<string> {
  const [row] = await t.dataSource.query(`SELECT status FROM application WHERE id = $1`, [applicationId]);
  return row.status;
}

/** Waits until the mail queue has sent everything queued so far. */
async function allMailsSent(): Promise<void> {
  await eventually(async () => {
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND state <> 'completed'`);
    return n === 0;
  }, 30_000);
}

const textOf = (mail: Email) => (mail.text ?? '').replace(/\s+/g, ' ');
const forSession = (sessionId: string, subject: string) => (mail: Email) => mail.subject?.startsWith(subject) === true && (mail.text ?? '').includes(sessionId);

describe('the office schedules, moves and cancels sessions', () => {
  it('refuses a date in the past, in the API and in the form, and writes nothing', async () => {
    const { office, officeToken, applications, callId } = await eligibleApplications(1);
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM council_session`);

    const api = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
      .send({ callId, scheduledAt: new Date(Date.now() - 60_000).toISOString(), place: 'Rathaus Neuss', applicationIds: applications }).expect(422);
    expect(api.body.fields).toEqual({ scheduledAt: [expect.stringContaining('Zukunft')] });

    const yesterday = berlinDay(new Date(Date.now() - DAY));
    const form = await office.post('/office/sessions').type('form')
      .send({ _csrf: officeToken, callId, date: yesterday, time: '17:00', place: 'Rathaus Neuss, Ratssaal' }).expect(422);
    // The message stands at the date field, and what was typed is kept.
    expect(form.text).toMatch(/id="f-date-error">[^<]*Zukunft/);
    expect(form.text).toContain(`value="${yesterday}"`);
    expect(form.text).toContain('value="Rathaus Neuss, Ratssaal"');

    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM council_session`)).toEqual(before);
    expect(await statusOf(applications[0])).toBe('eligible');
  });

  it('moving a planned session sends a changed invitation that says what changed, with the agenda', async () => {
    const { office, officeToken, applications, callId } = await eligibleApplications(1);
    const when = new Date(Date.now() + 7 * DAY);
    const session = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
      .send({ callId, scheduledAt: when.toISOString(), place: 'Rathaus Neuss, Raum 2.12', applicationIds: applications }).expect(201);
    const sessionId = session.body.id as string;
    await allMailsSent();
    const invited = smtp.messages.filter(forSession(sessionId, 'Einladung')).map((m) => m.to?.[0]?.address).sort();
    expect(invited.length).toBeGreaterThan(3);

    const later = new Date(Date.now() + 14 * DAY);
    // a date in the past and a stale version are refused and change nothing
    const past = await office.patch(`/api/v1/sessions/${sessionId}`).set('X-CSRF-Token', officeToken).send({ scheduledAt: new Date(Date.now() - DAY).toISOString(), version: session.body.version }).expect(422);
    expect(Object.keys(past.body.fields)).toEqual(['scheduledAt']);
    await office.patch(`/api/v1/sessions/${sessionId}`).set('X-CSRF-Token', officeToken).send({ place: 'Zeughaus', version: session.body.version + 1 }).expect(409);

    const moved = await office.patch(`/api/v1/sessions/${sessionId}`).set('X-CSRF-Token', officeToken)
      .send({ scheduledAt: later.toISOString(), place: 'Zeughaus Neuss, Markt 42', version: session.body.version }).expect(200);
    expect(new Date(moved.body.scheduledAt).toISOString()).toBe(later.toISOString());
    expect(moved.body.place).toBe('Zeughaus Neuss, Markt 42');

    const [audit] = await t.dataSource.query(`SELECT before, after FROM audit_event WHERE entity_id = $1 AND action = 'session.updated'`, [sessionId]);
    expect(audit.before.place).toBe('Rathaus Neuss, Raum 2.12');
    expect(audit.after.place).toBe('Zeughaus Neuss, Markt 42');

    const changed = await smtp.waitForMail(forSession(sessionId, 'Geänderte Einladung'));
    const text = textOf(changed);
    expect(text).toContain('Ort: jetzt Zeughaus Neuss, Markt 42 (bisher Rathaus Neuss, Raum 2.12)');
    expect(text).toMatch(/Termin: jetzt \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} Uhr \(bisher \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} Uhr\)/);
    expect(text).not.toContain('Vorsitz: jetzt');
    const agenda = changed.attachments.find((a) => a.filename === 'Tagesordnung.pdf');
    expect(agenda?.mimeType).toBe('application/pdf');
    const agendaText = await pdfText(Buffer.from(agenda!.content as ArrayBuffer));
    expect(agendaText).toContain('Zeughaus Neuss, Markt 42');
    // every member invited is told
    await allMailsSent();
    expect(smtp.messages.filter(forSession(sessionId, 'Geänderte Einladung')).map((m) => m.to?.[0]?.address).sort()).toEqual(invited);

    // the form shows the session as it now stands
    const form = await office.get(`/office/sessions/${sessionId}/edit`).expect(200);
    expect(form.text).toContain(`value="${berlinDay(later)}"`);
    expect(form.text).toContain('value="Zeughaus Neuss, Markt 42"');
  });

  it('the edit form keeps what was typed and shows the message at the field', async () => {
    const { office, officeToken, applications, callId } = await eligibleApplications(1);
    const session = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
      .send({ callId, scheduledAt: new Date(Date.now() + 7 * DAY).toISOString(), place: 'Rathaus Neuss', applicationIds: applications }).expect(201);
    const res = await office.post(`/office/sessions/${session.body.id}/edit`).type('form')
      .send({ _csrf: officeToken, date: berlinDay(new Date(Date.now() - 2 * DAY)), time: '18:30', place: 'Stadthalle', chairMemberId: '', version: String(session.body.version) }).expect(422);
    expect(res.text).toMatch(/id="f-date-error">[^<]*Zukunft/);
    expect(res.text).toContain('value="18:30"');
    expect(res.text).toContain('value="Stadthalle"');
    const [row] = await t.dataSource.query(`SELECT place FROM council_session WHERE id = $1`, [session.body.id]);
    expect(row.place).toBe('Rathaus Neuss');
  });

  it('cancelling tells the members why, returns the applications to eligible, and the session takes no further changes', async () => {
    const { office, officeToken, applications, callId } = await eligibleApplications(2);
    const session = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
      .send({ callId, scheduledAt: new Date(Date.now() + 7 * DAY).toISOString(), place: 'Rathaus Neuss, Raum 2.12', applicationIds: applications }).expect(201);
    const sessionId = session.body.id as string;
    expect(await statusOf(applications[0])).toBe('on_agenda');
    await allMailsSent();
    const invited = smtp.messages.filter(forSession(sessionId, 'Einladung')).map((m) => m.to?.[0]?.address).sort();

    const noReason = await office.post(`/api/v1/sessions/${sessionId}/cancel`).set('X-CSRF-Token', officeToken).send({ reason: ' ' }).expect(422);
    expect(Object.keys(noReason.body.fields)).toEqual(['reason']);
    // members cannot cancel
    const member = t.agent();
    const memberToken = await loginAs(member, DEMO.voting);
    await member.post(`/api/v1/sessions/${sessionId}/cancel`).set('X-CSRF-Token', memberToken).send({ reason: 'Keine Lust' }).expect(403);

    const reason = 'Der Ratssaal steht nicht zur Verfügung; Termin & Ort folgen.';
    const cancelled = await office.post(`/api/v1/sessions/${sessionId}/cancel`).set('X-CSRF-Token', officeToken).send({ reason }).expect(200);
    expect(cancelled.body).toEqual(expect.objectContaining({ status: 'cancelled', cancellationReason: reason }));
    for (const id of applications) expect(await statusOf(id)).toBe('eligible');

    const audit = await t.dataSource.query(
      `SELECT action, entity_id AS "entityId", after FROM audit_event WHERE action IN ('session.cancelled', 'application.take_off_agenda') AND (entity_id = $1 OR entity_id = ANY($2)) ORDER BY id`,
      [sessionId, applications],
    );
    expect(audit.map((a: { action: string }) => a.action).sort()).toEqual(['application.take_off_agenda', 'application.take_off_agenda', 'session.cancelled']);
    expect(audit.find((a: { action: string }) => a.action === 'session.cancelled').after.reason).toBe(reason);

    const mail = await smtp.waitForMail((m) => m.subject?.startsWith('Abgesagt') === true && (m.text ?? '').includes(reason));
    expect(textOf(mail)).toContain('Ort: Rathaus Neuss, Raum 2.12');
    await allMailsSent();
    expect(smtp.messages.filter((m) => m.subject?.startsWith('Abgesagt') && (m.text ?? '').includes(reason)).map((m) => m.to?.[0]?.address).sort()).toEqual(invited);

    // no further changes: 409 naming the state
    const again = await office.post(`/api/v1/sessions/${sessionId}/cancel`).set('X-CSRF-Token', officeToken).send({ reason }).expect(409);
    expect(again.body.status).toBe('cancelled');
    await office.patch(`/api/v1/sessions/${sessionId}`).set('X-CSRF-Token', officeToken).send({ place: 'Zeughaus', version: cancelled.body.version }).expect(409);
    await office.post(`/api/v1/sessions/${sessionId}/open`).set('X-CSRF-Token', officeToken).expect(409);
    const members = (await office.get('/api/v1/round-table/members').expect(200)).body as { id: string }[];
    await office.put(`/api/v1/sessions/${sessionId}/attendance`).set('X-CSRF-Token', officeToken).send({ memberId: members[0].id, present: true }).expect(409);
    const [item] = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items;
    await office.post(`/api/v1/agenda-items/${item.id}/conflicts`).set('X-CSRF-Token', officeToken).send({ memberId: members[0].id, reason: 'Vorstand' }).expect(409);
    await office.get(`/office/sessions/${sessionId}/edit`).expect(409);

    // the applications can go on the agenda of a new session
    const next = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
      .send({ callId, scheduledAt: new Date(Date.now() + 21 * DAY).toISOString(), place: 'Rathaus Neuss', applicationIds: applications }).expect(201);
    expect((await office.get(`/api/v1/sessions/${next.body.id}`).expect(200)).body.items.map((i: { applicationId: string }) => i.applicationId).sort()).toEqual([...applications].sort());
  });
});

describe('sessions change applications only through the applications capability', () => {
  it('a withdrawal committed while the vote on the item is being closed is not overwritten', async () => {
    const { office, officeToken, applications, callId } = await eligibleApplications(1);
    const session = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
      .send({ callId, scheduledAt: new Date(Date.now() + 60_000).toISOString(), place: 'Rathaus Neuss', applicationIds: applications }).expect(201);
    const sessionId = session.body.id as string;
    const members = (await office.get('/api/v1/round-table/members').expect(200)).body as { id: string; votingRight: string; kind: string }[];
    const present = members.filter((m) => m.votingRight === 'voting' && m.kind === 'member').slice(0, 10);
    for (const m of present) await office.put(`/api/v1/sessions/${sessionId}/attendance`).set('X-CSRF-Token', officeToken).send({ memberId: m.id, present: true }).expect(204);
    await office.post(`/api/v1/sessions/${sessionId}/open`).set('X-CSRF-Token', officeToken).expect(200);
    const [item] = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items;
    await office.post(`/api/v1/agenda-items/${item.id}/open`).set('X-CSRF-Token', officeToken).expect(200);
    for (const m of present) await office.post(`/api/v1/agenda-items/${item.id}/votes`).set('X-CSRF-Token', officeToken).send({ choice: 'yes', memberId: m.id }).expect(201);

    // The applicant's withdrawal holds the application's row while the chair closes the vote.
    const withdrawal = t.dataSource.createQueryRunner();
    await withdrawal.connect();
    await withdrawal.startTransaction();
    await withdrawal.query(`UPDATE application SET status = 'withdrawn', withdrawn_at = now() WHERE id = $1`, [applications[0]]);
    const closing = office.post(`/api/v1/agenda-items/${item.id}/close`).set('X-CSRF-Token', officeToken).send({}).then((res) => res);
    await eventually(async () => {
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      return n > 0;
    });
    await withdrawal.commitTransaction();
    await withdrawal.release();

    const closed = await closing;
    expect(closed.status).toBe(409);
    expect(closed.body.status).toBe('withdrawn');
    expect(await statusOf(applications[0])).toBe('withdrawn');
    const [row] = await t.dataSource.query(`SELECT status FROM agenda_item WHERE id = $1`, [item.id]);
    expect(row.status).toBe('open');
  });
});

describe('the ranking before any award', () => {
  it('page, CSV and PDF show the same rounded ratings, and no column claims an amount is granted', async () => {
    const { office, officeToken, applications, callId } = await eligibleApplications(1);
    await t.dataSource.query(`UPDATE funding_call SET importance_weight = 1, urgency_weight = 1 WHERE id = $1`, [callId]);
    const session = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
      .send({ callId, scheduledAt: new Date(Date.now() + 60_000).toISOString(), place: 'Rathaus Neuss', applicationIds: applications }).expect(201);
    const sessionId = session.body.id as string;
    const voters = [DEMO.voting, 'stimmberechtigt2@neuss.example', 'stimmberechtigt3@neuss.example'];
    const members = (await office.get('/api/v1/round-table/members').expect(200)).body as { id: string; votingRight: string; kind: string; email: string | null }[];
    const voting = members.filter((m) => m.votingRight === 'voting' && m.kind === 'member');
    const present = [...voting.filter((m) => voters.includes(m.email ?? '')), ...voting.filter((m) => !voters.includes(m.email ?? ''))].slice(0, 10);
    for (const m of present) await office.put(`/api/v1/sessions/${sessionId}/attendance`).set('X-CSRF-Token', officeToken).send({ memberId: m.id, present: true }).expect(204);
    await office.post(`/api/v1/sessions/${sessionId}/open`).set('X-CSRF-Token', officeToken).expect(200);
    const [item] = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items;
    await office.post(`/api/v1/agenda-items/${item.id}/open`).set('X-CSRF-Token', officeToken).expect(200);
    for (const m of present) await office.post(`/api/v1/agenda-items/${item.id}/votes`).set('X-CSRF-Token', officeToken).send({ choice: 'yes', memberId: m.id }).expect(201);
    await office.post(`/api/v1/agenda-items/${item.id}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);
    // Means 14/3 and 11/3, combined 25/6: 4,666… 3,666… 4,1666…
    for (const [i, email] of voters.entries()) {
      const member = t.agent();
      const token = await loginAs(member, email);
      await member.put(`/api/v1/agenda-items/${item.id}/rating`).set('X-CSRF-Token', token).send({ importance: i < 2 ? 5 : 4, urgency: i < 2 ? 4 : 3 }).expect(204);
    }

    const page = await office.get(`/calls/${callId}/ranking`).expect(200);
    const cells = [...page.text.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual(expect.arrayContaining(['4,67', '3,67', '4,17']));
    const headers = [...page.text.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(headers).toContain('im Budget');
    expect(headers.some((h) => /bewilligt/i.test(h))).toBe(false);

    const pdf = await office.get(`/calls/${callId}/ranking.pdf`).buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    }).expect(200);
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('4,67 3,67 4,17');
    expect(text).toContain('empfohlen im Budget');
    expect(text).not.toMatch(/bewilligt/i);

    const csv = await office.get(`/calls/${callId}/ranking.csv`).expect(200);
    const [header, row] = csv.text.replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(header).toContain('Im Budget (EUR)');
    expect(header).not.toMatch(/bewilligt/i);
    expect(row).toContain('4,67;3,67;4,17');
  });
});

describe('the attendance form', () => {
  it('a refused stand-in is named at its row, the form keeps what was entered, and nothing is saved', async () => {
    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    const [call] = (await office.get('/api/v1/calls?open=true').expect(200)).body;
    const session = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
      .send({ callId: call.id, scheduledAt: new Date(Date.now() + DAY).toISOString(), place: 'Rathaus Neuss', applicationIds: [] }).expect(201);
    const sessionId = session.body.id as string;
    const { seats } = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body as { seats: { memberId: string; kind: string; votingRight: string; fullName: string }[] };
    const [member, other] = seats.filter((s) => s.kind === 'member' && s.votingRight === 'voting');
    const deputy = seats.find((s) => s.kind === 'deputy' && s.votingRight === 'voting')!;

    // The deputy is entered as standing in for a member who is present.
    const res = await office.post(`/sessions/${sessionId}/attendance`).type('form').send({
      _csrf: officeToken,
      [`present[${member.memberId}]`]: 'true',
      [`present[${other.memberId}]`]: 'true',
      [`present[${deputy.memberId}]`]: 'true',
      [`standsInFor[${deputy.memberId}]`]: member.memberId,
    }).expect(422);

    expect(res.text).toMatch(new RegExp(`<span class="field-error" id="f-standsInFor-${deputy.memberId}-error">[^<]+</span>`));
    expect(res.text).toMatch(new RegExp(`<select id="f-standsInFor-${deputy.memberId}"[^>]*aria-invalid="true"`));
    expect(res.text).toContain(`href="#f-standsInFor-${deputy.memberId}"`);
    for (const seat of [member, other, deputy]) expect(res.text).toMatch(new RegExp(`id="present-${seat.memberId}"[^>]*checked`));
    expect(res.text).toMatch(new RegExp(`<option value="${member.memberId}" selected>`));
    expect(await t.dataSource.query(`SELECT member_id FROM attendance WHERE session_id = $1`, [sessionId])).toEqual([]);
  });
});
