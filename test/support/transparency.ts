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
