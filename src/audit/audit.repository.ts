import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import { AuditEvent } from './audit-event.entity.js';

/** Every query on the audit trail. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Transactions) {}

  async insert(manager: EntityManager, row: Omit<AuditEvent, 'id' | 'occurredAt'>): Promise<void> {
    await manager.insert(AuditEvent, row);
  }

  list(filter: { entityType?: string; entityId?: string; limit: number; beforeId?: string }): Promise<AuditEvent[]> {
    const query = this.db.manager.getRepository(AuditEvent).createQueryBuilder('e').orderBy('e.id', 'DESC').limit(filter.limit);
    if (filter.entityType) query.andWhere('e.entity_type = :type', { type: filter.entityType });
    if (filter.entityId) query.andWhere('e.entity_id = :id', { id: filter.entityId });
    if (filter.beforeId) query.andWhere('e.id < :beforeId', { beforeId: filter.beforeId });
    return query.getMany();
  }
}
