import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { centsColumn } from '../calls/call.entity.js';
import type { Presence } from './council-rules.js';

export type SessionStatus = 'planned' | 'open' | 'closed' | 'cancelled';
export type ItemStatus = 'pending' | 'open' | 'closed' | 'deferred';

/** A closed session of the round table for one call. */
@Entity({ name: 'council_session' })
export class CouncilSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'call_id' }) callId: string;
  @Column('timestamptz', { name: 'scheduled_at' }) scheduledAt: Date;
  @Column('text') place: string;
  @Column('uuid', { name: 'chair_member_id', nullable: true }) chairMemberId: string | null;
  @Column('text') status: SessionStatus;
  /** Fixed when the session opens: the voting members (not deputies) in office that day. */
  @Column('integer', { name: 'statutory_voting_members', nullable: true }) statutoryVotingMembers: number | null;
  @Column('timestamptz', { name: 'opened_at', nullable: true }) openedAt: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @Column('timestamptz', { name: 'cancelled_at', nullable: true }) cancelledAt: Date | null;
  /** What the members were told when the session was cancelled. */
  @Column('text', { name: 'cancellation_reason', nullable: true }) cancellationReason: string | null;
  /** Who keeps the minutes: the clerk who closes the session. */
  @Column('uuid', { name: 'minute_taker_id', nullable: true }) minuteTakerId: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

@Entity({ name: 'agenda_item' })
export class AgendaItem {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'session_id' }) sessionId: string;
  @Column('uuid', { name: 'application_id' }) applicationId: string;
  @Column('integer') position: number;
  @Column('text') status: ItemStatus;
  @Column('boolean', { name: 'secret_ballot' }) secretBallot: boolean;
  @Column('bigint', { name: 'recommended_cents', nullable: true, transformer: centsColumn }) recommendedCents: number | null;
  @Column('text', { nullable: true }) decision: 'approved' | 'rejected' | null;
  @Column('integer', { name: 'yes_count', nullable: true }) yesCount: number | null;
  @Column('integer', { name: 'no_count', nullable: true }) noCount: number | null;
  @Column('integer', { name: 'abstain_count', nullable: true }) abstainCount: number | null;
  @Column('integer', { name: 'eligible_voters', nullable: true }) eligibleVoters: number | null;
  /** Who was present when the item was decided (deputies with the member they stood in for). */
  @Column('jsonb', { nullable: true }) presence: Presence[] | null;
  @Column('timestamptz', { name: 'opened_at', nullable: true }) openedAt: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @VersionColumn() version: number;
}
