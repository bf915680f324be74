import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { currentCorrelationId } from '../common/request-context.js';
import type { AuditEvent } from './audit-event.entity.js';
import { AuditRepository } from './audit.repository.js';
import type { AuditRow } from './audited-statement.js';

/** Secrets, and the workflow engine's bookkeeping (the status is recorded; the snapshot never leaves the service). */
const HIDDEN_FIELDS = new Set(['passwordHash', 'password_hash', 'password', 'machineSnapshot']);

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: object | null;
  after?: object | null;
}

@Injectable()
export class AuditService {
  constructor(private readonly events: AuditRepository) {}

  /** Writes the audit row inside the caller's transaction, so the change and its record commit together. */
  async record(manager: EntityManager, actor: Actor | null, entry: AuditEntry): Promise<void> {
    await this.events.insert(manager, this.row(actor, entry));
  }

  /** The audit row of an action, for a repository that writes it in the change's own statement (auditedStatement). */
  row(actor: Actor | null, entry: AuditEntry): AuditRow {
    const who = actor ?? SYSTEM_ACTOR;
    return {
      actorId: who === SYSTEM_ACTOR ? null : who.id,
      actorLabel: `${who.fullName} <${who.email}>`,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      before: snapshot(entry.before),
      after: snapshot(entry.after),
      correlationId: currentCorrelationId() ?? null,
    };
  }

  async list(filter: { entityType?: string; entityId?: string; limit?: number; beforeId?: string }): Promise<AuditEvent[]> {
    const beforeId = filter.beforeId && /^\d+$/.test(filter.beforeId) ? filter.beforeId : undefined;
    return this.events.list({ entityType: filter.entityType, entityId: filter.entityId, limit: Math.min(filter.limit ?? 100, 500), beforeId });
  }
}

/** A plain JSON copy without secrets. */
function snapshot(value: object | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  return JSON.parse(JSON.stringify(value, (key, v) => (HIDDEN_FIELDS.has(key) ? undefined : v)));
}
