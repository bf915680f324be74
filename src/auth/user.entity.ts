import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Role } from './roles.js';

export type UserStatus = 'invited' | 'active' | 'disabled';

@Entity({ name: 'app_user' })
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text', { name: 'full_name' }) fullName: string;
  @Column('text', { name: 'password_hash', nullable: true, select: false }) passwordHash: string | null;
  @Column('text', { array: true }) roles: Role[];
  @Column('text') status: UserStatus;
  @Column('text', { name: 'preferred_language' }) preferredLanguage: 'de' | 'en';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}
