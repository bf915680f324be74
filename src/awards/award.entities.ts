import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { centsColumn } from '../calls/call.entity.js';

export type DecisionKind = 'award' | 'rejection';
export type DecisionStatus = 'draft' | 'released';
/** Why an application that reached the round table is rejected. */
export type RejectionReason = 'voted_down' | 'below_budget';

/**
 * A decision (Bescheid) on an application after the round table: an award (Zuwendungsbescheid) or a
 * rejection (Ablehnungsbescheid). Drafted by one office user, released by another; releasing sends it.
 */
@Entity({ name: 'decision' })
export class Decision {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'application_id' }) applicationId: string;
  @Column('uuid', { name: 'call_id' }) callId: string;
  @Column('text') kind: DecisionKind;
  @Column('text') status: DecisionStatus;
  @Column('bigint', { name: 'amount_cents', nullable: true, transformer: centsColumn }) amountCents: number | null;
  @Column('text', { nullable: true }) reason: RejectionReason | null;
  @Column('text', { name: 'reason_note', nullable: true }) reasonNote: string | null;
  @Column('text', { nullable: true }) purpose: string | null;
  @Column('date', { name: 'period_start', nullable: true }) periodStart: string | null;
  @Column('date', { name: 'period_end', nullable: true }) periodEnd: string | null;
  @Column('text', { name: 'special_conditions', array: true }) specialConditions: string[];
  @Column('date', { name: 'report_due_on', nullable: true }) reportDueOn: string | null;
  @Column('uuid', { name: 'drafted_by' }) draftedBy: string;
  @Column('timestamptz', { name: 'drafted_at' }) draftedAt: Date;
  @Column('uuid', { name: 'released_by', nullable: true }) releasedBy: string | null;
  @Column('timestamptz', { name: 'released_at', nullable: true }) releasedAt: Date | null;
  @Column('date', { name: 'sent_on', nullable: true }) sentOn: string | null;
  @Column('date', { name: 'notified_on', nullable: true }) notifiedOn: string | null;
  @Column('date', { name: 'remedy_period_ends_on', nullable: true }) remedyPeriodEndsOn: string | null;
  @Column('date', { name: 'final_on', nullable: true }) finalOn: string | null;
  @Column('timestamptz', { name: 'accepted_at', nullable: true }) acceptedAt: Date | null;
  @Column('timestamptz', { name: 'waived_at', nullable: true }) waivedAt: Date | null;
  /** Sum of the payment requests not refused: changed only by the payments' UPDATE, never by saving a decision. */
  @Column({ type: 'bigint', name: 'requested_cents', transformer: centsColumn, insert: false, update: false }) requestedCents: number;
  @VersionColumn() version: number;
}

/** The letter of a released decision as it was sent: bytes and SHA-256, kept unchanged. */
@Entity({ name: 'decision_letter' })
export class DecisionLetter {
  @PrimaryColumn('uuid', { name: 'decision_id' }) decisionId: string;
  @Column('text') filename: string;
  @Column('bytea', { select: false }) content: Buffer;
  @Column('text') sha256: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

export type LedgerKind = 'committed' | 'freed' | 'paid';

/** One movement of a call's money. */
@Entity({ name: 'ledger_entry' })
export class LedgerEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'call_id' }) callId: string;
  @Column('text') kind: LedgerKind;
  @Column('bigint', { name: 'amount_cents', transformer: centsColumn }) amountCents: number;
  @Column('uuid', { name: 'decision_id', nullable: true }) decisionId: string | null;
  @Column('uuid', { name: 'payment_id', nullable: true }) paymentId: string | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('timestamptz', { name: 'booked_at' }) bookedAt: Date;
  @Column('uuid', { name: 'booked_by', nullable: true }) bookedBy: string | null;
}
