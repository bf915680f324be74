import type { AuditEvent } from './audit-event.entity.js';

/** The columns of one audit row, as AuditService.row() makes them. */
export type AuditRow = Omit<AuditEvent, 'id' | 'occurredAt'>;

/**
 * One write and its audit row as a single statement: the row is inserted by one more data-modifying
 * CTE after the write's own CTEs. Change and record commit or fail together, in one round trip instead
 * of two. `source` names one of the write's CTEs: the row is written once per row it returns (none when
 * the write changed nothing), and `afterSql` (an expression over `source`) is merged into `after`, for
 * values only the write knows, such as a number drawn from a sequence.
 */
export function auditedStatement(
  write: { with: string; select: string; params: unknown[] },
  row: AuditRow,
  options: { source?: string; afterSql?: string } = {},
): [sql: string, params: unknown[]] {
  const at = (n: number) => `$${write.params.length + n}`;
  const after = options.afterSql ? `coalesce(${at(7)}::jsonb, '{}'::jsonb) || ${options.afterSql}` : `${at(7)}::jsonb`;
  const sql = `WITH ${write.with},
    audit_row AS (
      INSERT INTO audit_event (actor_id, actor_label, action, entity_type, entity_id, before, after, correlation_id)
      SELECT ${at(1)}::uuid, ${at(2)}::text, ${at(3)}::text, ${at(4)}::text, ${at(5)}::text, ${at(6)}::jsonb, ${after}, ${at(8)}::text
      ${options.source ? `FROM ${options.source}` : ''}
    )
    ${write.select}`;
  const json = (value: object | null) => (value === null ? null : JSON.stringify(value));
  return [sql, [...write.params, row.actorId, row.actorLabel, row.action, row.entityType, row.entityId, json(row.before), json(row.after), row.correlationId]];
}
