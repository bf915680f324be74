import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import { MemberAffiliation, RoundTableMember } from './member.entities.js';

export interface AffiliationRow extends MemberAffiliation {
  organisationName: string;
}

/** Every query on round-table members and their declared affiliations. */
@Injectable()
export class RoundTableRepository {
  constructor(private readonly db: Transactions) {}

  list(): Promise<RoundTableMember[]> {
    return this.db.manager.getRepository(RoundTableMember).find({ order: { votingRight: 'DESC', group: 'ASC', kind: 'ASC', fullName: 'ASC' } });
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<RoundTableMember | null> {
    return manager.findOneBy(RoundTableMember, { id });
  }

  findForUpdate(manager: EntityManager, id: string): Promise<RoundTableMember | null> {
    return manager.getRepository(RoundTableMember).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByUser(userId: string, manager: EntityManager = this.db.manager): Promise<RoundTableMember | null> {
    return manager.findOneBy(RoundTableMember, { userId });
  }

  exists(id: string, manager: EntityManager = this.db.manager): Promise<boolean> {
    return manager.existsBy(RoundTableMember, { id });
  }

  create(manager: EntityManager, columns: Partial<RoundTableMember>): Promise<RoundTableMember> {
    const repository = manager.getRepository(RoundTableMember);
    return repository.save(repository.create(columns));
  }

  save(manager: EntityManager, member: RoundTableMember): Promise<RoundTableMember> {
    return manager.getRepository(RoundTableMember).save(member);
  }

  async linkAccount(manager: EntityManager, id: string, userId: string): Promise<void> {
    await manager.update(RoundTableMember, { id }, { userId });
  }

  affiliationExists(manager: EntityManager, where: Pick<MemberAffiliation, 'memberId' | 'organisationId' | 'kind'>): Promise<boolean> {
    return manager.existsBy(MemberAffiliation, where);
  }

  findAffiliation(manager: EntityManager, id: string, memberId: string): Promise<MemberAffiliation | null> {
    return manager.findOneBy(MemberAffiliation, { id, memberId });
  }

  addAffiliation(manager: EntityManager, columns: Pick<MemberAffiliation, 'memberId' | 'organisationId' | 'kind' | 'note' | 'since'>): Promise<MemberAffiliation> {
    const repository = manager.getRepository(MemberAffiliation);
    return repository.save(repository.create(columns));
  }

  async removeAffiliation(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(MemberAffiliation, { id });
  }

  affiliations(memberId: string): Promise<AffiliationRow[]> {
    return this.db.manager.query(
      `SELECT a.id, a.member_id AS "memberId", a.organisation_id AS "organisationId", a.kind, a.note, a.since::text AS since,
              a.created_at AS "createdAt", o.name AS "organisationName"
       FROM member_affiliation a JOIN organisation o ON o.id = a.organisation_id
       WHERE a.member_id = $1 ORDER BY o.name, a.kind`,
      [memberId],
    );
  }
}
