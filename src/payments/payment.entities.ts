import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { centsColumn } from '../calls/call.entity.js';

export type PaymentStatus = 'requested' | 'confirmed' | 'released' | 'rejected';

/**
 * A payment request (Mittelabruf) on an award: requested by the grantee, confirmed as correct
 * (sachlich richtig) by one office user, released (Anordnung) by another; released, it is a payout
 * with its value date, exported once to the treasury.
 */
@Entity({ name: 'payment_request' })
export class PaymentRequest {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'decision_id' }) decisionId: string;
  @Column('uuid', { name: 'call_id' }) callId: string;
  @Column('bigint', { name: 'amount_cents', transformer: centsColumn }) amountCents: number;
  @Column('date', { name: 'needed_on' }) neededOn: string;
  @Column('text') purpose: string;
  @Column('text') status: PaymentStatus;
  @Column('uuid', { name: 'requested_by' }) requestedBy: string;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt: Date;
  @Column('uuid', { name: 'confirmed_by', nullable: true }) confirmedBy: string | null;
  @Column('timestamptz', { name: 'confirmed_at', nullable: true }) confirmedAt: Date | null;
  @Column('uuid', { name: 'released_by', nullable: true }) releasedBy: string | null;
  @Column('timestamptz', { name: 'released_at', nullable: true }) releasedAt: Date | null;
  @Column('date', { name: 'value_date', nullable: true }) valueDate: string | null;
  @Column('uuid', { name: 'rejected_by', nullable: true }) rejectedBy: string | null;
  @Column('timestamptz', { name: 'rejected_at', nullable: true }) rejectedAt: Date | null;
  @Column('text', { name: 'rejection_reason', nullable: true }) rejectionReason: string | null;
  @Column('uuid', { name: 'export_id', nullable: true }) exportId: string | null;
  @VersionColumn() version: number;
}

/** One export of payouts to the treasury: the files as they were first made, for every later download. */
@Entity({ name: 'payment_export' })
export class PaymentExport {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('uuid', { name: 'created_by' }) createdBy: string;
  @Column('integer') payouts: number;
  @Column('bigint', { name: 'total_cents', transformer: centsColumn }) totalCents: number;
  @Column('bytea', { select: false }) csv: Buffer;
  @Column('bytea', { select: false }) sepa: Buffer;
}
