import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Application } from '../applications/application.entities.js';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { ApplicationsService, type SessionApplicationEvent } from '../applications/applications.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { hasAnyRole, requireStaff, SESSION_READERS, STAFF_ROLES, type Role } from '../auth/roles.js';
import { CallsRepository } from '../calls/calls.repository.js';
import { berlinDay, berlinTime } from '../common/dates.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../common/errors.js';
import { toCsv } from '../common/csv.js';
import { formatRating } from '../common/ratings.js';
import { isUuid } from '../common/ids.js';
import { Transactions } from '../common/transactions.js';
import { MailService } from '../notifications/mail.service.js';
import { allocate, rank, type Allocation, type FundedItem, type RankedItem } from '../ranking/ranking.js';
import { RoundTableRepository } from '../round-table/round-table.repository.js';
import { isQuorate, outcome, presenceWhenDecided, secretBallotApplies, secretBallotNeeded, standInRefusal, statutoryNumber, tally, visibleVotes, votersOnItem, votersPresent, type Choice, type Presence } from './council-rules.js';
import type { AttendanceDto, BallotCountsDto, CancelSessionDto, CloseItemDto, ConflictDto, RatingDto, ScheduleSessionDto, ShowOfHandsDto, UpdateSessionDto, VoteDto } from './dto/session.dto.js';
import { AgendaItem, CouncilSession } from './session.entities.js';
import { SessionsRepository } from './sessions.repository.js';

/** Who leads the session: the chair and the office. */
const SESSION_LEADERS: Role[] = ['chair', 'office', 'admin'];
const CHOICES = ['yes', 'no', 'abstain'] as const;

@Injectable()
export class SessionsService {
  constructor(
    private readonly db: Transactions,
    private readonly sessions: SessionsRepository,
    private readonly calls: CallsRepository,
    private readonly members: RoundTableRepository,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly applications: ApplicationsService,
    private readonly applicationRows: ApplicationsRepository,
  ) {}

  async list(actor: Actor): Promise<CouncilSession[]> {
    requireReader(actor);
    return this.sessions.list();
  }

  /** The session with its agenda, attendance, conflicts, who has voted, recommendations. Votes only as the rules allow. */
  async get(actor: Actor, id: string) {
    requireReader(actor);
    const session = await this.findSession(id);
    const items = await this.sessions.items(id);
    const itemIds = items.map((i) => i.id);
    const [seats, presence, attendance, conflicts, ballots, recommendations, ratings, closedVotes, officeCounts, secretRequests] = await Promise.all([
      this.sessions.seats(berlinDay(session.scheduledAt)),
      this.sessions.presence(id),
      this.sessions.attendance(id),
      this.sessions.conflicts(itemIds),
      this.sessions.ballots(itemIds),
      this.sessions.recommendations(itemIds),
      this.sessions.ratings(itemIds),
      this.sessions.closedVotes(itemIds),
      this.sessions.officeCounts(itemIds),
      this.sessions.secretBallotRequests(itemIds),
    ]);
    const voters = votersPresent(seats, presence);
    const statutory = session.statutoryVotingMembers ?? statutoryNumber(seats);
    const me = await this.members.findByUser(actor.id);
    const memberOptions = seats.map((s) => ({ value: s.memberId, label: s.fullName }));
    return {
      session,
      memberOptions,
      statutory,
      seats,
      presence,
      // Arrivals after the opening and departures, with their time, for the attendance list.
      attendance: attendance.map((a) => ({
        ...a,
        arrivedTime: session.openedAt && a.arrivedAt > session.openedAt ? berlinTime(a.arrivedAt) : null,
        leftTime: a.leftAt ? berlinTime(a.leftAt) : null,
      })),
      me: me ? { memberId: me.id, mayVote: voters.has(me.id) } : null,
      items: items.map((item) => {
        const conflicted = new Set(conflicts.filter((c) => c.itemId === item.id).map((c) => c.memberId));
        // A decided item keeps the presence and the count of its decision; the others count who is present now.
        const decided = item.status === 'closed' && item.presence !== null;
        const eligible = votersOnItem(decided ? votersPresent(seats, item.presence!) : voters, conflicted);
        const eligibleCount = decided && item.decidedVoters !== null ? item.decidedVoters : eligible.size;
        const voted = new Set(ballots.filter((b) => b.itemId === item.id).map((b) => b.memberId));
        const requests = secretRequests.filter((r) => r.itemId === item.id);
        return {
          ...item,
          conflicts: conflicts.filter((c) => c.itemId === item.id),
          eligibleVoters: eligibleCount,
          quorate: isQuorate(statutory, eligibleCount),
          voted: [...voted],
          countedByOffice: officeCounts.get(item.id) ?? 0,
          // Who may still rate an approved item (the office records ratings agreed in the room for them).
          raters: item.status === 'closed' && item.decision === 'approved' ? memberOptions.filter((o) => votersOnItem(voters, conflicted).has(o.value)) : [],
          secretBallotRequests: { names: requests.map((r) => r.fullName), count: requests.length, needed: secretBallotNeeded(statutory) },
          // Who voted how: only for a closed item in an open ballot.
          votesByMember: visibleVotes(
            closedVotes.filter((v) => v.itemId === item.id && v.memberId).map((v) => ({ memberId: v.memberId!, choice: v.choice })),
            { secret: item.secretBallot, closed: item.status === 'closed' },
          ).byMember,
          missing: [...eligible].filter((memberId) => !voted.has(memberId)),
          recommendations: recommendations.filter((r) => r.itemId === item.id),
          myRating: me ? ratings.find((r) => r.itemId === item.id && r.memberId === me.id) ?? null : null,
          ratingsCount: ratings.filter((r) => r.itemId === item.id).length,
        };
      }),
    };
  }

  /** Schedules a session with the call's eligible applications on its agenda; known ties are flagged as conflicts. */
  async schedule(actor: Actor, dto: ScheduleSessionDto): Promise<CouncilSession> {
    requireStaff(actor);
    return this.db.run(async (manager) => {
      const call = await this.calls.findById(dto.callId, manager);
      if (!call) throw new ValidationFailed({ callId: ['validation.choice'] });
      refusePast(dto.scheduledAt);
      if (dto.chairMemberId && !(await this.members.findById(dto.chairMemberId, manager))) throw new ValidationFailed({ chairMemberId: ['validation.choice'] });
      const eligible = await this.applicationRows.eligibleForCall(manager, call.id);
      const chosen = dto.applicationIds ? eligible.filter((a) => dto.applicationIds!.includes(a.id)) : eligible;
      if (dto.applicationIds && chosen.length !== dto.applicationIds.length) throw new ValidationFailed({ applicationIds: ['sessions.notEligible'] });
      const session = await this.sessions.createSession(manager, { callId: call.id, scheduledAt: new Date(dto.scheduledAt), place: dto.place, chairMemberId: dto.chairMemberId ?? null, status: 'planned', createdBy: actor.id });
      for (const [index, application] of chosen.entries()) {
        const item = await this.sessions.addItem(manager, { sessionId: session.id, applicationId: application.id, position: index + 1, status: 'pending', secretBallot: false });
        await this.moveApplication(manager, actor, application, { type: 'ADD_TO_AGENDA' });
        await this.sessions.flagAffiliations(manager, item.id, application.organisationId, actor.id);
      }
      await this.audit.record(manager, actor, { action: 'session.scheduled', entityType: 'session', entityId: session.id, after: { ...session, agenda: chosen.map((a) => a.referenceNumber) } });
      await this.invite(manager, session, call.year, call.title);
      return session;
    });
  }

  /**
   * Moves a session that has not been opened, or changes its place or chair. The members get a
   * changed invitation that says what changed, with the agenda as it now stands.
   */
  async update(actor: Actor, sessionId: string, dto: UpdateSessionDto): Promise<CouncilSession> {
    requireStaff(actor);
    return this.db.run(async (manager) => {
      const session = await this.lockSession(manager, sessionId);
      if (session.status !== 'planned') throw new Conflict('sessions.notPlanned', { status: session.status });
      if (session.version !== dto.version) throw new Conflict('errors.staleVersion', { status: session.status, currentVersion: session.version });
      const scheduledAt = dto.scheduledAt === undefined ? session.scheduledAt : new Date(dto.scheduledAt);
      const chairMemberId = dto.chairMemberId === undefined ? session.chairMemberId : dto.chairMemberId;
      const place = dto.place ?? session.place;
      const moved = scheduledAt.getTime() !== session.scheduledAt.getTime();
      if (moved) refusePast(dto.scheduledAt!);
      const chair = chairMemberId ? await this.members.findById(chairMemberId, manager) : null;
      if (chairMemberId && !chair) throw new ValidationFailed({ chairMemberId: ['validation.choice'] });
      const changed = { scheduledAt: moved, place: place !== session.place, chair: chairMemberId !== session.chairMemberId };
      if (!changed.scheduledAt && !changed.place && !changed.chair) return session;

      const previousChair = session.chairMemberId ? await this.members.findById(session.chairMemberId, manager) : null;
      const saved = await this.sessions.saveSession(manager, { ...session, scheduledAt, place, chairMemberId });
      const before = { scheduledAt: session.scheduledAt, place: session.place, chairMemberId: session.chairMemberId };
      await this.audit.record(manager, actor, { action: 'session.updated', entityType: 'session', entityId: sessionId, before, after: { scheduledAt, place, chairMemberId } });
      const call = (await this.calls.findById(session.callId, manager))!;
      const days = [...new Set([berlinDay(session.scheduledAt), berlinDay(scheduledAt)])];
      for (const recipient of await this.sessions.invitees(manager, days)) {
        await this.mail.queue(manager, {
          to: recipient.email,
          template: 'session-changed',
          lang: recipient.lang,
          context: {
            name: recipient.name,
            callYear: call.year,
            callTitle: call.title,
            when: scheduledAt.toISOString(),
            place,
            chairName: chair?.fullName ?? null,
            previousWhen: changed.scheduledAt ? session.scheduledAt.toISOString() : null,
            previousPlace: changed.place ? session.place : null,
            chairChanged: changed.chair,
            previousChairName: previousChair?.fullName ?? null,
            link: `/sessions/${session.id}`,
          },
          attachments: [{ kind: 'session-agenda', params: { sessionId: session.id, lang: recipient.lang } }],
        });
      }
      return saved;
    });
  }

  /**
   * Records a member present or absent. Once the session is open, a change is an arrival or a
   * departure at this time, so that presence and quorum are known for each item.
   */
  async recordAttendance(actor: Actor, sessionId: string, dto: AttendanceDto): Promise<void> {
    await this.recordAttendanceList(actor, sessionId, [dto]).catch((error: unknown) => {
      // One member's entry: the fields without the member's id.
      if (error instanceof ValidationFailed) throw new ValidationFailed(Object.fromEntries(Object.entries(error.fields).map(([field, keys]) => [field.split('.')[0], keys])));
      if (error instanceof Conflict && typeof error.details.field === 'string') throw new Conflict(error.message, { ...error.details, field: error.details.field.split('.')[0] });
      throw error;
    });
  }

  /**
   * Cancels a session that has not been opened: the members invited are told why, the agenda's
   * applications return to eligible for a later session, and the session takes no further changes.
   */
  async cancel(actor: Actor, sessionId: string, dto: CancelSessionDto): Promise<CouncilSession> {
    requireStaff(actor);
    return this.db.run(async (manager) => {
      const session = await this.lockSession(manager, sessionId);
      if (session.status !== 'planned') throw new Conflict('sessions.notPlanned', { status: session.status });
      const items = (await this.sessions.agendaItems(manager, sessionId)).filter((item) => item.status === 'pending');
      for (const item of items) {
        // A withdrawn application stays withdrawn.
        if ((await this.application(manager, item.applicationId)).status === 'on_agenda') {
          await this.applications.moveForSession(manager, actor, item.applicationId, { type: 'TAKE_OFF_AGENDA' });
        }
        // Taken off the agenda: nothing more can be declared, requested or voted on it.
        await this.sessions.saveItem(manager, { ...item, status: 'deferred', closedAt: new Date() });
      }
      const saved = await this.sessions.saveSession(manager, { ...session, status: 'cancelled', cancelledAt: new Date(), cancellationReason: dto.reason });
      await this.audit.record(manager, actor, { action: 'session.cancelled', entityType: 'session', entityId: sessionId, before: { status: session.status }, after: { status: saved.status, reason: dto.reason, applications: items.map((i) => i.applicationId) } });
      const call = (await this.calls.findById(session.callId, manager))!;
      for (const recipient of await this.sessions.invitees(manager, [berlinDay(session.scheduledAt)])) {
        await this.mail.queue(manager, {
          to: recipient.email,
          template: 'session-cancelled',
          lang: recipient.lang,
          context: { name: recipient.name, callYear: call.year, callTitle: call.title, when: session.scheduledAt.toISOString(), place: session.place, reason: dto.reason },
        });
      }
      return saved;
    });
  }

  /**
   * The attendance form: every member's entry in one transaction, absences first so that a deputy can
   * stand in for a member who was marked present before. A refused entry (422 at `standsInFor.<member>`)
   * leaves all of them unchanged.
   */
  async recordAttendanceList(actor: Actor, sessionId: string, dtos: AttendanceDto[]): Promise<void> {
    requireStaff(actor);
    await this.db.run(async (manager) => {
      const session = await this.lockSession(manager, sessionId);
      if (session.status === 'closed' || session.status === 'cancelled') throw new Conflict(`sessions.${session.status}`, { status: session.status });
      const seats = await this.sessions.seats(berlinDay(session.scheduledAt), manager);
      for (const dto of [...dtos].sort((a, b) => Number(a.present) - Number(b.present))) {
        const seat = seats.find((s) => s.memberId === dto.memberId);
        if (!seat) throw new ValidationFailed({ [`memberId.${dto.memberId}`]: ['sessions.notInOffice'] });
        const row = (await this.sessions.attendance(sessionId, manager)).find((a) => a.memberId === dto.memberId);
        const presentNow = !!row && row.leftAt === null;
        if (!dto.present) {
          if (!presentNow) continue;
          await this.sessions.leave(manager, sessionId, dto.memberId, session.status === 'open');
        } else {
          if (presentNow && row.standsInFor === (dto.standsInFor ?? null)) continue;
          if (dto.standsInFor) {
            const refusal = standInRefusal(seats, dto.memberId, dto.standsInFor);
            if (refusal) throw new ValidationFailed({ [`standsInFor.${dto.memberId}`]: [refusal] });
            const presence = await this.sessions.presence(sessionId, manager);
            if (presence.some((p) => p.memberId === dto.standsInFor)) throw new ValidationFailed({ [`standsInFor.${dto.memberId}`]: ['sessions.standInInvalid'] });
          }
          if (!(await this.sessions.arrive(manager, sessionId, dto.memberId, dto.standsInFor ?? null))) throw new Conflict('sessions.alreadyStoodIn', { field: `standsInFor.${dto.memberId}` });
        }
        const change = session.status !== 'open' ? 'listed' : dto.present ? (presentNow ? 'stands_in' : 'arrived') : 'left';
        await this.audit.record(manager, actor, { action: 'session.attendance', entityType: 'session', entityId: sessionId, after: { ...dto, change } });
      }
    });
  }

  async open(actor: Actor, sessionId: string): Promise<CouncilSession> {
    requireLeader(actor);
    return this.db.run(async (manager) => {
      const session = await this.lockSession(manager, sessionId);
      if (session.status !== 'planned') throw new Conflict('sessions.notPlanned', { status: session.status });
      const statutory = statutoryNumber(await this.sessions.seats(berlinDay(session.scheduledAt), manager));
      const saved = await this.sessions.saveSession(manager, { ...session, status: 'open', openedAt: new Date(), statutoryVotingMembers: statutory });
      await this.audit.record(manager, actor, { action: 'session.opened', entityType: 'session', entityId: sessionId, after: { statutoryVotingMembers: statutory } });
      return saved;
    });
  }

  async openItem(actor: Actor, itemId: string): Promise<AgendaItem> {
    requireLeader(actor);
    return this.db.run(async (manager) => {
      const { item, session } = await this.lockItem(manager, itemId);
      if (session.status !== 'open') throw new Conflict('sessions.notOpen', { status: session.status });
      if (item.status !== 'pending') throw new Conflict('sessions.itemNotPending', { status: item.status });
      const application = await this.application(manager, item.applicationId);
      await this.sessions.flagAffiliations(manager, item.id, application.organisationId, actor.id);
      const saved = await this.sessions.saveItem(manager, { ...item, status: 'open', openedAt: new Date() });
      await this.audit.record(manager, actor, { action: 'session.item_opened', entityType: 'agenda_item', entityId: itemId });
      return saved;
    });
  }

  /**
   * A member declares their own conflict; the office may record one for any member. Every declaration
   * is minuted. Until the item is decided a vote already cast is taken back: the member's ballot and
   * vote in an open ballot; in a secret ballot, where no vote can be traced to its member, every vote
   * of the item, which is then held again. After the decision the conflict is minuted as having come
   * to light afterwards, the result stands, and the member's rating is taken back.
   */
  async declareConflict(actor: Actor, itemId: string, dto: ConflictDto): Promise<void> {
    requireReader(actor);
    await this.db.run(async (manager) => {
      const { item, session } = await this.lockItem(manager, itemId);
      const memberId = await this.actingMember(actor, dto.memberId);
      // The office names the member; it must be one who sits on the round table that day.
      if (dto.memberId && !(await this.sessions.seats(berlinDay(session.scheduledAt), manager)).some((s) => s.memberId === memberId)) {
        throw new ValidationFailed({ memberId: ['sessions.notInOffice'] });
      }
      if (item.status === 'deferred') throw new Conflict('sessions.itemClosed', { status: item.status });
      const afterDecision = item.status === 'closed';
      let voteWithdrawn: 'vote' | 'secret_ballot_repeated' | null = null;
      if (!afterDecision) {
        const voted = (await this.sessions.ballots([itemId], manager)).some((b) => b.memberId === memberId);
        const counted = ((await this.sessions.officeCounts([itemId], manager)).get(itemId) ?? 0) > 0;
        if (item.secretBallot && (voted || counted)) {
          await this.sessions.clearVotes(manager, itemId);
          voteWithdrawn = 'secret_ballot_repeated';
        } else if (voted) {
          await this.sessions.withdrawVote(manager, itemId, memberId);
          voteWithdrawn = 'vote';
        }
      } else {
        await this.sessions.removeRating(manager, itemId, memberId);
      }
      await this.sessions.declareConflict(manager, itemId, memberId, dto.reason, actor.id, { voteWithdrawn, afterDecision });
      await this.audit.record(manager, actor, { action: 'session.conflict_declared', entityType: 'agenda_item', entityId: itemId, after: { memberId, reason: dto.reason, voteWithdrawn, afterDecision } });
    });
  }

  /**
   * A member asks for a secret ballot (or the office records a member's request made aloud); it
   * applies once a fifth of the voting members asked, before the first vote.
   */
  async requestSecretBallot(actor: Actor, itemId: string, forMember?: string): Promise<AgendaItem> {
    return this.db.run(async (manager) => {
      const { item, session } = await this.lockItem(manager, itemId);
      const memberId = await this.voter(manager, actor, session, item, hasAnyRole(actor.roles, STAFF_ROLES) ? forMember : undefined);
      if (item.status !== 'pending' && item.status !== 'open') throw new Conflict('sessions.itemClosed', { status: item.status });
      if ((await this.sessions.ballots([itemId], manager)).length > 0) throw new Conflict('sessions.votingStarted', { status: item.status });
      const n = await this.sessions.requestSecretBallot(manager, itemId, memberId);
      const statutory = session.statutoryVotingMembers ?? 0;
      const saved = secretBallotApplies(n, statutory) && !item.secretBallot ? await this.sessions.saveItem(manager, { ...item, secretBallot: true }) : item;
      await this.audit.record(manager, actor, { action: 'session.secret_ballot_requested', entityType: 'agenda_item', entityId: itemId, after: { requests: n, secretBallot: saved.secretBallot } });
      return saved;
    });
  }

  /**
   * Casts a vote: a voting member from their own device, or the office recording a show of hands.
   * The ballot table's key makes a second vote by the same member impossible; in a secret ballot the
   * choice is stored without the member.
   */
  async vote(actor: Actor, itemId: string, dto: VoteDto): Promise<{ voted: true }> {
    // Two statements and no transaction: one read for every check, then one write that happens only
    // while the item is as read. Should it have changed in between (closed, made secret), the checks
    // run once more on what it is now and answer with the reason.
    for (let attempt = 1; ; attempt++) {
      const item = isUuid(itemId) ? await this.sessions.voteContext(itemId, actor.id) : null;
      if (!item) throw new NotFound('agenda item');
      const byOffice = hasAnyRole(actor.roles, STAFF_ROLES) && !!dto.memberId;
      // The office never learns a member's choice in a secret ballot: it records the totals only.
      if (byOffice && item.secretBallot) throw new Conflict('sessions.secretCountsOnly', { status: item.status, field: 'memberId' });
      if (!byOffice && !actor.roles.includes('voting_member')) throw new Forbidden('sessions.votingOnly');
      const memberId = byOffice ? dto.memberId! : item.ownMemberId;
      if (!memberId) throw new Forbidden('sessions.votingOnly');
      if (item.sessionStatus !== 'open') throw new Conflict('sessions.notOpen', { status: item.sessionStatus });
      if (!votersPresent(item.seats, item.presence).has(memberId)) throw new Forbidden('sessions.notPresent');
      if (item.conflicted.includes(memberId)) throw new Forbidden('sessions.conflicted');
      if (item.status !== 'open') throw new Conflict('sessions.itemNotOpen', { status: item.status });
      const audit = this.audit.row(actor, {
        action: 'session.vote_cast',
        entityType: 'agenda_item',
        entityId: itemId,
        after: item.secretBallot ? { memberId, secret: true } : { memberId, choice: dto.choice, byOffice },
      });
      const outcome = await this.sessions.castVote({ itemId, memberId, byOffice, secret: item.secretBallot, choice: dto.choice }, audit);
      if (outcome === 'cast') return { voted: true };
      if (outcome === 'alreadyVoted') throw new Conflict('sessions.alreadyVoted', { status: item.status });
      if (attempt >= 3) throw new Conflict('sessions.itemNotOpen', { status: item.status });
    }
  }

  /**
   * The office records a show of hands for the whole item in one go: the choice of each present voter
   * who has not voted. Open ballots only; nothing is recorded unless every entry is valid.
   */
  async showOfHands(actor: Actor, itemId: string, dto: ShowOfHandsDto): Promise<{ recorded: number }> {
    requireStaff(actor);
    return this.db.run(async (manager) => {
      const { item, session } = await this.lockItem(manager, itemId, 'share');
      if (item.secretBallot) throw new Conflict('sessions.secretCountsOnly', { status: item.status });
      if (session.status !== 'open') throw new Conflict('sessions.notOpen', { status: session.status });
      if (item.status !== 'open') throw new Conflict('sessions.itemNotOpen', { status: item.status });
      const entries = Object.entries(dto.choices).filter(([, choice]) => choice !== undefined && choice !== null && choice !== '');
      if (entries.length === 0) throw new ValidationFailed({ choices: ['sessions.handsEmpty'] });
      const { eligible } = await this.itemVoters(manager, session, item.id);
      const voted = new Set((await this.sessions.ballots([itemId], manager)).map((b) => b.memberId));
      const errors: Record<string, string[]> = {};
      for (const [memberId, choice] of entries) {
        if (!(CHOICES as readonly unknown[]).includes(choice)) errors[`choices.${memberId}`] = ['validation.choice'];
        else if (!eligible.has(memberId)) errors[`choices.${memberId}`] = ['sessions.handsNotVoter'];
        else if (voted.has(memberId)) errors[`choices.${memberId}`] = ['sessions.handsAlreadyVoted'];
      }
      if (Object.keys(errors).length > 0) throw new ValidationFailed(errors);
      for (const [memberId, choice] of entries) {
        // A member voting from their device at the same moment: the whole show of hands is refused.
        if (!(await this.sessions.castBallot(manager, itemId, memberId, true))) throw new ValidationFailed({ [`choices.${memberId}`]: ['sessions.handsAlreadyVoted'] });
        await this.sessions.recordVote(manager, itemId, memberId, choice as Choice);
      }
      await this.audit.record(manager, actor, { action: 'session.show_of_hands', entityType: 'agenda_item', entityId: itemId, after: { choices: Object.fromEntries(entries), byOffice: true } });
      return { recorded: entries.length };
    });
  }

  /**
   * The office records the totals of a secret ballot (counted slips or hands), replacing totals it
   * recorded before. Together with the votes cast on devices they cannot exceed the voters present.
   */
  async ballotCounts(actor: Actor, itemId: string, dto: BallotCountsDto): Promise<{ counted: number }> {
    requireStaff(actor);
    return this.db.run(async (manager) => {
      const { item, session } = await this.lockItem(manager, itemId);
      if (!item.secretBallot) throw new Conflict('sessions.openBallotChoices', { status: item.status });
      if (session.status !== 'open') throw new Conflict('sessions.notOpen', { status: session.status });
      if (item.status !== 'open') throw new Conflict('sessions.itemNotOpen', { status: item.status });
      const { eligible } = await this.itemVoters(manager, session, item.id);
      const onDevices = (await this.sessions.ballots([itemId], manager)).length;
      const counted = dto.yes + dto.no + dto.abstain;
      if (counted + onDevices > eligible.size) throw new ValidationFailed({ counts: ['sessions.countsTooMany'] });
      await this.sessions.replaceOfficeCounts(manager, itemId, dto);
      await this.audit.record(manager, actor, { action: 'session.ballot_counted', entityType: 'agenda_item', entityId: itemId, after: { yes: dto.yes, no: dto.no, abstain: dto.abstain, onDevices } });
      return { counted };
    });
  }

  /** Closes the vote on an item: quorum checked, majority counted, the application approved or rejected. */
  async closeItem(actor: Actor, itemId: string, dto: CloseItemDto): Promise<AgendaItem> {
    requireLeader(actor);
    return this.db.run(async (manager) => {
      const { item, session } = await this.lockItem(manager, itemId);
      if (item.status !== 'open') throw new Conflict('sessions.itemNotOpen', { status: item.status });
      const application = await this.application(manager, item.applicationId);
      if (dto.recommendedCents !== undefined && dto.recommendedCents > (application.requestedCents ?? 0)) throw new ValidationFailed({ recommendedCents: ['sessions.overRequested'] });
      const { eligible, presence } = await this.itemVoters(manager, session, item.id);
      const statutory = session.statutoryVotingMembers ?? 0;
      if (!isQuorate(statutory, eligible.size)) throw new Conflict('sessions.noQuorum', { status: item.status, eligibleVoters: eligible.size, statutory });
      const counts = tally((await this.sessions.votes(itemId, manager)).map((v) => v.choice));
      const decision = outcome(counts);
      const saved = await this.sessions.saveItem(manager, {
        ...item,
        status: 'closed',
        closedAt: new Date(),
        decision,
        yesCount: counts.yes,
        noCount: counts.no,
        abstainCount: counts.abstain,
        eligibleVoters: eligible.size,
        presence,
        recommendedCents: decision === 'approved' ? (dto.recommendedCents ?? application.requestedCents) : null,
      });
      await this.moveApplication(manager, actor, application, { type: decision === 'approved' ? 'APPROVE' : 'REJECT' });
      await this.audit.record(manager, actor, { action: 'session.item_closed', entityType: 'agenda_item', entityId: itemId, after: { decision, ...counts, eligibleVoters: eligible.size, recommendedCents: saved.recommendedCents } });
      return saved;
    });
  }

  /** Defers an item to a later session; votes cast on it do not count. */
  async deferItem(actor: Actor, itemId: string): Promise<AgendaItem> {
    requireLeader(actor);
    return this.db.run(async (manager) => {
      const { item } = await this.lockItem(manager, itemId);
      if (item.status !== 'pending' && item.status !== 'open') throw new Conflict('sessions.itemClosed', { status: item.status });
      const application = await this.application(manager, item.applicationId);
      await this.moveApplication(manager, actor, application, { type: 'DEFER' });
      const saved = await this.sessions.saveItem(manager, { ...item, status: 'deferred', closedAt: new Date() });
      await this.audit.record(manager, actor, { action: 'session.item_deferred', entityType: 'agenda_item', entityId: itemId });
      return saved;
    });
  }

  /** Closes the session; items not dealt with are deferred to a later session. */
  async close(actor: Actor, sessionId: string): Promise<CouncilSession> {
    requireLeader(actor);
    return this.db.run(async (manager) => {
      const session = await this.lockSession(manager, sessionId);
      if (session.status !== 'open') throw new Conflict('sessions.notOpen', { status: session.status });
      for (const item of await this.sessions.agendaItems(manager, sessionId)) {
        if (item.status !== 'pending' && item.status !== 'open') continue;
        await this.moveApplication(manager, actor, await this.application(manager, item.applicationId), { type: 'DEFER' });
        await this.sessions.saveItem(manager, { ...item, status: 'deferred', closedAt: new Date() });
      }
      const saved = await this.sessions.saveSession(manager, {
        ...session,
        status: 'closed',
        closedAt: new Date(),
        minuteTakerId: hasAnyRole(actor.roles, STAFF_ROLES) ? actor.id : session.createdBy,
      });
      await this.audit.record(manager, actor, { action: 'session.closed', entityType: 'session', entityId: sessionId });
      return saved;
    });
  }

  /** Voting members rate importance and urgency of each approved item. */
  async rate(actor: Actor, itemId: string, dto: RatingDto): Promise<void> {
    await this.db.run(async (manager) => {
      const { item, session } = await this.lockItem(manager, itemId, 'share');
      // The office records a rating agreed in the room for a member without a device.
      const byOffice = hasAnyRole(actor.roles, STAFF_ROLES) && !!dto.memberId;
      const memberId = await this.voter(manager, actor, session, item, byOffice ? dto.memberId : undefined);
      if (item.status !== 'closed' || item.decision !== 'approved') throw new Conflict('sessions.notApproved', { status: item.status });
      if (session.status !== 'open') throw new Conflict('sessions.notOpen', { status: session.status });
      await this.sessions.rate(itemId, memberId, dto.importance, dto.urgency, manager);
      await this.audit.record(manager, actor, { action: 'session.rated', entityType: 'agenda_item', entityId: itemId, after: { memberId, importance: dto.importance, urgency: dto.urgency, byOffice } });
    });
  }

  /** Advisory members write recommendations before the session; members and office read them. */
  async recommend(actor: Actor, itemId: string, text: string): Promise<void> {
    if (!actor.roles.includes('advisory_member')) throw new Forbidden('sessions.advisoryOnly');
    const member = await this.members.findByUser(actor.id);
    if (!member) throw new Forbidden();
    await this.db.run(async (manager) => {
      const { item } = await this.lockItem(manager, itemId, 'share');
      if (item.status === 'closed' || item.status === 'deferred') throw new Conflict('sessions.itemClosed', { status: item.status });
      await this.sessions.recommend(manager, itemId, member.id, text);
      await this.audit.record(manager, actor, { action: 'session.recommendation', entityType: 'agenda_item', entityId: itemId, after: { memberId: member.id, text } });
    });
  }

  /**
   * The call's ranking of approved items by their mean ratings, and the allocation of its budget.
   * Compared with the allocation the office last confirmed, `offered` names the items that money
   * freed since then (withdrawal, lower payout, repayment) now funds, or funds more fully. Repaid
   * refunds add to the budget the items are allocated from.
   */
  async ranking(actor: Actor, callId: string): Promise<{ ranked: RankedItem[]; allocation: Allocation; budgetCents: number; unrated: string[]; confirmedAt: Date | null; offered: FundedItem[] }> {
    requireReader(actor);
    const call = isUuid(callId) ? await this.calls.findById(callId) : null;
    if (!call) throw new NotFound('call');
    const approved = await this.sessions.approvedWithRatings(callId);
    const ranked = rank(
      approved.map((a) => ({
        id: a.applicationId,
        importance: a.importance ?? 0,
        urgency: a.urgency ?? 0,
        submittedAt: new Date(a.submittedAt).toISOString(),
        referenceNumber: a.referenceNumber,
        recommendedCents: a.recommendedCents ?? a.requestedCents,
        fieldOfAction: a.fieldOfAction,
        title: a.title,
        organisationName: a.organisationName,
      })),
      { importance: call.importanceWeight, urgency: call.urgencyWeight },
    );
    // Refunds on repayment claims are the call's money again: the waiting list may move up into them.
    const budgetCents = call.budgetCents + (await this.sessions.repaidCents(callId));
    const allocation = allocate(ranked, { budgetCents, partialFunding: call.partialFunding, fieldCapsCents: call.fieldCaps });
    const snapshot = await this.sessions.latestSnapshot(callId);
    const before = new Map((snapshot?.funded ?? []).map((f) => [f.applicationId, f.grantedCents]));
    return {
      ranked,
      allocation,
      budgetCents: call.budgetCents,
      unrated: approved.filter((a) => a.ratings === 0).map((a) => a.referenceNumber),
      confirmedAt: snapshot?.confirmedAt ?? null,
      offered: snapshot ? allocation.funded.filter((item) => (before.get(item.id) ?? 0) < item.grantedCents) : [],
    };
  }

  /** The office confirms the allocation as it stands; later changes are measured against it. */
  async confirmAllocation(actor: Actor, callId: string): Promise<void> {
    requireStaff(actor);
    const { allocation } = await this.ranking(actor, callId);
    await this.db.run(async (manager) => {
      const funded = allocation.funded.map((f) => ({ applicationId: f.id, grantedCents: f.grantedCents }));
      await this.sessions.saveSnapshot(manager, callId, funded, actor.id);
      await this.audit.record(manager, actor, { action: 'ranking.confirmed', entityType: 'call', entityId: callId, after: { funded, waitingList: allocation.waitingList.map((w) => w.id) } });
    });
  }

  /** The ranking for spreadsheets: semicolons, German decimals, BOM for Excel. */
  async rankingCsv(actor: Actor, callId: string): Promise<string> {
    const { allocation } = await this.ranking(actor, callId);
    const euros = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(2).replace('.', ','));
    const decimal = (n: number) => formatRating(n, 'de');
    // Nothing is awarded yet: the list says what fits in the budget, not what is granted.
    const rows = [
      ['Rang', 'Aktenzeichen', 'Titel', 'Träger', 'Handlungsfeld', 'Bedeutung', 'Dringlichkeit', 'Wertung', 'Empfohlen (EUR)', 'Im Budget (EUR)', 'Liste'],
      ...allocation.funded.map((r) => [r.rank, r.referenceNumber, (r as RankedItem & { title?: string }).title ?? '', (r as RankedItem & { organisationName?: string }).organisationName ?? '', r.fieldOfAction, decimal(r.importance), decimal(r.urgency), decimal(r.score), euros(r.recommendedCents), euros(r.grantedCents), r.partial ? 'im Budget (teilweise)' : 'im Budget']),
      ...allocation.waitingList.map((r) => [r.rank, r.referenceNumber, (r as RankedItem & { title?: string }).title ?? '', (r as RankedItem & { organisationName?: string }).organisationName ?? '', r.fieldOfAction, decimal(r.importance), decimal(r.urgency), decimal(r.score), euros(r.recommendedCents), '', 'Nachrückliste']),
    ];
    return toCsv(rows);
  }

  /** Every member with a login gets the invitation with the agenda as PDF. */
  private async invite(manager: EntityManager, session: CouncilSession, year: number, title: string): Promise<void> {
    for (const recipient of await this.sessions.invitees(manager, [berlinDay(session.scheduledAt)])) {
      await this.mail.queue(manager, {
        to: recipient.email,
        template: 'session-invitation',
        lang: recipient.lang,
        context: { name: recipient.name, callYear: year, callTitle: title, when: session.scheduledAt.toISOString(), place: session.place, link: `/sessions/${session.id}` },
        attachments: [{ kind: 'session-agenda', params: { sessionId: session.id, lang: recipient.lang } }],
      });
    }
  }

  /** Who is present for the item now (with those who voted on it and left since), and who of them may vote. */
  private async itemVoters(manager: EntityManager, session: CouncilSession, itemId: string): Promise<{ presence: Presence[]; eligible: Set<string> }> {
    const seats = await this.sessions.seats(berlinDay(session.scheduledAt), manager);
    const voted = new Set((await this.sessions.ballots([itemId], manager)).map((b) => b.memberId));
    const presence = presenceWhenDecided(await this.sessions.presence(session.id, manager), await this.sessions.attendance(session.id, manager), voted);
    const conflicted = new Set((await this.sessions.conflicts([itemId], manager)).map((c) => c.memberId));
    return { presence, eligible: votersOnItem(votersPresent(seats, presence), conflicted) };
  }

  /** The member who votes: present with a vote, not conflicted on this item (403 otherwise). */
  private async voter(manager: EntityManager, actor: Actor, session: CouncilSession, item: AgendaItem, recordedFor?: string): Promise<string> {
    if (!recordedFor && !actor.roles.includes('voting_member')) throw new Forbidden('sessions.votingOnly');
    const memberId = recordedFor ?? (await this.members.findByUser(actor.id, manager))?.id;
    if (!memberId) throw new Forbidden('sessions.votingOnly');
    if (session.status !== 'open') throw new Conflict('sessions.notOpen', { status: session.status });
    const seats = await this.sessions.seats(berlinDay(session.scheduledAt), manager);
    if (!votersPresent(seats, await this.sessions.presence(session.id, manager)).has(memberId)) throw new Forbidden('sessions.notPresent');
    if ((await this.sessions.conflicts([item.id], manager)).some((c) => c.memberId === memberId)) throw new Forbidden('sessions.conflicted');
    return memberId;
  }

  private async actingMember(actor: Actor, memberId: string | undefined): Promise<string> {
    if (memberId && hasAnyRole(actor.roles, STAFF_ROLES)) return memberId;
    const member = await this.members.findByUser(actor.id);
    if (!member) throw new Forbidden();
    return member.id;
  }

  /** Applications change state only through their own capability, in this transaction. */
  private async moveApplication(manager: EntityManager, actor: Actor, application: Application, event: SessionApplicationEvent): Promise<void> {
    await this.applications.moveForSession(manager, actor, application.id, event);
  }

  private async application(manager: EntityManager, id: string): Promise<Application> {
    const application = await this.applicationRows.findById(id, manager);
    if (!application) throw new NotFound('application');
    return application;
  }

  private async findSession(id: string): Promise<CouncilSession> {
    const session = isUuid(id) ? await this.sessions.findSession(id) : null;
    if (!session) throw new NotFound('session');
    return session;
  }

  private async lockSession(manager: EntityManager, id: string): Promise<CouncilSession> {
    const session = isUuid(id) ? await this.sessions.lockSession(manager, id) : null;
    if (!session) throw new NotFound('session');
    return session;
  }

  /**
   * Locks the item: exclusively for changes of its state, shared for votes and ratings, so that votes
   * do not wait for each other but closing the item waits for the votes under way.
   */
  private async lockItem(manager: EntityManager, id: string, mode: 'update' | 'share' = 'update'): Promise<{ item: AgendaItem; session: CouncilSession }> {
    const item = isUuid(id) ? await this.sessions.lockItem(manager, id, mode) : null;
    if (!item) throw new NotFound('agenda item');
    return { item, session: (await this.sessions.findSession(item.sessionId, manager))! };
  }
}


/** A session is scheduled or moved to a time still ahead; invitations go out at once. */
function refusePast(scheduledAt: string): void {
  if (new Date(scheduledAt).getTime() <= Date.now()) throw new ValidationFailed({ scheduledAt: ['sessions.inPast'] });
}

function requireReader(actor: Actor): void {
  if (!hasAnyRole(actor.roles, SESSION_READERS)) throw new NotFound('session');
}

function requireLeader(actor: Actor): void {
  if (!hasAnyRole(actor.roles, SESSION_LEADERS)) throw new Forbidden();
}
