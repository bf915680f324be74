import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AwardsService } from '../../src/awards/awards.service.js';
import { csrfToken, DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary } from '../support/applications.js';
import { decidedTable, decisions } from '../support/awards.js';
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

describe('decisions after the round table', () => {
  it('drafts awards and rejections from the allocation; a second person releases them, the letters go out and the ledger commits', async () => {
    const table = await decidedTable(t, 2, 1);
    const { office, officeToken, second, secondToken, callId } = table;
    const drafted = await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200);
    expect(drafted.body).toEqual({ drafted: 3 });
    // Drafting again adds nothing.
    expect((await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200)).body).toEqual({ drafted: 0 });
    const { decisions: drafts, ledger: before } = await decisions(office, callId);
    expect(drafts.map((d) => [d.kind, d.status, d.reason]).sort()).toEqual([['award', 'draft', null], ['award', 'draft', null], ['rejection', 'draft', 'voted_down']]);
    expect(before.committedCents).toBe(0);

    // Four eyes: the drafter cannot release, in the service and in the database.
    const award = drafts.find((d) => d.kind === 'award')!;
    const refused = await office.post(`/api/v1/decisions/${award.id}/release`).set('X-CSRF-Token', officeToken).expect(403);
    expect(refused.body.message).toContain('Vier-Augen-Prinzip');
    const [{ drafter }] = await t.dataSource.query(`SELECT drafted_by AS drafter FROM decision WHERE id = $1`, [award.id]);
    await expect(t.dataSource.query(`UPDATE decision SET status = 'released', released_by = drafted_by, released_at = now(), sent_on = current_date WHERE id = $1`, [award.id])).rejects.toThrow(/decision_four_eyes/);
    expect(drafter).toBeTruthy();

    // The clerk completes the draft; the second person releases it.
    const current = (await office.get(`/api/v1/decisions/${award.id}`).expect(200)).body;
    await office.put(`/api/v1/decisions/${award.id}`).set('X-CSRF-Token', officeToken)
      .send({ version: current.version, specialConditions: ['Die Teilnehmendenlisten sind dem Verwendungsnachweis beizufügen.'] }).expect(200);
    const released = await second.post(`/api/v1/decisions/${award.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
    expect(released.body).toMatchObject({ status: 'released', kind: 'award' });
    expect(released.body.notifiedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(released.body.finalOn > released.body.remedyPeriodEndsOn).toBe(true);
    expect(released.body).not.toHaveProperty('draftedBy');
    // Releasing twice, or changing a released decision: 409.
    await second.post(`/api/v1/decisions/${award.id}/release`).set('X-CSRF-Token', secondToken).expect(409);
    await office.put(`/api/v1/decisions/${award.id}`).set('X-CSRF-Token', officeToken).send({ version: released.body.version, purpose: 'anders' }).expect(409);

    const { ledger } = await decisions(office, callId);
    expect(ledger.committedCents).toBe(award.amountCents);
    expect(ledger.availableCents).toBe(ledger.budgetCents - award.amountCents!);

    // The letter is stored as sent, mailed with the PDF, and readable by the organisation.
    const mail = await smtp.waitForMail((m) => m.subject?.startsWith('Zuwendungsbescheid') ?? false);
    expect(mail.attachments).toHaveLength(1);
    const applicant = t.agent();
    const applicantToken = await loginAs(applicant, DEMO.applicant);
    const letter = await applicant.get(`/api/v1/decisions/${award.id}/letter.pdf`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(letter.body as Buffer, Buffer.from(mail.attachments[0].content as Uint8Array))).toBe(0);
    const [{ sha256 }] = await t.dataSource.query(`SELECT sha256 FROM decision_letter WHERE decision_id = $1`, [award.id]);
    expect(letter.headers['x-content-sha256']).toBe(sha256);
    const text = await pdfText(letter.body as Buffer);
    expect(text).toContain('Zuwendungsbescheid');
    expect(text).toContain('Verwaltungsgericht Düsseldorf');
    expect(text).toContain('Teilnehmendenlisten');
    await expect(t.dataSource.query(`UPDATE decision_letter SET filename = 'x' WHERE decision_id = $1`, [award.id])).rejects.toThrow(/kept as sent/);

    // The organisation accepts and waives the remedy: final as soon as the decision counts as
    // notified (a waiver cannot take effect before), no longer after the month for an action.
    const accepted = await applicant.post(`/api/v1/decisions/${award.id}/acceptance`).set('X-CSRF-Token', applicantToken).send({ waive: true }).expect(200);
    expect(accepted.body.waivedAt).toBeTruthy();
    expect(accepted.body.finalOn).toBe(released.body.notifiedOn);
    const statusOf = async (id: string) => (await t.dataSource.query(`SELECT status FROM application WHERE id = $1`, [id]))[0].status;
    expect(await statusOf(award.applicationId)).toBe('awarded');
    // The finality job runs on that day: here the day is moved to today.
    await t.dataSource.query(`UPDATE decision SET final_on = current_date WHERE id = $1`, [award.id]);
    await t.app.get(AwardsService).becomeFinalIfDue(award.id);
    expect(await statusOf(award.applicationId)).toBe('final');
    const seen = (await applicant.get(`/api/v1/applications/${award.applicationId}/decision`).expect(200)).body;
    expect(seen).toMatchObject({ id: award.id, status: 'released', letterIssued: true });

    // The call is decided only once every decision is released (the call's deadline has passed and the office reviewed it).
    await t.dataSource.query(`UPDATE funding_call SET status = 'in_review' WHERE id = $1`, [callId]);
    await office.post(`/api/v1/calls/${callId}/decide`).set('X-CSRF-Token', officeToken).expect(409);
    for (const other of drafts.filter((d) => d.id !== award.id)) {
      await second.post(`/api/v1/decisions/${other.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
    }
    const decided = await office.post(`/api/v1/calls/${callId}/decide`).set('X-CSRF-Token', officeToken).expect(200);
    expect(decided.body.status).toBe('decided');
    const rejection = drafts.find((d) => d.kind === 'rejection')!;
    const [{ status: rejectedStatus }] = await t.dataSource.query(`SELECT status FROM application WHERE id = $1`, [rejection.applicationId]);
    expect(rejectedStatus).toBe('rejection_notified');
    await eventually(async () => (await t.dataSource.query(`SELECT 1 FROM decision_letter WHERE decision_id = $1`, [rejection.id])).length === 1);
    // The next tests apply to the demo call again.
    await t.dataSource.query(`UPDATE funding_call SET status = 'published' WHERE id = $1`, [callId]);
  }, 180_000);

  it('keeps drafts away from the organisation and other organisations away from the letter', async () => {
    const { office, officeToken, callId } = await decidedTable(t, 1);
    await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200);
    const draft = (await decisions(office, callId)).decisions.find((d) => d.status === 'draft')!;
    const applicant = t.agent();
    await loginAs(applicant, DEMO.applicant);
    await applicant.get(`/api/v1/decisions/${draft.id}`).expect(404);
    expect((await applicant.get(`/api/v1/applications/${draft.applicationId}/decision`).expect(200)).body).toEqual({});
    const other = t.agent();
    const otherToken = await loginAs(other, DEMO.otherApplicant);
    await other.get(`/api/v1/decisions/${draft.id}/letter.pdf`).expect(404);
    await other.post(`/api/v1/decisions/${draft.id}/acceptance`).set('X-CSRF-Token', otherToken).send({ waive: false }).expect(404);
    await office.put(`/api/v1/decisions/${draft.id}`).set('X-CSRF-Token', officeToken).send({ version: 1, amountCents: -5 }).expect(422);
    await office.put(`/api/v1/decisions/${draft.id}`).set('X-CSRF-Token', officeToken).send({ version: 1, amountCents: 12.5 }).expect(422);
    await office.put(`/api/v1/decisions/${draft.id}`).set('X-CSRF-Token', officeToken).send({ version: 1, amountCents: draft.amountCents! + 1 }).expect(422);
    // Withdrawn before the release, the application leaves no draft behind to block the call.
    await applicant.post(`/api/v1/applications/${draft.applicationId}/withdraw`).set('X-CSRF-Token', await csrfToken(applicant)).expect(200);
    await office.get(`/api/v1/decisions/${draft.id}`).expect(404);
  }, 120_000);

  it('gives the money of a withdrawn award back to the call', async () => {
    const { office, officeToken, second, secondToken, callId } = await decidedTable(t, 1);
    await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200);
    const { decisions: drafted, ledger: before } = await decisions(office, callId);
    const award = drafted.find((d) => d.status === 'draft' && d.kind === 'award')!;
    await second.post(`/api/v1/decisions/${award.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
    expect((await decisions(office, callId)).ledger.committedCents).toBe(before.committedCents + award.amountCents!);
    const applicant = t.agent();
    const applicantToken = await loginAs(applicant, DEMO.applicant);
    await applicant.post(`/api/v1/applications/${award.applicationId}/withdraw`).set('X-CSRF-Token', applicantToken).expect(200);
    const { ledger } = await decisions(office, callId);
    expect(ledger).toMatchObject({ committedCents: before.committedCents, freedCents: before.freedCents + award.amountCents!, availableCents: before.availableCents });
  }, 120_000);

  it('offers the waiting list the money a withdrawn award frees, along the same path', async () => {
    // Three approved items, money for all but the last ranked: it waits.
    const budget = (ranked: { recommendedCents: number }[]) => ranked.reduce((sum, r) => sum + r.recommendedCents, 0) - ranked[ranked.length - 1].recommendedCents;
    const { office, officeToken, second, secondToken, callId } = await decidedTable(t, 3, 0, budget);
    const ranking = (await office.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body;
    expect(ranking.allocation.waitingList).toHaveLength(1);
    const waiting = ranking.allocation.waitingList[0].applicationId ?? ranking.allocation.waitingList[0].id;
    await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200);
    const drafts = (await decisions(office, callId)).decisions.filter((d) => d.status === 'draft');
    expect(drafts.map((d) => d.applicationId)).not.toContain(waiting);
    for (const draft of drafts) await second.post(`/api/v1/decisions/${draft.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
    // The awards hold their money: nothing is offered yet.
    expect((await office.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body.offered).toEqual([]);

    // A grantee declines: the money goes back, the waiting item is offered, confirmed, drafted and released.
    const applicant = t.agent();
    const applicantToken = await loginAs(applicant, DEMO.applicant);
    await applicant.post(`/api/v1/applications/${drafts[0].applicationId}/withdraw`).set('X-CSRF-Token', applicantToken).expect(200);
    const after = (await office.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body;
    expect(after.offered.map((o: { id: string; applicationId?: string }) => o.applicationId ?? o.id)).toEqual([waiting]);
    await office.post(`/api/v1/calls/${callId}/ranking/confirm`).set('X-CSRF-Token', officeToken).expect(204);
    expect((await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200)).body).toEqual({ drafted: 1 });
    const moved = (await decisions(office, callId)).decisions.find((d) => d.applicationId === waiting)!;
    expect(moved).toMatchObject({ kind: 'award', status: 'draft' });
    await second.post(`/api/v1/decisions/${moved.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
    await eventually(async () => (await t.dataSource.query(`SELECT 1 FROM decision_letter WHERE decision_id = $1`, [moved.id])).length === 1);
  }, 180_000);

  it('200 releases at once against a budget for ten awards commit exactly ten', async () => {
    const everything = (ranked: { recommendedCents: number }[]) => ranked.reduce((sum, r) => sum + r.recommendedCents, 0);
    const { office, officeToken, second, secondToken, callId } = await decidedTable(t, 1, 0, everything);
    await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200);
    const { decisions: drafted, ledger: before } = await decisions(office, callId);
    const template = drafted.find((d) => d.status === 'draft')!;
    // 199 more award drafts of 1,000 € each, on copies of the application, with a budget for ten.
    const [{ draftedBy }] = await t.dataSource.query(`SELECT drafted_by AS "draftedBy" FROM decision WHERE id = $1`, [template.id]);
    await t.dataSource.query(`UPDATE decision SET amount_cents = 100000 WHERE id = $1`, [template.id]);
    const columns = (await t.dataSource.query(
      `SELECT column_name AS name FROM information_schema.columns
       WHERE table_name = 'application' AND is_generated = 'NEVER' AND column_default IS DISTINCT FROM 'gen_random_uuid()' AND column_name NOT IN ('id', 'title', 'reference_number')`,
    )).map((c: { name: string }) => `"${c.name}"`).join(', ');
    const copies: { id: string }[] = await t.dataSource.query(
      `WITH copies AS (
         INSERT INTO application (title, reference_number, ${columns}) SELECT title || ' ' || n, reference_number || '-' || n, ${columns} FROM application, generate_series(1, 199) n WHERE id = $1 RETURNING id
       )
       INSERT INTO decision (application_id, call_id, kind, status, amount_cents, period_start, period_end, report_due_on, drafted_by)
       SELECT copies.id, $2, 'award', 'draft', 100000, '2027-01-01', '2027-12-31', '2028-06-30', $3 FROM copies RETURNING id`,
      [template.applicationId, callId, draftedBy],
    );
    await t.dataSource.query(`UPDATE funding_call SET budget_cents = $2 WHERE id = $1`, [callId, before.committedCents + 1_000_000]);
    const ids = [template.id, ...copies.map((c) => c.id)];
    const answers = await Promise.all(ids.map((id) => second.post(`/api/v1/decisions/${id}/release`).set('X-CSRF-Token', secondToken).then((res) => res.status)));
    const counted = answers.reduce<Record<number, number>>((sum, status) => ({ ...sum, [status]: (sum[status] ?? 0) + 1 }), {});
    expect(counted).toEqual({ 200: 10, 409: 190 });
    const { ledger } = await decisions(office, callId);
    expect(ledger).toMatchObject({ budgetCents: before.committedCents + 1_000_000, committedCents: before.committedCents + 1_000_000, availableCents: 0 });
    const [{ released, booked }] = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM decision WHERE id = ANY($1) AND status = 'released')::int AS released,
              (SELECT sum(amount_cents) FROM ledger_entry WHERE decision_id = ANY($1) AND kind = 'committed')::float8 AS booked`,
      [ids],
    );
    expect({ released, booked }).toEqual({ released: 10, booked: 1_000_000 });
    const refused = await second.post(`/api/v1/decisions/${ids.find((_, i) => answers[i] === 409)}/release`).set('X-CSRF-Token', secondToken).expect(409);
    expect(refused.body.message).toContain('passt nicht mehr ins Budget');
  }, 180_000);
});
