import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, eventually, loginAs, outboxMails, startTestApp, type TestApp } from '../support/app.js';
import { binary, preparedDraft } from '../support/applications.js';
import { pdfText } from '../support/pdf.js';

let t: TestApp;
const ALL_CHECKS = ['complete', 'organisationConfirmed', 'certificateValid', 'fieldOfActionMatches', 'declarationsMade', 'financePlanConsistent', 'attachmentsPresent'];

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Two eligible applications of the demo applicant's organisation, on the agenda of an open session with ten voting members present. */
async function openSession() {
  const office = t.agent();
  const officeToken = await loginAs(office, DEMO.office);
  const applications: string[] = [];
  let organisationId = '';
  let callId = '';
  for (let i = 0; i < 2; i++) {
    const draft = await preparedDraft(t);
    organisationId = draft.organisationId;
    callId = draft.callId;
    const submitted = await draft.agent.post(`/api/v1/applications/${draft.applicationId}/submit`).set('X-CSRF-Token', draft.token).expect(200);
    await office.post(`/api/v1/applications/${draft.applicationId}/decision`).set('X-CSRF-Token', officeToken).send({ outcome: 'eligible', checks: ALL_CHECKS, version: submitted.body.version }).expect(200);
    applications.push(draft.applicationId);
  }
  const session = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
    .send({ callId, scheduledAt: new Date(Date.now() + 60_000).toISOString(), place: 'Rathaus Neuss, Raum 2.12', applicationIds: applications }).expect(201);
  const members = (await office.get('/api/v1/round-table/members').expect(200)).body as { id: string; votingRight: string; kind: string; email: string | null }[];
  const voting = members.filter((m) => m.votingRight === 'voting' && m.kind === 'member');
  const ayse = voting.find((m) => m.email === DEMO.voting)!;
  const present = [ayse, ...voting.filter((m) => m.id !== ayse.id).slice(0, 9)];
  for (const member of present) {
    await office.put(`/api/v1/sessions/${session.body.id}/attendance`).set('X-CSRF-Token', officeToken).send({ memberId: member.id, present: true }).expect(204);
  }
  await office.post(`/api/v1/sessions/${session.body.id}/open`).set('X-CSRF-Token', officeToken).expect(200);
  const view = (await office.get(`/api/v1/sessions/${session.body.id}`).expect(200)).body;
  return { office, officeToken, sessionId: session.body.id, items: view.items.map((i: { id: string }) => i.id) as string[], present, ayse, organisationId, callId };
}

describe('a session of the round table', () => {
  it('voting, double votes, advisory members, applicants, closed items, ranking', async () => {
    const { office, officeToken, sessionId, items, present, ayse, callId } = await openSession();
    const statutory = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.statutory;
    expect(statutory).toBe(18);

    // an applicant does not learn that the session exists
    const applicant = t.agent();
    await loginAs(applicant, DEMO.applicant);
    await applicant.get(`/api/v1/sessions/${sessionId}`).expect(404);
    await applicant.get('/api/v1/sessions').expect(404);

    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);

    const member = t.agent();
    const memberToken = await loginAs(member, DEMO.voting);
    await member.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', memberToken).send({ choice: 'yes' }).expect(201);
    const twice = await member.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', memberToken).send({ choice: 'no' }).expect(409);
    expect(twice.body.message).toContain('schon abgestimmt');
    const [{ n: ballots }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ballot WHERE item_id = $1 AND member_id = $2`, [items[0], ayse.id]);
    expect(ballots).toBe(1);
    // the database itself refuses a second ballot
    await expect(t.dataSource.query(`INSERT INTO ballot (item_id, member_id) VALUES ($1, $2)`, [items[0], ayse.id])).rejects.toThrow(/duplicate key/);

    const advisory = t.agent();
    const advisoryToken = await loginAs(advisory, DEMO.advisory);
    await advisory.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', advisoryToken).send({ choice: 'yes' }).expect(403);

    // while the item is open, the live view shows who voted, never how
    const live = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items[0];
    expect(live.voted).toEqual([ayse.id]);
    expect(live.missing).toHaveLength(9);
    expect(live.yesCount).toBeNull();
    expect(live.votesByMember).toBeNull();

    // a show of hands recorded by the office: 6 more yes, 3 no
    for (const [index, other] of present.slice(1).entries()) {
      await office.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', officeToken).send({ choice: index < 6 ? 'yes' : 'no', memberId: other.id }).expect(201);
    }
    const closed = await office.post(`/api/v1/agenda-items/${items[0]}/close`).set('X-CSRF-Token', officeToken).send({ recommendedCents: 250_000 }).expect(200);
    expect(closed.body).toEqual(expect.objectContaining({ status: 'closed', decision: 'approved', yesCount: 7, noCount: 3, abstainCount: 0, recommendedCents: 250_000 }));
    // after closing an open ballot, who voted how is shown; in a secret ballot never (see below)
    const afterClose = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items[0];
    expect(afterClose.votesByMember).toHaveLength(10);
    expect(afterClose.votesByMember).toContainEqual({ memberId: ayse.id, choice: 'yes' });

    // the applicant learns nothing of the deliberation before the award
    const seen = (await applicant.get(`/api/v1/applications/${closed.body.applicationId}`).expect(200)).body.application;
    expect(seen.status).toBe('under_deliberation');
    expect((await applicant.get('/api/v1/applications').expect(200)).body.every((a: { status: string }) => !['on_agenda', 'approved', 'rejected'].includes(a.status))).toBe(true);
    const late = await member.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', memberToken).send({ choice: 'no' }).expect(409);
    expect(late.body.status).toBe('closed');

    // the minutes record the count of each vote
    await office.post(`/api/v1/sessions/${sessionId}/close`).set('X-CSRF-Token', officeToken).expect(200);
    const minutes = await office.get(`/sessions/${sessionId}/minutes.pdf`).buffer(true).parse(binary).expect(200);
    const minutesText = await pdfText(minutes.body as Buffer);
    expect(minutesText).toContain('Abstimmung Ja: 7, Nein: 3, Enthaltung: 0');
    expect(minutesText).toContain('Beschluss befürwortet');
    expect(minutesText).toContain('Beschluss vertagt');
    await member.put(`/api/v1/agenda-items/${items[0]}/rating`).set('X-CSRF-Token', memberToken).send({ importance: 5, urgency: 4 }).expect(409);

    // the ranking (the session is closed, so the item stays unrated)
    const ranking = (await member.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body;
    expect(ranking.ranked).toHaveLength(1);
    expect(ranking.unrated).toHaveLength(1);
    expect(ranking.allocation.funded.map((f: { grantedCents: number }) => f.grantedCents)).toEqual([250_000]);
  });

  it('a conflicted member can neither vote nor rate, and does not count for the quorum', async () => {
    const { office, officeToken, items, ayse, organisationId, sessionId } = await openSession();
    const affiliation = await office.post(`/api/v1/round-table/members/${ayse.id}/affiliations`).set('X-CSRF-Token', officeToken).send({ organisationId, kind: 'board' }).expect(201);
    await office.post(`/api/v1/agenda-items/${items[1]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    const view = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items[1];
    expect(view.conflicts.map((c: { memberId: string; source: string }) => [c.memberId, c.source])).toEqual([[ayse.id, 'affiliation']]);
    // ten present, one conflicted: nine of eighteen is exactly half, which is not quorate
    expect(view.eligibleVoters).toBe(9);
    expect(view.quorate).toBe(false);

    const member = t.agent();
    const memberToken = await loginAs(member, DEMO.voting);
    const refused = await member.post(`/api/v1/agenda-items/${items[1]}/votes`).set('X-CSRF-Token', memberToken).send({ choice: 'yes' }).expect(403);
    expect(refused.body.message).toContain('Befangenheit');
    await office.post(`/api/v1/agenda-items/${items[1]}/close`).set('X-CSRF-Token', officeToken).send({}).expect(409);
    await office.delete(`/api/v1/round-table/members/${ayse.id}/affiliations/${affiliation.body.id}`).set('X-CSRF-Token', officeToken).expect(204);

    // the minutes list the conflict and that the item could not be decided
    await office.post(`/api/v1/sessions/${sessionId}/close`).set('X-CSRF-Token', officeToken).expect(200);
    const minutes = await office.get(`/sessions/${sessionId}/minutes.pdf`).buffer(true).parse(binary).expect(200);
    const text = await pdfText(minutes.body as Buffer);
    expect(text).toContain('Ayşe Demir (aus erklärter Verbindung): Vorstand');
    expect(text).toContain('Ayşe Demir hat an der Beratung und Abstimmung nicht teilgenommen (§ 31 GO NRW).');
  });

  it('members are invited by mail with the agenda as PDF', async () => {
    const { sessionId } = await openSession();
    const [mail] = await eventually(async () => {
      const mails = await outboxMails(t.config.dataDir, `/sessions/${sessionId}`);
      return mails.length >= 5 ? mails : undefined;
    }).catch(async (error) => {
      throw new Error(`${error.message}; jobs: ${JSON.stringify(await t.dataSource.query(`SELECT state, output FROM pgboss.job WHERE name = 'mail.send' AND state <> 'completed'`))}`);
    });
    expect(mail).toContain('Tagesordnung.pdf');
    expect(mail).toContain('application/pdf');
  });

  it('a secret ballot, asked for by a fifth of the voting members, shows nobody who voted how', async () => {
    const { office, officeToken, sessionId, items, present } = await openSession();
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    for (const [i, member] of present.slice(1, 5).entries()) {
      const res = await office.post(`/api/v1/agenda-items/${items[0]}/secret-ballot-requests`).set('X-CSRF-Token', officeToken).send({ memberId: member.id }).expect(200);
      expect(res.body.secretBallot).toBe(i === 3); // 4 × 5 ≥ 18
    }
    const member = t.agent();
    const memberToken = await loginAs(member, DEMO.voting);
    await member.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', memberToken).send({ choice: 'no' }).expect(201);
    for (const [i, other] of present.slice(1).entries()) {
      await office.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', officeToken).send({ choice: i < 5 ? 'yes' : 'abstain', memberId: other.id }).expect(201);
    }
    const closed = await office.post(`/api/v1/agenda-items/${items[0]}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);
    expect(closed.body).toEqual(expect.objectContaining({ decision: 'approved', yesCount: 5, noCount: 1, abstainCount: 4, secretBallot: true }));
    // the database holds the choices without members, and the audit trail holds no choices
    const votes = await t.dataSource.query(`SELECT member_id, choice FROM vote WHERE item_id = $1`, [items[0]]);
    expect(votes).toHaveLength(10);
    expect(votes.every((v: { member_id: string | null }) => v.member_id === null)).toBe(true);
    const audit = await t.dataSource.query(`SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'session.vote_cast'`, [items[0]]);
    expect(audit.some((a: { after: Record<string, unknown> }) => 'choice' in a.after)).toBe(false);
    const view = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items[0];
    expect(JSON.stringify(view)).not.toMatch(/"choice"/);
    expect(view.votesByMember).toBeNull();
  });

  it('money freed by a withdrawal offers the next item from the waiting list', async () => {
    const { office, officeToken, items, present, callId } = await openSession();
    for (const item of items) {
      await office.post(`/api/v1/agenda-items/${item}/open`).set('X-CSRF-Token', officeToken).expect(200);
      for (const member of present.slice(1)) {
        await office.post(`/api/v1/agenda-items/${item}/votes`).set('X-CSRF-Token', officeToken).send({ choice: 'yes', memberId: member.id }).expect(201);
      }
      await office.post(`/api/v1/agenda-items/${item}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);
    }
    // a budget that leaves the last-ranked item waiting
    const before = (await office.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body;
    const total = before.ranked.reduce((sum: number, r: { recommendedCents: number }) => sum + r.recommendedCents, 0);
    const last = before.ranked[before.ranked.length - 1];
    await t.dataSource.query(`UPDATE funding_call SET budget_cents = $1 WHERE id = $2`, [total - last.recommendedCents, callId]);
    const tight = (await office.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body;
    expect(tight.allocation.waitingList.map((w: { id: string }) => w.id)).toEqual([last.id]);
    await office.post(`/api/v1/calls/${callId}/ranking/confirm`).set('X-CSRF-Token', officeToken).expect(204);
    expect((await office.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body.offered).toEqual([]);

    // the applicant withdraws a funded application: the waiting one moves up and is offered
    const withdrawn = tight.allocation.funded.find((f: { recommendedCents: number }) => f.recommendedCents >= last.recommendedCents);
    const applicant = t.agent();
    const applicantToken = await loginAs(applicant, DEMO.applicant);
    await applicant.post(`/api/v1/applications/${withdrawn.id}/withdraw`).set('X-CSRF-Token', applicantToken).expect(200);
    const after = (await office.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body;
    expect(after.offered.map((o: { id: string }) => o.id)).toEqual([last.id]);
    expect(after.allocation.waitingList).toEqual([]);
  });

  it('without quorum an item cannot be decided', async () => {
    const { office, officeToken, sessionId, items, present } = await openSession();
    for (const member of present.slice(1)) {
      await office.put(`/api/v1/sessions/${sessionId}/attendance`).set('X-CSRF-Token', officeToken).send({ memberId: member.id, present: false }).expect(204);
    }
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    const res = await office.post(`/api/v1/agenda-items/${items[0]}/close`).set('X-CSRF-Token', officeToken).send({}).expect(409);
    expect(res.body.message).toContain('nicht beschlussfähig');
    expect(res.body.status).toBe('open');
  });
});
