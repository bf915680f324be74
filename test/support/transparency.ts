import { DEMO, loginAs, type TestApp } from './app.js';
import { decidedTable, decisions } from './awards.js';
import { berlinDay } from '../../src/common/dates.js';

/**
 * A decided call built through the real API: the round table approved two projects and voted one
 * down; the office drafted the decisions and its second person released them; the first grantee
 * accepted and got one payout of `payoutCents`; then the office marked the call decided.
 */
export async function decidedCallWithAwards(t: TestApp, payoutCents = 120_000) {
  const table = await decidedTable(t, 2, 1);
  const { office, officeToken, second, secondToken, callId } = table;
  await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200);
  const drafts = (await decisions(office, callId)).decisions;
  for (const draft of drafts) await second.post(`/api/v1/decisions/${draft.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
  const awards = drafts.filter((d) => d.kind === 'award');
  const rejection = drafts.find((d) => d.kind === 'rejection')!;

  const applicant = t.agent();
  const applicantToken = await loginAs(applicant, DEMO.applicant);
  await applicant.post(`/api/v1/decisions/${awards[0].id}/acceptance`).set('X-CSRF-Token', applicantToken).send({ waive: false }).expect(200);
  const payment = (await applicant.post(`/api/v1/decisions/${awards[0].id}/payments`).set('X-CSRF-Token', applicantToken)
    .send({ amountCents: payoutCents, neededOn: berlinDay(new Date()), purpose: 'Honorare' }).expect(201)).body;
  await office.post(`/api/v1/payments/${payment.id}/confirm`).set('X-CSRF-Token', officeToken).expect(200);
  await second.post(`/api/v1/payments/${payment.id}/release`).set('X-CSRF-Token', secondToken).expect(200);

  // The demo call's deadline lies ahead, so review is started in the database (as in awards.e2e).
  await t.dataSource.query(`UPDATE funding_call SET status = 'in_review' WHERE id = $1`, [callId]);
  const undecided = { callId };
  const decide = async () => {
    await office.post(`/api/v1/calls/${callId}/decide`).set('X-CSRF-Token', officeToken).expect(200);
  };
  const applications = async (ids: string[]) => (await t.dataSource.query(
    `SELECT id, title, reference_number AS "referenceNumber" FROM application WHERE id = ANY($1)`, [ids],
  )) as { id: string; title: string; referenceNumber: string }[];
  const funded = await applications(awards.map((a) => a.applicationId));
  const [rejected] = await applications([rejection.applicationId]);
  return { ...table, ...undecided, decide, awards, rejection, funded, rejected, payoutCents, applicant, applicantToken };
}

/**
 * For the route × role matrix and the bad-input test, whose fixtures need the open demo call as it
 * is: a decided copy of `callId` with one standing award, on a copy of the application
 * `applicationId` (awarded, released decision). Made in the database, as their other fixtures.
 */
export async function decidedCallCopy(t: TestApp, callId: string, applicationId: string): Promise<string> {
  const columns = async (table: string, except: string[]) => ((await t.dataSource.query(
    `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS list FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' AND NOT (column_name = ANY($2))`,
    [table, except],
  ))[0] as { list: string }).list;
  const callColumns = await columns('funding_call', ['id', 'status', 'committed_cents', 'title']);
  const [{ id: decidedCall }] = await t.dataSource.query(
    `INSERT INTO funding_call (${callColumns}, status, title) SELECT ${callColumns}, 'decided', title || ' (entschieden)' FROM funding_call WHERE id = $1 RETURNING id`, [callId],
  );
  const applicationColumns = await columns('application', ['id', 'call_id', 'status', 'reference_number']);
  const [{ id: application }] = await t.dataSource.query(
    `INSERT INTO application (${applicationColumns}, call_id, status, reference_number) SELECT ${applicationColumns}, $2, 'awarded', 'NE-2000-' || lpad((SELECT count(*) + 1 FROM application WHERE reference_number LIKE 'NE-2000-%')::text, 4, '0')
     FROM application WHERE id = $1 RETURNING id`,
    [applicationId, decidedCall],
  );
  await t.dataSource.query(
    `INSERT INTO decision (application_id, call_id, kind, status, amount_cents, purpose, period_start, period_end, report_due_on, drafted_by,
                           released_by, released_at, sent_on, notified_on, remedy_period_ends_on, final_on)
     SELECT $1, $2, 'award', 'released', 100000, 'Sprachcafé', '2027-01-01', '2027-12-31', '2028-06-30', d.id, r.id, now(), current_date, current_date + 4, current_date + 35, current_date + 36
     FROM app_user d, app_user r WHERE d.email = $3 AND r.email = $4`,
    [application, decidedCall, DEMO.secondOffice, DEMO.office],
  );
  return decidedCall;
}
