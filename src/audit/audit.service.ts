import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { currentCorrelationId } from '../common/request-context.js';
import { AuditEvent } from './audit-event.entity.js';

const HIDDEN_FIELDS = new Set(['passwordHash', 'password_hash', 'password']);

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: object | null;
  after?: object | null;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Writes the audit row inside the caller's transaction, so the change and its record commit together. */
  async record(manager: EntityManager, actor: Actor | null, entry: AuditEntry): Promise<void> {
    const who = actor ?? SYSTEM_ACTOR;
    await manager.insert(AuditEvent, {
      actorId: who === SYSTEM_ACTOR ? null : who.id,
      actorLabel: `${who.fullName} <${who.email}>`,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      before: snapshot(entry.before),
      after: snapshot(entry.after),
      correlationId: currentCorrelationId() ?? null,
    });
  }

  async list(filter: { entityType?: string; entityId?: string; limit?: number; beforeId?: string }): Promise<AuditEvent[]> {
    const query = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e').orderBy('e.id', 'DESC').limit(Math.min(filter.limit ?? 100, 500));
    if (filter.entityType) query.andWhere('e.entity_type = :type', { type: filter.entityType });
    if (filter.entityId) query.andWhere('e.entity_id = :id', { id: filter.entityId });
    if (filter.beforeId && /^\d+$/.test(filter.beforeId)) query.andWhere('e.id < :beforeId', { beforeId: filter.beforeId });
    return query.getMany();
  }
}

/** A plain JSON copy without secrets. */
function snapshot(value: object | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  return JSON.parse(JSON.stringify(value, (key, v) => (HIDDEN_FIELDS.has(key) ? undefined : v)));
}
