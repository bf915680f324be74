import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { MemberAffiliation, RoundTableMember } from './member.entities.js';

export interface AffiliationRow extends MemberAffiliation {
  organisationName: string;
}

/** Every query on round-table members and their declared affiliations. */
@Injectable()
export class RoundTableRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(): Promise<RoundTableMember[]> {
    return this.dataSource.getRepository(RoundTableMember).find({ order: { votingRight: 'DESC', group: 'ASC', kind: 'ASC', fullName: 'ASC' } });
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<RoundTableMember | null> {
    return manager.findOneBy(RoundTableMember, { id });
  }

  findForUpdate(manager: EntityManager, id: string): Promise<RoundTableMember | null> {
    return manager.getRepository(RoundTableMember).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByUser(userId: string): Promise<RoundTableMember | null> {
    return this.dataSource.getRepository(RoundTableMember).findOneBy({ userId });
  }

  affiliations(memberId: string): Promise<AffiliationRow[]> {
    return this.dataSource.query(
      `SELECT a.id, a.member_id AS "memberId", a.organisation_id AS "organisationId", a.kind, a.note, a.since::text AS since,
              a.created_at AS "createdAt", o.name AS "organisationName"
       FROM member_affiliation a JOIN organisation o ON o.id = a.organisation_id
       WHERE a.member_id = $1 ORDER BY o.name, a.kind`,
      [memberId],
    );
  }

}
