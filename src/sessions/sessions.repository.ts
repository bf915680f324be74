import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { auditedStatement, type AuditRow } from '../audit/audited-statement.js';
import { Transactions } from '../common/transactions.js';
import type { Choice, Presence, Seat, Tally } from './council-rules.js';
import { AgendaItem, CouncilSession, type ItemStatus, type SessionStatus } from './session.entities.js';

export interface ItemRow {
  id: string;
  position: number;
  status: string;
  secretBallot: boolean;
  recommendedCents: number | null;
  decision: string | null;
  yesCount: number | null;
  noCount: number | null;
  abstainCount: number | null;
  applicationId: string;
  referenceNumber: string;
  title: string;
  organisationName: string;
  organisationId: string;
  fieldOfAction: string;
  requestedCents: number;
  submittedAt: Date;
  /** Who was present when the item was decided, and how many of them could vote. */
  presence: Presence[] | null;
  decidedVoters: number | null;
}

/** A member's attendance: arrived (before the opening when present from the start), left if they left. */
export interface AttendanceRow extends Presence {
  arrivedAt: Date;
  leftAt: Date | null;
}

/** What a vote is checked against (SessionsRepository.voteContext). */
export interface VoteContext {
  id: string;
  status: ItemStatus;
  secretBallot: boolean;
  sessionId: string;
  sessionStatus: SessionStatus;
  ownMemberId: string | null;
  seats: Seat[];
  presence: Presence[];
  conflicted: string[];
}

const VOTE_CONTEXT_SQL = `SELECT i.id, i.status, i.secret_ballot AS "secretBallot", s.id AS "sessionId", s.status AS "sessionStatus",
              (SELECT m.id FROM round_table_member m WHERE m.user_id = $2 LIMIT 1) AS "ownMemberId",
              COALESCE((SELECT json_agg(json_build_object('memberId', m.id, 'votingRight', m.voting_right, 'kind', m.kind, 'deputyId', m.deputy_id)
                                 ORDER BY m.voting_right DESC, m.full_name)
                        FROM round_table_member m
                        WHERE m.term_start <= (s.scheduled_at AT TIME ZONE 'Europe/Berlin')::date
                          AND (m.term_end IS NULL OR m.term_end >= (s.scheduled_at AT TIME ZONE 'Europe/Berlin')::date)), '[]') AS seats,
              COALESCE((SELECT json_agg(json_build_object('memberId', a.member_id, 'standsInFor', a.stands_in_for))
                        FROM attendance a WHERE a.session_id = s.id AND a.left_at IS NULL), '[]') AS presence,
              ARRAY(SELECT c.member_id::text FROM conflict_declaration c WHERE c.item_id = i.id) AS conflicted
       FROM agenda_item i JOIN council_session s ON s.id = i.session_id
       WHERE i.id = $1`;

/** Every query on sessions, agenda items, attendance, conflicts, ballots, ratings and recommendations. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly db: Transactions) {}

  list(): Promise<CouncilSession[]> {
    return this.db.manager.getRepository(CouncilSession).find({ order: { scheduledAt: 'DESC' } });
  }

  findSession(id: string, manager: EntityManager = this.db.manager): Promise<CouncilSession | null> {
    return manager.findOneBy(CouncilSession, { id });
  }

  lockSession(manager: EntityManager, id: string): Promise<CouncilSession | null> {
    return manager.getRepository(CouncilSession).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  lockItem(manager: EntityManager, id: string, mode: 'update' | 'share'): Promise<AgendaItem | null> {
    return manager.getRepository(AgendaItem).findOne({ where: { id }, lock: { mode: mode === 'update' ? 'pessimistic_write' : 'pessimistic_read' } });
  }

  createSession(manager: EntityManager, columns: Pick<CouncilSession, 'callId' | 'scheduledAt' | 'place' | 'chairMemberId' | 'status' | 'createdBy'>): Promise<CouncilSession> {
    const repository = manager.getRepository(CouncilSession);
    return repository.save(repository.create(columns));
  }

  /** Saves the session's new state; its version column refuses a stale copy. */
  saveSession(manager: EntityManager, session: CouncilSession): Promise<CouncilSession> {
    return manager.getRepository(CouncilSession).save(session);
  }

  addItem(manager: EntityManager, columns: Pick<AgendaItem, 'sessionId' | 'applicationId' | 'position' | 'status' | 'secretBallot'>): Promise<AgendaItem> {
    const repository = manager.getRepository(AgendaItem);
    return repository.save(repository.create(columns));
  }

  saveItem(manager: EntityManager, item: AgendaItem): Promise<AgendaItem> {
    return manager.getRepository(AgendaItem).save(item);
  }

  /** The session's agenda items as stored, for changing them. */
  agendaItems(manager: EntityManager, sessionId: string): Promise<AgendaItem[]> {
    return manager.getRepository(AgendaItem).findBy({ sessionId });
  }

  items(sessionId: string, manager: EntityManager = this.db.manager): Promise<ItemRow[]> {
    return manager.query(
      `SELECT i.id, i.position, i.status, i.secret_ballot AS "secretBallot", i.recommended_cents::float8 AS "recommendedCents", i.decision,
              i.yes_count AS "yesCount", i.no_count AS "noCount", i.abstain_count AS "abstainCount", i.presence, i.eligible_voters AS "decidedVoters",
              a.id AS "applicationId", a.reference_number AS "referenceNumber", a.title, o.name AS "organisationName", o.id AS "organisationId",
              a.field_of_action AS "fieldOfAction", a.requested_cents::float8 AS "requestedCents", a.first_submitted_at AS "submittedAt"
       FROM agenda_item i JOIN application a ON a.id = i.application_id JOIN organisation o ON o.id = a.organisation_id
       WHERE i.session_id = $1 ORDER BY i.position`,
      [sessionId],
    );
  }

  /** The members with a login in office on any of the days: who is invited, told of changes and of a cancellation. */
  invitees(manager: EntityManager, days: string[]): Promise<{ email: string; name: string; lang: 'de' | 'en' }[]> {
    return manager.query(
      `SELECT u.email, u.full_name AS name, u.preferred_language AS lang FROM round_table_member m JOIN app_user u ON u.id = m.user_id
       WHERE u.status IN ('active', 'invited')
         AND EXISTS (SELECT 1 FROM unnest($1::date[]) AS d(day) WHERE m.term_start <= d.day AND (m.term_end IS NULL OR m.term_end >= d.day))`,
      [days],
    );
  }

  /** Members in office on a day, as seats of the council rules, with names for the pages. */
  seats(day: string, manager: EntityManager = this.db.manager): Promise<(Seat & { fullName: string; userId: string | null; group: string; represents: string | null })[]> {
    return manager.query(
      `SELECT id AS "memberId", voting_right AS "votingRight", kind, deputy_id AS "deputyId", full_name AS "fullName", user_id AS "userId", member_group AS "group", represents
       FROM round_table_member WHERE term_start <= $1 AND (term_end IS NULL OR term_end >= $1) ORDER BY voting_right DESC, full_name`,
      [day],
    );
  }

  /** Who is present now: arrived and not left. */
  presence(sessionId: string, manager: EntityManager = this.db.manager): Promise<Presence[]> {
    return manager.query(`SELECT member_id AS "memberId", stands_in_for AS "standsInFor" FROM attendance WHERE session_id = $1 AND left_at IS NULL`, [sessionId]);
  }

  /** Everyone who came to the session, with arrival and departure. */
  attendance(sessionId: string, manager: EntityManager = this.db.manager): Promise<AttendanceRow[]> {
    return manager.query(
      `SELECT member_id AS "memberId", stands_in_for AS "standsInFor", arrived_at AS "arrivedAt", left_at AS "leftAt" FROM attendance WHERE session_id = $1 ORDER BY arrived_at`,
      [sessionId],
    );
  }

  /** Records that the member is present (again), keeping the first arrival; false when a deputy already stands in for that member. */
  async arrive(manager: EntityManager, sessionId: string, memberId: string, standsInFor: string | null): Promise<boolean> {
    try {
      await manager.query(
        `INSERT INTO attendance (session_id, member_id, stands_in_for) VALUES ($1, $2, $3)
         ON CONFLICT (session_id, member_id) DO UPDATE SET stands_in_for = EXCLUDED.stands_in_for, left_at = NULL`,
        [sessionId, memberId, standsInFor],
      );
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return false;
      throw error;
    }
  }

  /** Before the session opens an absence removes the entry; afterwards it is a departure at this time. */
  async leave(manager: EntityManager, sessionId: string, memberId: string, departure: boolean): Promise<void> {
    if (departure) await manager.query(`UPDATE attendance SET left_at = now() WHERE session_id = $1 AND member_id = $2 AND left_at IS NULL`, [sessionId, memberId]);
    else await manager.query(`DELETE FROM attendance WHERE session_id = $1 AND member_id = $2`, [sessionId, memberId]);
  }

  conflicts(itemIds: string[], manager: EntityManager = this.db.manager): Promise<{ itemId: string; memberId: string; source: string; reason: string; declaredAt: Date; fullName: string; voteWithdrawn: 'vote' | 'secret_ballot_repeated' | null; afterDecision: boolean }[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return manager.query(
      `SELECT c.item_id AS "itemId", c.member_id AS "memberId", c.source, c.reason, c.declared_at AS "declaredAt", m.full_name AS "fullName",
              c.vote_withdrawn AS "voteWithdrawn", c.after_decision AS "afterDecision"
       FROM conflict_declaration c JOIN round_table_member m ON m.id = c.member_id WHERE c.item_id = ANY($1) ORDER BY c.declared_at`,
      [itemIds],
    );
  }

  /** Members whose declared affiliation ties them to the organisation: flagged before the vote. */
  async flagAffiliations(manager: EntityManager, itemId: string, organisationId: string, userId: string | null): Promise<void> {
    await manager.query(
      `INSERT INTO conflict_declaration (item_id, member_id, source, reason, declared_by)
       SELECT $1, a.member_id, 'affiliation',
              string_agg(CASE a.kind WHEN 'board' THEN 'Vorstand' WHEN 'employment' THEN 'Anstellung'
                                     WHEN 'membership' THEN 'Mitgliedschaft' ELSE 'familiäre Verbindung' END, ', ' ORDER BY a.kind), $3
       FROM member_affiliation a WHERE a.organisation_id = $2 GROUP BY a.member_id
       ON CONFLICT (item_id, member_id) DO NOTHING`,
      [itemId, organisationId, userId],
    );
  }

  /** Records a declared conflict (or updates its reason), noting a withdrawn vote or that it came to light after the decision. */
  async declareConflict(manager: EntityManager, itemId: string, memberId: string, reason: string, userId: string, note: { voteWithdrawn: 'vote' | 'secret_ballot_repeated' | null; afterDecision: boolean }): Promise<void> {
    await manager.query(
      `INSERT INTO conflict_declaration (item_id, member_id, source, reason, declared_by, vote_withdrawn, after_decision) VALUES ($1, $2, 'declared', $3, $4, $5, $6)
       ON CONFLICT (item_id, member_id) DO UPDATE SET reason = EXCLUDED.reason,
         vote_withdrawn = coalesce(EXCLUDED.vote_withdrawn, conflict_declaration.vote_withdrawn),
         after_decision = conflict_declaration.after_decision OR EXCLUDED.after_decision`,
      [itemId, memberId, reason, userId, note.voteWithdrawn, note.afterDecision],
    );
  }

  /** Takes back a member's ballot and, in an open ballot, their vote; true when they had voted. */
  async withdrawVote(manager: EntityManager, itemId: string, memberId: string): Promise<boolean> {
    const [, removed] = await manager.query(`DELETE FROM ballot WHERE item_id = $1 AND member_id = $2`, [itemId, memberId]);
    await manager.query(`DELETE FROM vote WHERE item_id = $1 AND member_id = $2`, [itemId, memberId]);
    return removed > 0;
  }

  /** Takes back every ballot and vote of an item, so that the vote is held again. */
  async clearVotes(manager: EntityManager, itemId: string): Promise<void> {
    await manager.query(`DELETE FROM ballot WHERE item_id = $1`, [itemId]);
    await manager.query(`DELETE FROM vote WHERE item_id = $1`, [itemId]);
  }

  /** The votes of a secret ballot the office counted, per item. */
  async officeCounts(itemIds: string[], manager: EntityManager = this.db.manager): Promise<Map<string, number>> {
    if (itemIds.length === 0) return new Map();
    const rows: { itemId: string; n: number }[] = await manager.query(
      `SELECT item_id AS "itemId", count(*)::int AS n FROM vote WHERE item_id = ANY($1) AND counted_by_office GROUP BY item_id`,
      [itemIds],
    );
    return new Map(rows.map((r) => [r.itemId, r.n]));
  }

  /** Replaces the totals the office counted in a secret ballot: one vote row per vote, without members. */
  async replaceOfficeCounts(manager: EntityManager, itemId: string, counts: Tally): Promise<void> {
    await manager.query(`DELETE FROM vote WHERE item_id = $1 AND counted_by_office`, [itemId]);
    const choices = [...Array<Choice>(counts.yes).fill('yes'), ...Array<Choice>(counts.no).fill('no'), ...Array<Choice>(counts.abstain).fill('abstain')];
    if (choices.length > 0) {
      await manager.query(`INSERT INTO vote (item_id, member_id, choice, counted_by_office) SELECT $1, NULL, c, true FROM unnest($2::text[]) AS c`, [itemId, choices]);
    }
  }

  /** Records the member's request for a secret ballot (once) and returns how many members have asked. */
  async requestSecretBallot(manager: EntityManager, itemId: string, memberId: string): Promise<number> {
    await manager.query(`INSERT INTO secret_ballot_request (item_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [itemId, memberId]);
    const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM secret_ballot_request WHERE item_id = $1`, [itemId]);
    return n;
  }

  /** Who asked for a secret ballot on each item. */
  secretBallotRequests(itemIds: string[], manager: EntityManager = this.db.manager): Promise<{ itemId: string; memberId: string; fullName: string }[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return manager.query(
      `SELECT r.item_id AS "itemId", r.member_id AS "memberId", m.full_name AS "fullName"
       FROM secret_ballot_request r JOIN round_table_member m ON m.id = r.member_id WHERE r.item_id = ANY($1) ORDER BY m.full_name`,
      [itemIds],
    );
  }

  ballots(itemIds: string[], manager: EntityManager = this.db.manager): Promise<{ itemId: string; memberId: string }[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return manager.query(`SELECT item_id AS "itemId", member_id AS "memberId" FROM ballot WHERE item_id = ANY($1)`, [itemIds]);
  }

  /** Inserts the ballot; false when the member has voted already (the primary key refuses a second one). */
  /**
   * Everything a vote is checked against, in one statement: the item, its session, the member behind
   * the login, the seats on the session's day, who is present and who is conflicted on the item.
   * Nothing is locked: castVote writes only if the item is as read here.
   */
  async voteContext(itemId: string, userId: string): Promise<VoteContext | null> {
    const [row] = await this.db.prepared<VoteContext>('sessions.voteContext', VOTE_CONTEXT_SQL, [itemId, userId]);
    return row ?? null;
  }

  /**
   * Ballot, vote and audit row in one statement, written only while the item is still open with the
   * ballot kind the checks saw (`secret`): the item is locked for share within the statement, so a
   * close waits for it or it sees the close. `itemChanged` says the item is no longer as read (check
   * again); `alreadyVoted` that the member has a ballot. In a secret ballot the vote has no member.
   */
  async castVote(
    vote: { itemId: string; memberId: string; byOffice: boolean; secret: boolean; choice: Choice },
    audit: AuditRow,
  ): Promise<'cast' | 'itemChanged' | 'alreadyVoted'> {
    const [sql, params] = auditedStatement({
      with: `item AS (
         SELECT id FROM agenda_item WHERE id = $1 AND status = 'open' AND secret_ballot = $4::boolean FOR SHARE
       ), ballot AS (
         INSERT INTO ballot (item_id, member_id, recorded_by_office) SELECT item.id, $2, $3 FROM item ON CONFLICT DO NOTHING RETURNING item_id, member_id
       ), cast_vote AS (
         INSERT INTO vote (item_id, member_id, choice) SELECT item_id, CASE WHEN $4::boolean THEN NULL ELSE member_id END, $5::text FROM ballot RETURNING 1
       )`,
      select: `SELECT (SELECT count(*) FROM item)::int AS open, (SELECT count(*) FROM ballot)::int AS cast`,
      params: [vote.itemId, vote.memberId, vote.byOffice, vote.secret, vote.choice],
    }, audit, { source: 'ballot' });
    const [row] = await this.db.prepared<{ open: number; cast: number }>('sessions.castVote', sql, params);
    return row.cast === 1 ? 'cast' : row.open === 0 ? 'itemChanged' : 'alreadyVoted';
  }

  async castBallot(manager: EntityManager, itemId: string, memberId: string, byOffice: boolean): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO ballot (item_id, member_id, recorded_by_office) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING member_id`,
      [itemId, memberId, byOffice],
    );
    return rows.length === 1;
  }

  async recordVote(manager: EntityManager, itemId: string, memberId: string | null, choice: Choice): Promise<void> {
    await manager.query(`INSERT INTO vote (item_id, member_id, choice) VALUES ($1, $2, $3)`, [itemId, memberId, choice]);
  }

  /** The votes of closed items; in a secret ballot without members. */
  closedVotes(itemIds: string[]): Promise<{ itemId: string; memberId: string | null; choice: Choice }[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return this.db.manager.query(
      `SELECT v.item_id AS "itemId", v.member_id AS "memberId", v.choice FROM vote v JOIN agenda_item i ON i.id = v.item_id
       WHERE v.item_id = ANY($1) AND i.status = 'closed'`,
      [itemIds],
    );
  }

  votes(itemId: string, manager: EntityManager = this.db.manager): Promise<{ memberId: string | null; choice: Choice }[]> {
    return manager.query(`SELECT member_id AS "memberId", choice FROM vote WHERE item_id = $1`, [itemId]);
  }

  /**
   * Mean ratings of the approved items of a call's sessions, for the ranking: those still waiting for
   * a decision and those awarded (they hold their share of the budget); withdrawn ones free theirs.
   */
  approvedWithRatings(callId: string): Promise<(ItemRow & { importance: number | null; urgency: number | null; ratings: number })[]> {
    return this.db.manager.query(
      `SELECT i.id, i.recommended_cents::float8 AS "recommendedCents", a.id AS "applicationId", a.reference_number AS "referenceNumber", a.title,
              o.name AS "organisationName", a.field_of_action AS "fieldOfAction", a.requested_cents::float8 AS "requestedCents",
              a.first_submitted_at AS "submittedAt", avg(r.importance)::float8 AS importance, avg(r.urgency)::float8 AS urgency, count(r.member_id)::int AS ratings
       FROM agenda_item i JOIN council_session s ON s.id = i.session_id JOIN application a ON a.id = i.application_id
       JOIN organisation o ON o.id = a.organisation_id LEFT JOIN rating r ON r.item_id = i.id
       WHERE s.call_id = $1 AND i.decision = 'approved' AND a.status IN ('approved', 'awarded', 'final')
       GROUP BY i.id, a.id, o.name`,
      [callId],
    );
  }

  /**
   * Money grantees paid back on repayment claims: booked as freed with its claim. The awarded items
   * still hold their allocated share in the ranking, so this comes on top of the budget there.
   */
  async repaidCents(callId: string): Promise<number> {
    const [row] = await this.db.manager.query(
      `SELECT COALESCE(sum(amount_cents), 0)::float8 AS cents FROM ledger_entry WHERE call_id = $1 AND kind = 'freed' AND claim_id IS NOT NULL`,
      [callId],
    );
    return row.cents;
  }

  async latestSnapshot(callId: string): Promise<{ funded: { applicationId: string; grantedCents: number }[]; confirmedAt: Date } | null> {
    const [row] = await this.db.manager.query(
      `SELECT funded, confirmed_at AS "confirmedAt" FROM allocation_snapshot WHERE call_id = $1 ORDER BY confirmed_at DESC LIMIT 1`,
      [callId],
    );
    return row ?? null;
  }

  async saveSnapshot(manager: EntityManager, callId: string, funded: { applicationId: string; grantedCents: number }[], userId: string): Promise<void> {
    await manager.query(`INSERT INTO allocation_snapshot (call_id, funded, confirmed_by) VALUES ($1, $2, $3)`, [callId, JSON.stringify(funded), userId]);
  }

  async rate(itemId: string, memberId: string, importance: number, urgency: number, manager: EntityManager = this.db.manager): Promise<void> {
    await manager.query(
      `INSERT INTO rating (item_id, member_id, importance, urgency) VALUES ($1, $2, $3, $4)
       ON CONFLICT (item_id, member_id) DO UPDATE SET importance = EXCLUDED.importance, urgency = EXCLUDED.urgency, rated_at = now()`,
      [itemId, memberId, importance, urgency],
    );
  }

  async removeRating(manager: EntityManager, itemId: string, memberId: string): Promise<void> {
    await manager.query(`DELETE FROM rating WHERE item_id = $1 AND member_id = $2`, [itemId, memberId]);
  }

  ratings(itemIds: string[]): Promise<{ itemId: string; memberId: string; importance: number; urgency: number }[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return this.db.manager.query(`SELECT item_id AS "itemId", member_id AS "memberId", importance, urgency FROM rating WHERE item_id = ANY($1)`, [itemIds]);
  }

  async recommend(manager: EntityManager, itemId: string, memberId: string, text: string): Promise<void> {
    await manager.query(
      `INSERT INTO recommendation (item_id, member_id, text) VALUES ($1, $2, $3) ON CONFLICT (item_id, member_id) DO UPDATE SET text = EXCLUDED.text, created_at = now()`,
      [itemId, memberId, text],
    );
  }

  recommendations(itemIds: string[]): Promise<{ itemId: string; memberId: string; fullName: string; represents: string | null; text: string; createdAt: Date }[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return this.db.manager.query(
      `SELECT r.item_id AS "itemId", r.member_id AS "memberId", m.full_name AS "fullName", m.represents, r.text, r.created_at AS "createdAt"
       FROM recommendation r JOIN round_table_member m ON m.id = r.member_id WHERE r.item_id = ANY($1) ORDER BY r.created_at`,
      [itemIds],
    );
  }
}
