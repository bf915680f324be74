import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { FinanceType, InterestDayCount } from './call.types.js';
import type { WorkflowStep } from '../common/workflow.js';
import type { CallStatus } from './call.machine.js';

/** bigint columns arrive as strings from pg; money stays exact as a JS number up to 2^53 cents. */
export const centsColumn = { from: (value: string | null) => (value === null ? null : Number(value)), to: (value: number | null) => value };

/** A call for proposals (Förderaufruf) with its funding rules. */
@Entity({ name: 'funding_call' })
export class FundingCall {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('integer') year: number;
  @Column('text') title: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('bigint', { name: 'budget_cents', transformer: centsColumn }) budgetCents: number;
  @Column('text', { name: 'fields_of_action', array: true }) fieldsOfAction: string[];
  @Column('timestamptz', { name: 'submission_deadline' }) submissionDeadline: Date;
  @Column('date', { name: 'funding_period_start' }) fundingPeriodStart: string;
  @Column('date', { name: 'funding_period_end' }) fundingPeriodEnd: string;
  @Column('text', { name: 'finance_type' }) financeType: FinanceType;
  @Column('integer', { name: 'share_percent', nullable: true }) sharePercent: number | null;
  @Column('bigint', { name: 'max_amount_cents', transformer: centsColumn }) maxAmountCents: number;
  @Column('integer', { name: 'min_own_contribution_percent' }) minOwnContributionPercent: number;
  @Column('text', { name: 'cost_categories', array: true }) costCategories: string[];
  @Column('text', { name: 'required_attachments', array: true }) requiredAttachments: string[];
  @Column('text', { array: true }) declarations: string[];
  @Column('integer', { name: 'report_due_months' }) reportDueMonths: number;
  /** Ranking: weights of importance and urgency in the combined rating. */
  @Column('integer', { name: 'importance_weight' }) importanceWeight: number;
  @Column('integer', { name: 'urgency_weight' }) urgencyWeight: number;
  /** May the last item that does not fully fit be funded partially? */
  @Column('boolean', { name: 'partial_funding' }) partialFunding: boolean;
  /** Optional ceilings per field of action, in cents. */
  @Column('jsonb', { name: 'field_caps' }) fieldCaps: Record<string, number>;
  /** Funds may be requested only for payments due within this many months (ANBest-P 1.4). */
  @Column('integer', { name: 'payment_window_months', default: 2 }) paymentWindowMonths: number;
  /** How far one cost line may exceed the plan when savings elsewhere cover it (ANBest-P 1.2). */
  @Column('integer', { name: 'line_deviation_percent', default: 20 }) lineDeviationPercent: number;
  /** The fields participants are counted by in the usage report (none: counts only). */
  @Column('text', { name: 'participant_breakdown', array: true, default: () => "'{}'" }) participantBreakdown: string[];
  /** Whether the usage report must include signed participant lists. */
  @Column('boolean', { name: 'participant_lists_required', default: false }) participantListsRequired: boolean;
  /** Day count convention for interest on repayment claims. */
  @Column('text', { name: 'interest_day_count', default: 'act/365' }) interestDayCount: InterestDayCount;
  /** Sum of the released awards still standing: changed only by the ledger's UPDATE, never by saving a call. */
  @Column({ type: 'bigint', name: 'committed_cents', transformer: centsColumn, insert: false, update: false }) committedCents: number;
  @Column('text') status: CallStatus;
  @Column('jsonb', { name: 'machine_snapshot', select: false }) machineSnapshot: WorkflowStep['snapshot'];
  @Column('integer', { name: 'machine_version', select: false }) machineVersion: number;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  /** Set by the ARCHIVE transition; from then on the call and everything under it is read-only. */
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt: Date | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}
