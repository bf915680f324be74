import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { centsColumn } from '../calls/call.entity.js';
import type { WorkflowStep } from '../common/workflow.js';
import type { CostLine, ThirdPartyFunding } from './application.types.js';
import type { ApplicationStatus } from './application.machine.js';

export interface ChangeRequest {
  message: string;
  /** Calendar day (Europe/Berlin) until which the applicant may resubmit. */
  replyBy: string;
  requestedAt: string;
  requestedBy: string;
}

/** The office's formal-check checklist; each item is ticked by the office. */
export const CHECK_ITEMS = [
  'complete',
  'organisationConfirmed',
  'certificateValid',
  'fieldOfActionMatches',
  'declarationsMade',
  'financePlanConsistent',
  'attachmentsPresent',
] as const;
export type CheckItem = (typeof CHECK_ITEMS)[number];

@Entity({ name: 'application' })
export class Application {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'call_id' }) callId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @Column('text', { name: 'reference_number', nullable: true }) referenceNumber: string | null;
  @Column('text') title: string;
  @Column('text', { name: 'field_of_action', nullable: true }) fieldOfAction: string | null;
  @Column('text', { name: 'target_group', nullable: true }) targetGroup: string | null;
  @Column('text', { nullable: true }) district: string | null;
  @Column('date', { name: 'start_date', nullable: true }) startDate: string | null;
  @Column('date', { name: 'end_date', nullable: true }) endDate: string | null;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { nullable: true }) goals: string | null;
  @Column('text', { nullable: true }) methods: string | null;
  @Column('integer', { name: 'expected_participants', nullable: true }) expectedParticipants: number | null;
  @Column('text', { nullable: true }) openness: string | null;
  @Column('jsonb', { name: 'cost_lines' }) costLines: CostLine[];
  @Column('bigint', { name: 'own_funds_cents', transformer: centsColumn }) ownFundsCents: number;
  @Column('jsonb', { name: 'third_party' }) thirdParty: ThirdPartyFunding[];
  @Column('bigint', { name: 'requested_cents', nullable: true, transformer: centsColumn }) requestedCents: number | null;
  @Column('text', { array: true }) declarations: string[];
  @Column('text') status: ApplicationStatus;
  @Column('jsonb', { name: 'machine_snapshot', select: false }) machineSnapshot: WorkflowStep['snapshot'];
  @Column('integer', { name: 'machine_version', select: false }) machineVersion: number;
  @Column('integer', { name: 'submission_count' }) submissionCount: number;
  @Column('timestamptz', { name: 'first_submitted_at', nullable: true }) firstSubmittedAt: Date | null;
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt: Date | null;
  @Column('jsonb', { name: 'change_request', nullable: true }) changeRequest: ChangeRequest | null;
  @Column('text', { name: 'ineligible_reason', nullable: true }) ineligibleReason: string | null;
  @Column('jsonb', { name: 'check_list' }) checkList: Partial<Record<CheckItem, boolean>>;
  @Column('uuid', { name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt: Date | null;
  @Column('timestamptz', { name: 'withdrawn_at', nullable: true }) withdrawnAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** Each submission's content, kept unchanged. */
@Entity({ name: 'application_version' })
export class ApplicationVersion {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'application_id' }) applicationId: string;
  @Column('integer') number: number;
  @Column('timestamptz', { name: 'submitted_at' }) submittedAt: Date;
  @Column('uuid', { name: 'submitted_by', nullable: true }) submittedBy: string | null;
  @Column('jsonb') snapshot: object;
  /** The applicant's answer to the change request this submission replies to. */
  @Column('text', { name: 'reply_message', nullable: true }) replyMessage: string | null;
}

/** An uploaded file, stored in PostgreSQL so that every instance of the service can serve it. */
@Entity({ name: 'attachment' })
export class Attachment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'application_id' }) applicationId: string;
  @Column('text') kind: string;
  @Column('text') filename: string;
  @Column('text', { name: 'content_type' }) contentType: string;
  @Column('integer', { name: 'size_bytes' }) sizeBytes: number;
  @Column('text') sha256: string;
  @Column('bytea', { select: false }) content: Buffer;
  @Column('uuid', { name: 'uploaded_by', nullable: true }) uploadedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  /** Removed files stay stored: a submitted version may refer to them. */
  @Column('timestamptz', { name: 'removed_at', nullable: true }) removedAt: Date | null;
}
