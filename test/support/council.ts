import type request from 'supertest';
import { DEMO, loginAs, type TestApp } from './app.js';
import { ALL_CHECKS, preparedDraft } from './applications.js';

type Agent = ReturnType<typeof request.agent>;

export interface VotingMember {
  id: string;
  email: string;
  agent: Agent;
  token: string;
}

export interface CouncilSession {
  office: Agent;
  officeToken: string;
  sessionId: string;
  items: string[];
  voters: VotingMember[];
}

/**
 * `count` eligible applications on the agenda of an open session, with every voting member of the
 * demo round table present and signed in on their own device. Each member without an account gets
 * one (with the demo password) in this test's own database; declared affiliations are removed so
 * that nobody is conflicted.
 */
export async function openCouncilSession(t: TestApp, count: number): Promise<CouncilSession> {
  const office = t.agent();
  const officeToken = await loginAs(office, DEMO.office);
  const applicationIds: string[] = [];
  let callId = '';
  for (let i = 0; i < count; i++) {
    const draft = await preparedDraft(t, { title: `Projekt ${i + 1}` });
    callId = draft.callId;
    const submitted = await draft.agent.post(`/api/v1/applications/${draft.applicationId}/submit`).set('X-CSRF-Token', draft.token).expect(200);
    await office.post(`/api/v1/applications/${draft.applicationId}/decision`).set('X-CSRF-Token', officeToken).send({ outcome: 'eligible', checks: ALL_CHECKS, version: submitted.body.version }).expect(200);
    applicationIds.push(draft.applicationId);
  }
  await t.dataSource.query(`DELETE FROM member_affiliation`);
  const members: { id: string; userId: string | null }[] = await t.dataSource.query(
    `SELECT id, user_id AS "userId" FROM round_table_member WHERE voting_right = 'voting' AND kind = 'member' ORDER BY full_name`,
  );
  const [{ hash }] = await t.dataSource.query(`SELECT password_hash AS hash FROM app_user WHERE email = $1`, [DEMO.voting]);
  const voters: VotingMember[] = [];
  for (const [index, member] of members.entries()) {
    let email: string;
    if (member.userId) {
      [{ email }] = await t.dataSource.query(`SELECT email FROM app_user WHERE id = $1`, [member.userId]);
    } else {
      email = `stimme-${index}@neuss.example`;
      const [{ id }] = await t.dataSource.query(
        `INSERT INTO app_user (email, full_name, password_hash, roles, status) SELECT $1, full_name, $2, ARRAY['voting_member'], 'active' FROM round_table_member WHERE id = $3 RETURNING id`,
        [email, hash, member.id],
      );
      await t.dataSource.query(`UPDATE round_table_member SET user_id = $1 WHERE id = $2`, [id, member.id]);
    }
    const agent = t.agent();
    voters.push({ id: member.id, email, agent, token: await loginAs(agent, email) });
  }
  const session = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
    .send({ callId, scheduledAt: new Date(Date.now() + 60_000).toISOString(), place: 'Rathaus Neuss, Raum 2.12', applicationIds }).expect(201);
  const sessionId: string = session.body.id;
  for (const voter of voters) {
    await office.put(`/api/v1/sessions/${sessionId}/attendance`).set('X-CSRF-Token', officeToken).send({ memberId: voter.id, present: true }).expect(204);
  }
  await office.post(`/api/v1/sessions/${sessionId}/open`).set('X-CSRF-Token', officeToken).expect(200);
  const view = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body;
  return { office, officeToken, sessionId, items: view.items.map((i: { id: string }) => i.id), voters };
}

/** Opens the item, records a unanimous show of hands and closes it: approved, ready to be rated. */
export async function approveItem(session: CouncilSession, itemId: string): Promise<void> {
  const { office, officeToken, voters } = session;
  await office.post(`/api/v1/agenda-items/${itemId}/open`).set('X-CSRF-Token', officeToken).expect(200);
  await office.post(`/api/v1/agenda-items/${itemId}/show-of-hands`).set('X-CSRF-Token', officeToken).send({ choices: Object.fromEntries(voters.map((v) => [v.id, 'yes'])) }).expect(201);
  const closed = await office.post(`/api/v1/agenda-items/${itemId}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);
  if (closed.body.decision !== 'approved') throw new Error(`item ${itemId} was not approved`);
}
