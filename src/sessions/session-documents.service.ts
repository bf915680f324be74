import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { UsersRepository } from '../auth/users.repository.js';
import { CallsRepository } from '../calls/calls.repository.js';
import { berlinDay } from '../common/dates.js';
import { NotFound } from '../common/errors.js';
import type { DocumentLanguage, MinutesDocument, RankingRow } from '../documents/document-types.js';
import { MailService } from '../notifications/mail.service.js';
import type { RankedItem } from '../ranking/ranking.js';
import { DocumentRenderer } from '../renderer/document-renderer.js';
import { RoundTableRepository } from '../round-table/round-table.repository.js';
import { translate } from '../web/i18n.js';
import { isQuorate } from './council-rules.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';

export const AGENDA_ATTACHMENT = 'session-agenda';

type Named = RankedItem & { title?: string; organisationName?: string };

/** The session's documents as PDF: the agenda sent with the invitation, the minutes, the ranking list. */
@Injectable()
export class SessionDocumentsService implements OnModuleInit {
  constructor(
    private readonly sessions: SessionsService,
    private readonly repository: SessionsRepository,
    private readonly calls: CallsRepository,
    private readonly members: RoundTableRepository,
    private readonly users: UsersRepository,
    private readonly mail: MailService,
    private readonly renderer: DocumentRenderer,
  ) {}

  onModuleInit(): void {
    this.mail.registerAttachment(AGENDA_ATTACHMENT, async (params) => ({
      filename: 'Tagesordnung.pdf',
      contentType: 'application/pdf',
      content: await this.renderAgenda(String(params.sessionId), params.lang === 'en' ? 'en' : 'de'),
    }));
  }

  async agenda(actor: Actor, sessionId: string, lang: DocumentLanguage): Promise<Buffer> {
    await this.sessions.get(actor, sessionId);
    return this.renderAgenda(sessionId, lang);
  }

  async minutes(actor: Actor, sessionId: string, lang: DocumentLanguage): Promise<Buffer> {
    const view = await this.sessions.get(actor, sessionId);
    const call = (await this.calls.findById(view.session.callId))!;
    const seat = new Map(view.seats.map((s) => [s.memberId, s]));
    // Everyone who came at some time; who was present for each item is kept with the item.
    const present = new Set(view.attendance.map((p) => p.memberId));
    const stoodInFor = new Set(view.attendance.map((p) => p.standsInFor).filter(Boolean));
    const presentAt = (presence: { memberId: string }[] | null) => {
      if (!presence) return null;
      const names = (right: 'voting' | 'advisory') => presence.filter((p) => seat.get(p.memberId)?.votingRight === right).map((p) => seat.get(p.memberId)?.fullName ?? '');
      return { voting: names('voting'), advisory: names('advisory') };
    };
    const [ratings, chairName, minuteTakerName] = await Promise.all([
      this.repository.ratings(view.items.map((i) => i.id)),
      this.chairName(view.session.chairMemberId),
      this.users.fullName(view.session.minuteTakerId ?? view.session.createdBy),
    ]);
    const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
    const document: MinutesDocument = {
      callTitle: call.title,
      callYear: call.year,
      scheduledAt: view.session.scheduledAt.toISOString(),
      openedAt: view.session.openedAt?.toISOString() ?? null,
      closedAt: view.session.closedAt?.toISOString() ?? null,
      place: view.session.place,
      chairName,
      minuteTakerName: minuteTakerName ?? '',
      statutoryVotingMembers: view.statutory,
      attendance: view.attendance.map((p) => ({
        name: seat.get(p.memberId)?.fullName ?? '',
        group: translate(lang, `member.group.${seat.get(p.memberId)?.group}`),
        votingRight: seat.get(p.memberId)?.votingRight ?? 'advisory',
        standsInForName: p.standsInFor ? (seat.get(p.standsInFor)?.fullName ?? null) : null,
        arrivedAt: p.arrivedTime ? new Date(p.arrivedAt).toISOString() : null,
        leftAt: p.leftAt ? new Date(p.leftAt).toISOString() : null,
      })),
      absentVotingMembers: view.seats.filter((s) => s.votingRight === 'voting' && s.kind === 'member' && !present.has(s.memberId) && !stoodInFor.has(s.memberId)).map((s) => s.fullName),
      items: view.items.map((item) => {
        const itemRatings = ratings.filter((r) => r.itemId === item.id);
        const closed = item.status === 'closed';
        return {
          position: item.position,
          referenceNumber: item.referenceNumber,
          title: item.title,
          organisationName: item.organisationName,
          requestedCents: item.requestedCents,
          status: item.status as MinutesDocument['items'][number]['status'],
          secretBallot: item.secretBallot,
          eligibleVoters: closed ? item.eligibleVoters : null,
          quorate: closed ? isQuorate(view.statutory, item.eligibleVoters) : null,
          present: closed ? presentAt(item.presence) : null,
          conflicts: item.conflicts.map((c) => ({ name: c.fullName, source: c.source as 'affiliation' | 'declared', reason: c.reason, voteWithdrawn: c.voteWithdrawn, afterDecision: c.afterDecision })),
          secretBallotRequests: { names: item.secretBallotRequests.names, needed: item.secretBallotRequests.needed },
          counts: closed ? { yes: item.yesCount ?? 0, no: item.noCount ?? 0, abstain: item.abstainCount ?? 0 } : null,
          decision: (item.decision as 'approved' | 'rejected' | null) ?? null,
          recommendedCents: item.recommendedCents,
          importance: mean(itemRatings.map((r) => r.importance)),
          urgency: mean(itemRatings.map((r) => r.urgency)),
        };
      }),
    };
    return this.renderer.render('minutes', document, lang);
  }

  async ranking(actor: Actor, callId: string, lang: DocumentLanguage): Promise<{ year: number; pdf: Buffer }> {
    const { allocation, budgetCents } = await this.sessions.ranking(actor, callId);
    const call = await this.calls.findById(callId);
    if (!call) throw new NotFound('call');
    const row = (item: Named, grantedCents: number | null, partial: boolean): RankingRow => ({
      rank: item.rank,
      referenceNumber: item.referenceNumber,
      title: item.title ?? '',
      organisationName: item.organisationName ?? '',
      fieldOfAction: item.fieldOfAction,
      importance: item.importance,
      urgency: item.urgency,
      score: item.score,
      recommendedCents: item.recommendedCents,
      grantedCents,
      partial,
    });
    const pdf = await this.renderer.render(
      'ranking',
      {
        callTitle: call.title,
        callYear: call.year,
        budgetCents,
        weights: { importance: call.importanceWeight, urgency: call.urgencyWeight },
        date: berlinDay(new Date()),
        funded: allocation.funded.map((f) => row(f, f.grantedCents, f.partial)),
        waitingList: allocation.waitingList.map((w) => row(w, null, false)),
        spentCents: allocation.spentCents,
        remainingCents: allocation.remainingCents,
      },
      lang,
    );
    return { year: call.year, pdf };
  }

  private async renderAgenda(sessionId: string, lang: DocumentLanguage): Promise<Buffer> {
    const session = await this.repository.findSession(sessionId);
    if (!session) throw new NotFound('session');
    const [call, items, chairName] = await Promise.all([
      this.calls.findById(session.callId),
      this.repository.items(sessionId),
      this.chairName(session.chairMemberId),
    ]);
    return this.renderer.render(
      'agenda',
      {
        callTitle: call!.title,
        callYear: call!.year,
        scheduledAt: session.scheduledAt.toISOString(),
        place: session.place,
        chairName,
        items: items.map((i) => ({ position: i.position, referenceNumber: i.referenceNumber, title: i.title, organisationName: i.organisationName, fieldOfAction: i.fieldOfAction, requestedCents: i.requestedCents })),
      },
      lang,
    );
  }

  private async chairName(memberId: string | null): Promise<string | null> {
    return memberId ? ((await this.members.findById(memberId))?.fullName ?? null) : null;
  }
}
