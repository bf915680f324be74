import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../test/support/database.js';
import { openDatabase } from '../bootstrap.js';
import { PROJECT_ROOT } from '../common/paths.js';
import { DEMO_LOGINS } from './seed-demo.js';
import { DEMO_YEAR_TITLE } from './seed-demo-year.js';

describe('demo logins', () => {
  it('the README lists every demo login, both applicants included', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(DEMO_LOGINS.map((login) => login.email)).toContain('afrika-hilfe@neuss.example');
    for (const { email } of DEMO_LOGINS) expect(readme).toContain(`\`${email}\``);
  });
});

// The test template database is seeded by the jest global setup with seedDemo (test/support/global-setup.mjs).
describe('the demo year 2026', () => {
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let callId: string;
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await dataSource.query(sql, params))[0] as T;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase(database.url, { dbPoolSize: 2, dbAcquireTimeoutMs: 2000 });
    callId = (await one<{ id: string }>(`SELECT id FROM funding_call WHERE title = $1`, [DEMO_YEAR_TITLE])).id;
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('is a decided call of 2026 beside the open call, with its deadline in 2025', async () => {
    const call = await one<{ year: number; status: string; deadline: string }>(`SELECT year, status, submission_deadline::text AS deadline FROM funding_call WHERE id = $1`, [callId]);
    expect(call).toMatchObject({ year: 2026, status: 'decided' });
    expect(call.deadline.startsWith('2025-')).toBe(true);
    const open = await dataSource.query(`SELECT status FROM funding_call WHERE id <> $1`, [callId]);
    expect(open).toEqual([{ status: 'published' }]);
  });

  it('numbers the submissions NE-2026-0001… from the year’s sequence, each with its submitted version', async () => {
    const rows: { reference: string; versions: number; snapshotReference: string; status: string }[] = await dataSource.query(
      `SELECT a.reference_number AS reference, a.status, count(v.id)::int AS versions, max(v.snapshot ->> 'referenceNumber') AS "snapshotReference"
       FROM application a LEFT JOIN application_version v ON v.application_id = a.id WHERE a.call_id = $1 GROUP BY a.id ORDER BY a.first_submitted_at`,
      [callId],
    );
    expect(rows.map((row) => row.reference)).toEqual(Array.from({ length: rows.length }, (_, i) => `NE-2026-${String(i + 1).padStart(4, '0')}`));
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const row of rows) expect(row).toMatchObject({ versions: 1, snapshotReference: row.reference });
    const { last } = await one<{ last: string }>(`SELECT last_value::text AS last FROM reference_number_2026`);
    expect(Number(last)).toBe(rows.length);
    const counts = Object.fromEntries((await dataSource.query(`SELECT status, count(*)::int AS n FROM application WHERE call_id = $1 GROUP BY status`, [callId])).map((r: { status: string; n: number }) => [r.status, r.n]));
    expect(counts).toEqual({ final: 8, rejection_notified: 1, ineligible: 1 });
  });

  it('has every decision released by another office account than the one who drafted it, with its letter as a PDF and its audit row', async () => {
    const decisions: { draftedBy: string; releasedBy: string; letter: Buffer | null; audited: number }[] = await dataSource.query(
      `SELECT d.drafted_by AS "draftedBy", d.released_by AS "releasedBy", l.content AS letter,
              (SELECT count(*)::int FROM audit_event e WHERE e.entity_id = d.id::text AND e.action = 'decision.released') AS audited
       FROM decision d LEFT JOIN decision_letter l ON l.decision_id = d.id WHERE d.call_id = $1 AND d.status = 'released'`,
      [callId],
    );
    expect(decisions).toHaveLength(9);
    for (const decision of decisions) {
      expect(decision.releasedBy).not.toBe(decision.draftedBy);
      expect(decision.letter?.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(decision.audited).toBe(1);
    }
    const office = await dataSource.query(`SELECT DISTINCT u.email FROM decision d JOIN app_user u ON u.id IN (d.drafted_by, d.released_by) WHERE d.call_id = $1 ORDER BY 1`, [callId]);
    expect(office).toEqual([{ email: 'geschaeftsstelle@neuss.example' }, { email: 'integrationsamt@neuss.example' }]);
  });

  it('keeps ledger, awards, payouts and the call’s committed sum consistent', async () => {
    const sums = await one<Record<string, number>>(
      `SELECT c.budget_cents::float8 AS budget, c.committed_cents::float8 AS committed,
              (SELECT sum(amount_cents)::float8 FROM decision WHERE call_id = c.id AND kind = 'award' AND status = 'released') AS awarded,
              (SELECT sum(requested_cents)::float8 FROM decision WHERE call_id = c.id) AS requested,
              (SELECT sum(amount_cents)::float8 FROM payment_request WHERE call_id = c.id AND status = 'released') AS payouts,
              (SELECT count(*)::int FROM payment_request WHERE call_id = c.id AND (status <> 'released' OR export_id IS NULL)) AS "notExported",
              (SELECT sum(amount_cents)::float8 FROM ledger_entry WHERE call_id = c.id AND kind = 'committed') AS "ledgerCommitted",
              (SELECT sum(amount_cents)::float8 FROM ledger_entry WHERE call_id = c.id AND kind = 'paid') AS "ledgerPaid",
              (SELECT sum(amount_cents)::float8 FROM ledger_entry WHERE call_id = c.id AND kind = 'freed') AS "ledgerFreed",
              (SELECT sum(repayment_cents)::float8 FROM repayment_claim WHERE call_id = c.id AND status = 'repaid') AS repaid
       FROM funding_call c WHERE c.id = $1`,
      [callId],
    );
    expect(sums.ledgerCommitted).toBe(sums.awarded);
    expect(sums.ledgerPaid).toBe(sums.payouts);
    expect(sums.requested).toBe(sums.payouts);
    expect(sums.committed).toBe(sums.ledgerCommitted - sums.ledgerFreed);
    expect(sums.committed).toBeLessThanOrEqual(sums.budget);
    expect(sums.notExported).toBe(0);
    expect(sums.repaid).toBeGreaterThan(0);

    // What each closed report freed is the part of the award never to be paid: award − max(due, paid).
    const settled: { award: number; due: number; paid: number; freed: number; payouts: number }[] = await dataSource.query(
      `SELECT d.amount_cents::float8 AS award, (r.settlement -> 'result' ->> 'dueCents')::float8 AS due, (r.settlement -> 'result' ->> 'paidCents')::float8 AS paid,
              COALESCE((SELECT sum(amount_cents) FROM ledger_entry e WHERE e.decision_id = d.id AND e.kind = 'freed' AND e.claim_id IS NULL), 0)::float8 AS freed,
              (SELECT sum(amount_cents) FROM payment_request p WHERE p.decision_id = d.id AND p.status = 'released')::float8 AS payouts
       FROM usage_report r JOIN decision d ON d.id = r.decision_id WHERE r.call_id = $1 AND r.settlement IS NOT NULL`,
      [callId],
    );
    for (const report of settled) {
      expect(report.paid).toBe(report.payouts);
      expect(report.freed).toBe(report.award - Math.max(report.due, report.paid));
    }
  });

  it('has an accepted or settled usage report with participants for every funded project but the one still overdue', async () => {
    const reports: { status: string; dueOn: string; planned: number; reached: number | null; groups: { count: number }[] }[] = await dataSource.query(
      `SELECT r.status, r.due_on::text AS "dueOn", a.expected_participants AS planned, r.participants_total AS reached, r.participant_groups AS groups
       FROM usage_report r JOIN decision d ON d.id = r.decision_id JOIN application a ON a.id = d.application_id WHERE r.call_id = $1`,
      [callId],
    );
    expect(reports).toHaveLength(8);
    const open = reports.filter((r) => !['accepted', 'settled_with_claim'].includes(r.status));
    expect(open).toHaveLength(1);
    expect(open[0].status).toBe('due');
    expect(open[0].dueOn < new Date().toISOString().slice(0, 10)).toBe(true);
    const closed = reports.filter((r) => r !== open[0]);
    expect(closed.filter((r) => r.status === 'settled_with_claim')).toHaveLength(1);
    for (const report of closed) {
      expect(report.reached).toBeGreaterThan(0);
      expect(report.groups.reduce((sum, group) => sum + group.count, 0)).toBe(report.reached);
    }
    expect(closed.some((r) => r.reached! > r.planned) && closed.some((r) => r.reached! < r.planned)).toBe(true);
  });

  it('has the repayment claim released by the second clerk, its letter as a PDF and the refund booked; site visits for most projects', async () => {
    const claim = await one<{ status: string; draftedBy: string; releasedBy: string; letter: Buffer; interest: number }>(
      `SELECT c.status, c.drafted_by AS "draftedBy", c.released_by AS "releasedBy", l.content AS letter, c.interest_cents::int AS interest
       FROM repayment_claim c JOIN repayment_claim_letter l ON l.claim_id = c.id WHERE c.call_id = $1`,
      [callId],
    );
    expect(claim.status).toBe('repaid');
    expect(claim.releasedBy).not.toBe(claim.draftedBy);
    expect(claim.interest).toBeGreaterThan(0);
    expect(claim.letter.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const visits = await one<{ visited: number }>(`SELECT count(DISTINCT decision_id)::int AS visited FROM site_visit WHERE call_id = $1 AND status = 'done'`, [callId]);
    expect(visits.visited).toBeGreaterThanOrEqual(6);
    expect(visits.visited).toBeLessThan(8);
  });
});
