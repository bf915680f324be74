import { DEMO, loginAs, type TestApp } from './app.js';
import { approveItem, openCouncilSession, type CouncilSession } from './council.js';

type Agent = CouncilSession['office'];

/**
 * A call whose round table approved `approved` items and voted down `rejected`, with the allocation
 * confirmed; `budget` may set the call's budget from the ranked items first.
 */
export async function decidedTable(t: TestApp, approved: number, rejected = 0, budget?: (ranked: { recommendedCents: number }[]) => number) {
  const session = await openCouncilSession(t, approved + rejected);
  const { office, officeToken, sessionId, items, voters } = session;
  for (const item of items.slice(0, approved)) await approveItem(session, item);
  for (const item of items.slice(approved)) {
    await office.post(`/api/v1/agenda-items/${item}/open`).set('X-CSRF-Token', officeToken).expect(200);
    await office.post(`/api/v1/agenda-items/${item}/show-of-hands`).set('X-CSRF-Token', officeToken).send({ choices: Object.fromEntries(voters.map((v) => [v.id, 'no'])) }).expect(201);
    await office.post(`/api/v1/agenda-items/${item}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);
  }
  const [{ callId }] = await t.dataSource.query(`SELECT call_id AS "callId" FROM council_session WHERE id = $1`, [sessionId]);
  for (const item of items.slice(0, approved)) {
    for (const voter of voters) {
      await voter.agent.put(`/api/v1/agenda-items/${item}/rating`).set('X-CSRF-Token', voter.token).send({ importance: 4, urgency: 3 }).expect(204);
    }
  }
  await office.post(`/api/v1/sessions/${sessionId}/close`).set('X-CSRF-Token', officeToken).expect(200);
  if (budget) {
    const ranking = (await office.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body;
    await t.dataSource.query(`UPDATE funding_call SET budget_cents = $1 WHERE id = $2`, [budget(ranking.ranked), callId]);
  }
  await office.post(`/api/v1/calls/${callId}/ranking/confirm`).set('X-CSRF-Token', officeToken).expect(204);
  const second = t.agent();
  const secondToken = await loginAs(second, DEMO.secondOffice);
  return { ...session, callId, second, secondToken };
}

export async function decisions(agent: Agent, callId: string) {
  return (await agent.get(`/api/v1/calls/${callId}/decisions`).expect(200)).body as {
    decisions: { id: string; applicationId: string; kind: string; status: string; amountCents: number | null; reason: string | null; letterIssued: boolean }[];
    ledger: { budgetCents: number; committedCents: number; paidCents: number; freedCents: number; availableCents: number };
  };
}

/**
 * A released award on an application of the demo applicant, with the office's two people signed in:
 * `office` drafted it, `second` released it.
 */
export async function releasedAward(t: TestApp) {
  const table = await decidedTable(t, 1);
  const { office, officeToken, second, secondToken, callId } = table;
  await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200);
  const award = (await decisions(office, callId)).decisions.find((d) => d.status === 'draft' && d.kind === 'award')!;
  await second.post(`/api/v1/decisions/${award.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
  const applicant = t.agent();
  const applicantToken = await loginAs(applicant, DEMO.applicant);
  return { ...table, award, applicant, applicantToken };
}
