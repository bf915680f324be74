import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, eventually, loginAs, outboxMails, startTestApp, type TestApp } from '../support/app.js';
import { ALL_CHECKS, binary, preparedDraft } from '../support/applications.js';
import { pdfText } from '../support/pdf.js';

let t: TestApp;

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
  const members = (await office.get('/api/v1/round-table/members').expect(200)).body as Member[];
  const voting = members.filter((m) => m.votingRight === 'voting' && m.kind === 'member');
  const ayse = voting.find((m) => m.email === DEMO.voting)!;
  const present = [ayse, ...voting.filter((m) => m.id !== ayse.id).slice(0, 9)];
  for (const member of present) {
    await office.put(`/api/v1/sessions/${session.body.id}/attendance`).set('X-CSRF-Token', officeToken).send({ memberId: member.id, present: true }).expect(204);
  }
  await office.post(`/api/v1/sessions/${session.body.id}/open`).set('X-CSRF-Token', officeToken).expect(200);
  const view = (await office.get(`/api/v1/sessions/${session.body.id}`).expect(200)).body;
  return { office, officeToken, sessionId: session.body.id, items: view.items.map((i: { id: string }) => i.id) as string[], present, ayse, organisationId, callId, members, voting };
}

interface Member { id: string; fullName: string; votingRight: string; kind: string; email: string | null; deputyId: string | null }

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

  it('a conflict recorded for someone who is not a member that day is refused at the field, not a server error', async () => {
    const { office, officeToken, items } = await openSession();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const refused = await office.post(`/api/v1/agenda-items/${items[0]}/conflicts`).set('X-CSRF-Token', officeToken).send({ memberId: unknown, reason: 'Vorstand des Trägers' }).expect(422);
    expect(refused.body.fields).toEqual({ memberId: [expect.stringContaining('kein Mitglied')] });
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM conflict_declaration WHERE item_id = $1`, [items[0]])).toEqual([{ n: 0 }]);
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

  it('the agenda and the minutes name the chair, and the minutes the clerk who kept them', async () => {
    const { callId } = await preparedDraft(t);
    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    const members = (await office.get('/api/v1/round-table/members').expect(200)).body as Member[];
    const chair = members.find((m) => m.email === DEMO.chair)!;
    const session = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
      .send({ callId, scheduledAt: new Date(Date.now() + 60_000).toISOString(), place: 'Rathaus Neuss', chairMemberId: chair.id, applicationIds: [] }).expect(201);
    const agenda = await office.get(`/sessions/${session.body.id}/agenda.pdf`).buffer(true).parse(binary).expect(200);
    expect(await pdfText(agenda.body as Buffer)).toContain(chair.fullName);
    await office.post(`/api/v1/sessions/${session.body.id}/open`).set('X-CSRF-Token', officeToken).expect(200);
    await office.post(`/api/v1/sessions/${session.body.id}/close`).set('X-CSRF-Token', officeToken).expect(200);
    const minutes = await pdfText((await office.get(`/sessions/${session.body.id}/minutes.pdf`).buffer(true).parse(binary).expect(200)).body as Buffer);
    expect(minutes).toContain(chair.fullName);
    expect(minutes).toContain('Sabine Krüger');
  });

  it('a secret ballot, asked for by a fifth of the voting members, shows nobody who voted how', async () => {
    const { office, officeToken, sessionId, items, present } = await openSession();
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    for (const [i, member] of present.slice(1, 5).entries()) {
      const res = await office.post(`/api/v1/agenda-items/${items[0]}/secret-ballot-requests`).set('X-CSRF-Token', officeToken).send({ memberId: member.id }).expect(200);
      expect(res.body.secretBallot).toBe(i === 3); // 4 × 5 ≥ 18
    }
    // who asked, and how many of how many needed, is shown to the members and the office
    const member = t.agent();
    const memberToken = await loginAs(member, DEMO.voting);
    const requests = (await member.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items[0].secretBallotRequests;
    expect(requests).toEqual({ names: expect.arrayContaining([present[1].fullName, present[4].fullName]), count: 4, needed: 4 });
    const page = await member.get(`/sessions/${sessionId}`).expect(200);
    expect(page.text).toContain('(4 von 4 nötigen Anträgen)');
    expect(page.text).toContain(present[2].fullName);

    await member.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', memberToken).send({ choice: 'no' }).expect(201);
    // the office never records a member's choice in a secret ballot, neither one by one nor as a show of hands
    const single = await office.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', officeToken).send({ choice: 'yes', memberId: present[1].id }).expect(409);
    expect(single.body.message).toContain('nur die Zahl');
    await office.post(`/api/v1/agenda-items/${items[0]}/show-of-hands`).set('X-CSRF-Token', officeToken).send({ choices: { [present[1].id]: 'yes' } }).expect(409);
    const form = await office.post(`/sessions/${sessionId}/items/${items[0]}/hands`).type('form').send(`_csrf=${encodeURIComponent(officeToken)}&choices%5B${present[1].id}%5D=yes`).expect(409);
    expect(form.text).toContain('nur die Zahl');
    // it records the totals: nine more voters present, so ten votes are at most nine more
    const tooMany = await office.put(`/api/v1/agenda-items/${items[0]}/ballot-counts`).set('X-CSRF-Token', officeToken).send({ yes: 5, no: 0, abstain: 5 }).expect(422);
    expect(Object.keys(tooMany.body.fields)).toEqual(['counts']);
    // the page's form for the totals: the message at the form, what was typed kept
    const officePage = (await office.get(`/sessions/${sessionId}`).expect(200)).text;
    expect(officePage).toContain('Stimmenzahlen der geheimen Abstimmung zu TOP 1');
    expect(officePage).not.toContain('Handzeichen zu TOP 1');
    const refusedForm = await office.post(`/sessions/${sessionId}/items/${items[0]}/counts`).type('form').send({ _csrf: officeToken, yes: '7', no: '3', abstain: '' }).expect(422);
    expect(refusedForm.text).toMatch(/id="f-counts-[^"]+-abstain-error">Bitte ausfüllen/);
    expect(refusedForm.text).toMatch(/name="yes" value="7"/);
    await office.post(`/sessions/${sessionId}/items/${items[0]}/counts`).type('form').send({ _csrf: officeToken, yes: '4', no: '0', abstain: '4' }).expect(303);
    // recorded again, the totals replace the earlier ones
    await office.put(`/api/v1/agenda-items/${items[0]}/ballot-counts`).set('X-CSRF-Token', officeToken).send({ yes: 5, no: 0, abstain: 4 }).expect(200);
    expect((await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items[0].countedByOffice).toBe(9);
    const closed = await office.post(`/api/v1/agenda-items/${items[0]}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);
    expect(closed.body).toEqual(expect.objectContaining({ decision: 'approved', yesCount: 5, noCount: 1, abstainCount: 4, secretBallot: true }));
    // the database holds the choices without members, and the audit trail holds no member's choice
    const votes = await t.dataSource.query(`SELECT member_id, choice FROM vote WHERE item_id = $1`, [items[0]]);
    expect(votes).toHaveLength(10);
    expect(votes.every((v: { member_id: string | null }) => v.member_id === null)).toBe(true);
    const audit = await t.dataSource.query(`SELECT after FROM audit_event WHERE entity_id = $1 AND action IN ('session.vote_cast', 'session.show_of_hands')`, [items[0]]);
    expect(audit.some((a: { after: Record<string, unknown> }) => 'choice' in a.after || 'choices' in a.after)).toBe(false);
    const view = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items[0];
    expect(JSON.stringify(view)).not.toMatch(/"choice"/);
    expect(view.votesByMember).toBeNull();
    // an open ballot takes each member's choice, not totals
    await office.post(`/api/v1/agenda-items/${items[1]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    await office.put(`/api/v1/agenda-items/${items[1]}/ballot-counts`).set('X-CSRF-Token', officeToken).send({ yes: 5, no: 0, abstain: 0 }).expect(409);

    // the minutes name who asked for the secret ballot
    await office.post(`/api/v1/sessions/${sessionId}/close`).set('X-CSRF-Token', officeToken).expect(200);
    const minutes = await office.get(`/sessions/${sessionId}/minutes.pdf`).buffer(true).parse(binary).expect(200);
    const text = await pdfText(minutes.body as Buffer);
    expect(text).toContain('Antrag auf geheime Abstimmung');
    expect(text).toContain('(4 von 4 nötigen Anträgen)');
    expect(text).toContain(present[3].fullName);
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
  it('a stand-in must be a deputy, and the absent member’s own deputy where one is named; an advisory member never stands in nor votes', async () => {
    const { office, officeToken, sessionId, items, present, members, voting } = await openSession();
    const byName = (name: string) => members.find((m) => m.fullName === name)!;
    const [hildegard, bernd, yusuf] = [byName('Hildegard Kamps'), byName('Bernd Jansen'), byName('Yusuf Kaya')];
    const advisoryMember = members.find((m) => m.email === DEMO.advisory)!;
    const otherVoting = voting.find((m) => m.id !== hildegard.id && !present.some((p) => p.id === m.id))!;
    const put = (body: object) => office.put(`/api/v1/sessions/${sessionId}/attendance`).set('X-CSRF-Token', officeToken).send(body);
    await put({ memberId: hildegard.id, present: false }).expect(204);
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    const eligible = async () => (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items[0].eligibleVoters as number;
    const before = await eligible();

    const advisory = await put({ memberId: advisoryMember.id, present: true, standsInFor: hildegard.id }).expect(422);
    expect(advisory.body.fields.standsInFor[0]).toContain('Vertreten kann nur ein stellvertretendes Mitglied');
    const member = await put({ memberId: otherVoting.id, present: true, standsInFor: hildegard.id }).expect(422);
    expect(Object.keys(member.body.fields)).toEqual(['standsInFor']);
    const notOwn = await put({ memberId: yusuf.id, present: true, standsInFor: hildegard.id }).expect(422);
    expect(notOwn.body.fields.standsInFor[0]).toContain('persönliche Stellvertretung');
    // nothing of the refused entries was written
    expect(await t.dataSource.query(`SELECT member_id FROM attendance WHERE session_id = $1 AND stands_in_for IS NOT NULL`, [sessionId])).toEqual([]);
    expect(await eligible()).toBe(before);

    await put({ memberId: bernd.id, present: true, standsInFor: hildegard.id }).expect(204);
    expect(await eligible()).toBe(before + 1);

    // The rules themselves give no vote to an advisory member recorded as standing in some other way.
    const absent = voting.find((m) => m.id !== hildegard.id && m.id !== otherVoting.id && !m.deputyId && !present.some((p) => p.id === m.id))!;
    await t.dataSource.query(`INSERT INTO attendance (session_id, member_id, stands_in_for) VALUES ($1, $2, $3)`, [sessionId, advisoryMember.id, absent.id]);
    expect(await eligible()).toBe(before + 1);
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.advisory);
    await agent.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', token).send({ choice: 'yes' }).expect(403);

    // the page's form is saved whole or not at all; the message is at the deputy's field, with the choice kept
    const rows = async () => t.dataSource.query(`SELECT member_id, stands_in_for, left_at FROM attendance WHERE session_id = $1 ORDER BY member_id`, [sessionId]);
    const saved = await rows();
    const ayse = present[0];
    const form = [`_csrf=${encodeURIComponent(officeToken)}`, ...present.slice(2).map((m) => `present%5B${m.id}%5D=true`), `present%5B${ayse.id}%5D=true`, `present%5B${yusuf.id}%5D=true`, `standsInFor%5B${yusuf.id}%5D=${ayse.id}`];
    const page = await office.post(`/sessions/${sessionId}/attendance`).type('form').send(form.join('&')).expect(422);
    expect(page.text).toContain(`id="f-standsInFor-${yusuf.id}-error"`);
    expect(page.text).toContain('Vertreten werden kann nur ein anderes Mitglied, das abwesend ist.');
    expect(page.text).toMatch(new RegExp(`<option value="${ayse.id}" selected>`));
    expect(await rows()).toEqual(saved);
  });

  it('presence and quorum are per item: a late arrival counts from the item at which they arrive, an early departure until then', async () => {
    const { office, officeToken, sessionId, items, present, voting } = await openSession();
    const late = voting.find((m) => !present.some((p) => p.id === m.id))!;
    const leaving = present[1];
    const hands = (item: string, voters: Member[]) =>
      office.post(`/api/v1/agenda-items/${item}/show-of-hands`).set('X-CSRF-Token', officeToken).send({ choices: Object.fromEntries(voters.map((m) => [m.id, 'yes'])) });

    // TOP 1 with the ten present from the start; the late member cannot be recorded yet
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    const refused = await hands(items[0], [...present, late]).expect(422);
    expect(Object.keys(refused.body.fields)).toEqual([`choices.${late.id}`]);
    expect(await t.dataSource.query(`SELECT 1 FROM ballot WHERE item_id = $1`, [items[0]])).toEqual([]);
    expect((await hands(items[0], present).expect(201)).body).toEqual({ recorded: 10 });
    await office.post(`/api/v1/agenda-items/${items[0]}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);

    // after TOP 1 one member arrives and another leaves
    await office.put(`/api/v1/sessions/${sessionId}/attendance`).set('X-CSRF-Token', officeToken).send({ memberId: late.id, present: true }).expect(204);
    await office.put(`/api/v1/sessions/${sessionId}/attendance`).set('X-CSRF-Token', officeToken).send({ memberId: leaving.id, present: false }).expect(204);
    await office.post(`/api/v1/agenda-items/${items[1]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    const view = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body;
    expect(view.items.map((i: { eligibleVoters: number }) => i.eligibleVoters)).toEqual([10, 10]);
    expect(view.items[1].missing).toContain(late.id);
    expect(view.items[1].missing).not.toContain(leaving.id);
    const attendance = view.attendance.find((a: { memberId: string }) => a.memberId === late.id);
    expect(attendance.arrivedTime).toMatch(/^\d{2}:\d{2}$/);
    await hands(items[1], [leaving]).expect(422);
    await hands(items[1], [...present.filter((m) => m.id !== leaving.id), late]).expect(201);
    await office.post(`/api/v1/agenda-items/${items[1]}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);

    await office.post(`/api/v1/sessions/${sessionId}/close`).set('X-CSRF-Token', officeToken).expect(200);
    const minutes = await office.get(`/sessions/${sessionId}/minutes.pdf`).buffer(true).parse(binary).expect(200);
    const text = await pdfText(minutes.body as Buffer);
    const top1 = text.slice(text.indexOf('TOP 1:'), text.indexOf('TOP 2:'));
    const top2 = text.slice(text.indexOf('TOP 2:'), text.indexOf('Unterschriften'));
    expect(top1).toContain('Anwesend 10 stimmberechtigt:');
    expect(top1).toContain(leaving.fullName);
    expect(top1).not.toContain(late.fullName);
    expect(top2).toContain('Anwesend 10 stimmberechtigt:');
    expect(top2).toContain(late.fullName);
    expect(top2).not.toContain(leaving.fullName);
    expect(text).toMatch(new RegExp(`${late.fullName} \\(ab \\d{2}:\\d{2} Uhr\\)`));
    expect(text).toMatch(new RegExp(`${leaving.fullName} \\(bis \\d{2}:\\d{2} Uhr\\)`));
  });

  it('a conflict known after the vote withdraws the vote until the item is decided, and is minuted with a note after it', async () => {
    const { office, officeToken, sessionId, items, present, ayse, voting } = await openSession();
    // eleven present, so that one conflict still leaves a quorum
    const eleventh = voting.find((m) => !present.some((p) => p.id === m.id))!;
    await office.put(`/api/v1/sessions/${sessionId}/attendance`).set('X-CSRF-Token', officeToken).send({ memberId: eleventh.id, present: true }).expect(204);
    const everyone = [...present, eleventh];
    const others = everyone.filter((m) => m.id !== ayse.id);
    const member = t.agent();
    const memberToken = await loginAs(member, DEMO.voting);

    // open ballot: the member's own ballot and vote are taken back
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    await member.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', memberToken).send({ choice: 'yes' }).expect(201);
    await office.post(`/api/v1/agenda-items/${items[0]}/conflicts`).set('X-CSRF-Token', officeToken).send({ memberId: ayse.id, reason: 'Tochter leitet das Vorhaben' }).expect(204);
    expect(await t.dataSource.query(`SELECT 1 FROM ballot WHERE item_id = $1`, [items[0]])).toEqual([]);
    expect(await t.dataSource.query(`SELECT 1 FROM vote WHERE item_id = $1`, [items[0]])).toEqual([]);
    const view = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items[0];
    expect(view.eligibleVoters).toBe(10);
    expect(view.conflicts[0]).toEqual(expect.objectContaining({ memberId: ayse.id, voteWithdrawn: 'vote', afterDecision: false }));
    await member.post(`/api/v1/agenda-items/${items[0]}/votes`).set('X-CSRF-Token', memberToken).send({ choice: 'yes' }).expect(403);
    await office.post(`/api/v1/agenda-items/${items[0]}/show-of-hands`).set('X-CSRF-Token', officeToken)
      .send({ choices: Object.fromEntries(others.map((m, i) => [m.id, i < 4 ? 'yes' : 'no'])) }).expect(201);
    const closed = await office.post(`/api/v1/agenda-items/${items[0]}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);
    expect(closed.body).toEqual(expect.objectContaining({ decision: 'rejected', yesCount: 4, noCount: 6, eligibleVoters: 10 }));
    // after the decision: recorded with a note, the result stands
    await office.post(`/api/v1/agenda-items/${items[0]}/conflicts`).set('X-CSRF-Token', officeToken).send({ memberId: others[0].id, reason: 'Kassenprüfer des Vereins' }).expect(204);
    const after = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items[0];
    expect(after).toEqual(expect.objectContaining({ yesCount: 4, noCount: 6, eligibleVoters: 10, decision: 'rejected' }));
    expect(after.conflicts.find((c: { memberId: string }) => c.memberId === others[0].id)).toEqual(expect.objectContaining({ afterDecision: true, voteWithdrawn: null }));

    // secret ballot: no vote can be traced to the member, so every vote is taken back and the ballot held again
    await office.post(`/api/v1/agenda-items/${items[1]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    for (const other of others.slice(0, 4)) {
      await office.post(`/api/v1/agenda-items/${items[1]}/secret-ballot-requests`).set('X-CSRF-Token', officeToken).send({ memberId: other.id }).expect(200);
    }
    await member.post(`/api/v1/agenda-items/${items[1]}/votes`).set('X-CSRF-Token', memberToken).send({ choice: 'yes' }).expect(201);
    await office.put(`/api/v1/agenda-items/${items[1]}/ballot-counts`).set('X-CSRF-Token', officeToken).send({ yes: 3, no: 0, abstain: 0 }).expect(200);
    const page = await office.post(`/sessions/${sessionId}/items/${items[1]}/conflict`).type('form')
      .send({ _csrf: officeToken, memberId: ayse.id, reason: 'Vorstand des Trägers' }).expect(303);
    expect(page.headers.location).toContain('notice=session.conflictRecorded');
    expect(await t.dataSource.query(`SELECT 1 FROM vote WHERE item_id = $1`, [items[1]])).toEqual([]);
    expect(await t.dataSource.query(`SELECT 1 FROM ballot WHERE item_id = $1`, [items[1]])).toEqual([]);

    await office.post(`/api/v1/sessions/${sessionId}/close`).set('X-CSRF-Token', officeToken).expect(200);
    const minutes = await office.get(`/sessions/${sessionId}/minutes.pdf`).buffer(true).parse(binary).expect(200);
    const text = await pdfText(minutes.body as Buffer);
    expect(text).toContain('Tochter leitet das Vorhaben Die schon abgegebene Stimme wurde wegen der Befangenheit zurückgenommen.');
    expect(text).toContain('Kassenprüfer des Vereins Die Befangenheit wurde erst nach der Abstimmung bekannt; das Mitglied hat mit abgestimmt, das Ergebnis bleibt unverändert.');
    expect(text).toContain('Die geheime Abstimmung wurde wegen der Befangenheit wiederholt');
  });

  it('ratings start empty, are refused without a value at the field, and the office records ratings agreed in the room', async () => {
    const { office, officeToken, sessionId, items, present } = await openSession();
    await office.post(`/api/v1/agenda-items/${items[0]}/open`).set('X-CSRF-Token', officeToken).expect(200);
    await office.post(`/api/v1/agenda-items/${items[0]}/show-of-hands`).set('X-CSRF-Token', officeToken).send({ choices: Object.fromEntries(present.map((m) => [m.id, 'yes'])) }).expect(201);
    await office.post(`/api/v1/agenda-items/${items[0]}/close`).set('X-CSRF-Token', officeToken).send({}).expect(200);

    const member = t.agent();
    const memberToken = await loginAs(member, DEMO.voting);
    const form = (await member.get(`/sessions/${sessionId}`).expect(200)).text;
    const select = /<select id="rating-importance-[^"]+"[^>]*>([\s\S]*?)<\/select>/.exec(form)![1];
    expect(select).toContain('<option value="">');
    expect(select).not.toContain('selected');
    const api = await member.put(`/api/v1/agenda-items/${items[0]}/rating`).set('X-CSRF-Token', memberToken).send({}).expect(422);
    expect(Object.keys(api.body.fields).sort()).toEqual(['importance', 'urgency']);
    const page = await member.post(`/sessions/${sessionId}/items/${items[0]}/rating`).type('form').send({ _csrf: memberToken, importance: '4', urgency: '' }).expect(422);
    expect(page.text).toMatch(/id="rating-urgency-[^"]+-error">Bitte wählen Sie einen Wert von 1 bis 5/);
    expect(page.text).toMatch(/<option value="4" selected>/);
    expect(await t.dataSource.query(`SELECT 1 FROM rating WHERE item_id = $1`, [items[0]])).toEqual([]);

    // the office records a rating agreed in the room for a member without a device
    const withoutDevice = present[3];
    await office.put(`/api/v1/agenda-items/${items[0]}/rating`).set('X-CSRF-Token', officeToken).send({ memberId: withoutDevice.id, importance: 3, urgency: 5 }).expect(204);
    const rated = await office.post(`/sessions/${sessionId}/items/${items[0]}/rating`).type('form').send({ _csrf: officeToken, memberId: present[4].id, importance: '2', urgency: '2' }).expect(303);
    // The office is told that the member's rating is saved, not "your rating".
    const ratedPage = (await office.get(rated.headers.location).expect(200)).text;
    expect(ratedPage).toContain('Die Bewertung für das Mitglied ist gespeichert.');
    expect(ratedPage).not.toContain('Ihre Bewertung ist gespeichert.');
    const recorded = await office.post(`/sessions/${sessionId}/items/${items[1]}/conflict`).type('form').send({ _csrf: officeToken, memberId: present[5].id, reason: 'Kassenprüferin des Trägers' }).expect(303);
    const recordedPage = (await office.get(recorded.headers.location).expect(200)).text;
    expect(recordedPage).toContain('Die Befangenheit des Mitglieds ist festgehalten');
    expect(recordedPage).not.toContain('Ihre Befangenheit ist erklärt');
    const ratings = await t.dataSource.query(`SELECT member_id, importance, urgency FROM rating WHERE item_id = $1 ORDER BY importance DESC`, [items[0]]);
    expect(ratings).toEqual([{ member_id: withoutDevice.id, importance: 3, urgency: 5 }, { member_id: present[4].id, importance: 2, urgency: 2 }]);
  });
});
