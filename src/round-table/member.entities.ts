import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export const VOTING_RIGHTS = ['voting', 'advisory'] as const;
export type VotingRight = (typeof VOTING_RIGHTS)[number];

export const MEMBER_GROUPS = [
  'elected_migrant_representative',
  'council_faction',
  'welfare_association',
  'department',
  'provider',
] as const;
export type MemberGroup = (typeof MEMBER_GROUPS)[number];

/** Bodies whose members vote on the round table (§ "Runder Tisch" of the integration concept). */
export const VOTING_GROUPS: MemberGroup[] = ['elected_migrant_representative', 'council_faction'];

export const MEMBER_KINDS = ['member', 'deputy'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

export const AFFILIATION_KINDS = ['board', 'employment', 'membership', 'family'] as const;
export type AffiliationKind = (typeof AFFILIATION_KINDS)[number];

@Entity({ name: 'round_table_member' })
export class RoundTableMember {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id', nullable: true }) userId: string | null;
  @Column('text', { name: 'full_name' }) fullName: string;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { name: 'voting_right' }) votingRight: VotingRight;
  @Column('text', { name: 'member_group' }) group: MemberGroup;
  /** The faction, association or department the member represents. */
  @Column('text', { nullable: true }) represents: string | null;
  /** A deputy (stellvertretendes Mitglied) only acts when standing in, and does not count towards the statutory number. */
  @Column('text') kind: MemberKind;
  @Column('boolean', { name: 'is_chair' }) isChair: boolean;
  @Column('date', { name: 'term_start' }) termStart: string;
  @Column('date', { name: 'term_end', nullable: true }) termEnd: string | null;
  /** The member who stands in for this one (Stellvertretung). */
  @Column('uuid', { name: 'deputy_id', nullable: true }) deputyId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** A declared tie between a member and an organisation; the conflict-of-interest check reads these. */
@Entity({ name: 'member_affiliation' })
export class MemberAffiliation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'member_id' }) memberId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('text') kind: AffiliationKind;
  @Column('text', { nullable: true }) note: string | null;
  @Column('date', { nullable: true }) since: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
