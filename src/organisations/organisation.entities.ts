import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export type OrganisationStatus = 'pending' | 'confirmed';

/** An applicant organisation (Träger). Its profile is reused for every yearly call. */
@Entity({ name: 'organisation' })
export class Organisation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'legal_form' }) legalForm: string;
  @Column('text', { name: 'register_court', nullable: true }) registerCourt: string | null;
  @Column('text', { name: 'register_number', nullable: true }) registerNumber: string | null;
  @Column('boolean', { name: 'non_profit' }) nonProfit: boolean;
  @Column('date', { name: 'non_profit_certificate_expires_on', nullable: true }) nonProfitCertificateExpiresOn: string | null;
  @Column('text') street: string;
  @Column('text', { name: 'postal_code' }) postalCode: string;
  @Column('text') city: string;
  @Column('text') district: string;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { nullable: true }) website: string | null;
  @Column('text') iban: string;
  @Column('text', { nullable: true }) bic: string | null;
  @Column('text', { name: 'account_holder' }) accountHolder: string;
  @Column('text', { name: 'bank_name', nullable: true }) bankName: string | null;
  @Column('text') status: OrganisationStatus;
  @Column('timestamptz', { name: 'confirmed_at', nullable: true }) confirmedAt: Date | null;
  @Column('uuid', { name: 'confirmed_by', nullable: true }) confirmedBy: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

@Entity({ name: 'organisation_contact' })
export class OrganisationContact {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('text', { name: 'full_name' }) fullName: string;
  @Column('text', { nullable: true }) function: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('boolean', { name: 'is_primary' }) isPrimary: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** Which accounts act for which organisation. */
@Entity({ name: 'organisation_user' })
export class OrganisationUser {
  @PrimaryColumn('uuid', { name: 'organisation_id' }) organisationId: string;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' }) addedAt: Date;
}
