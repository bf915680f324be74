import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A login session. The cookie carries a random token; only its SHA-256 is stored. */
@Entity({ name: 'user_session' })
export class UserSession {
  @PrimaryColumn('text') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'last_seen_at' }) lastSeenAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent: string | null;
}

@Entity({ name: 'login_attempt' })
export class LoginAttempt {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('text') email: string;
  @Column('text') ip: string;
  @Column('boolean') succeeded: boolean;
  @CreateDateColumn({ name: 'attempted_at', type: 'timestamptz' }) attemptedAt: Date;
}

export type TokenPurpose = 'invitation' | 'password_reset';

/** A one-time link (invitation, password reset). Only the SHA-256 of the token is stored. */
@Entity({ name: 'one_time_token' })
export class OneTimeToken {
  @PrimaryColumn('text') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text') purpose: TokenPurpose;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'used_at', nullable: true }) usedAt: Date | null;
}
