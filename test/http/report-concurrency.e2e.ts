import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addMonths } from '../../src/awards/calendar-days.js';
import { berlinDay } from '../../src/common/dates.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import { closeReportWithRepayment } from '../support/claims.js';
import { submittedReport } from '../support/reports.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

// Office users working on the same report or claim at the same moment: the row locks let one of
// them through and tell the others the new state; the call's ledger books freed money once.
let t: TestApp;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url } });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const today = () => berlinDay(new Date());

describe('usage reports and repayment claims under concurrent requests', () => {
  it('concurrent closes, claim saves, releases and repayment bookings: one wins, the others get 409, the ledger books each once', async () => {
    type Agent = ReturnType<TestApp['agent']>;
    const statuses = (responses: { status: number }[]) => responses.map((res) => res.status).sort();

    // Three closes of one report at once by two office users: the part never to be paid is freed once.
    const report = await submittedReport(t, { paidCents: 100_000 });
    const { office, officeToken, second, secondToken, reportId, award } = report;
    const reportUrl = `/api/v1/usage-reports/${reportId}`;
    const started = (await office.post(`${reportUrl}/start-check`).set('X-CSRF-Token', officeToken).expect(200)).body;
    for (const receipt of started.receipts as { id: string; position: number }[]) {
      const finding = receipt.position === 3 ? { finding: 'refused', reason: 'Nicht belegt.' } : { finding: 'admitted' };
      await office.put(`${reportUrl}/receipts/${receipt.id}/finding`).set('X-CSRF-Token', officeToken).send(finding).expect(200);
    }
    await office.post(`${reportUrl}/checks`).set('X-CSRF-Token', officeToken).send({ part: 'content' }).expect(200);
    await second.post(`${reportUrl}/checks`).set('X-CSRF-Token', secondToken).send({ part: 'figures' }).expect(200);
    const closers: [Agent, string][] = [[office, officeToken], [second, secondToken], [office, officeToken]];
    const closes = await Promise.all(closers.map(([agent, token]) => agent.post(`${reportUrl}/close`).set('X-CSRF-Token', token)));
    expect(statuses(closes)).toEqual([200, 409, 409]);
    for (const res of closes.filter((r) => r.status === 409)) expect(res.body.status).toBe('accepted');
    // Admitted 3.000 € less own funds 500 and third-party 200: 2.300 € due of the award, 1.000 € paid.
    const freed = award.amountCents! - Math.max(Math.min(230_000, award.amountCents!), 100_000);
    expect(freed).toBeGreaterThan(0);
    const closeEntries = await t.dataSource.query(`SELECT amount_cents::float8 AS cents FROM ledger_entry WHERE decision_id = $1 AND kind = 'freed'`, [award.id]);
    expect(closeEntries).toEqual([{ cents: freed }]);
    const closedAudit = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1 AND action = 'usage_report.closed'`, [reportId]);
    expect(closedAudit).toEqual([{ n: 1 }]);

    // The claim: two saves on one version, three releases, three bookings of the refund, each at once.
    const claimed = await closeReportWithRepayment(t);
    const url = `/api/v1/reports/${claimed.reportId}/claim`;
    const first = (await claimed.office.put(url).set('X-CSRF-Token', claimed.officeToken).send({}).expect(200)).body;
    const saves = await Promise.all([1, 2].map((months) => claimed.office.put(url).set('X-CSRF-Token', claimed.officeToken).send({ version: first.version, paymentDueOn: addMonths(today(), months) })));
    expect(statuses(saves)).toEqual([200, 409]);
    const saved = saves.find((res) => res.status === 200)!.body;
    expect((await claimed.office.get(url).expect(200)).body).toMatchObject({ version: first.version + 1, paymentDueOn: saved.paymentDueOn });

    const releases = await Promise.all([1, 2, 3].map(() => claimed.second.post(`${url}/release`).set('X-CSRF-Token', claimed.secondToken)));
    expect(statuses(releases)).toEqual([200, 409, 409]);
    const payers: [Agent, string][] = [[claimed.office, claimed.officeToken], [claimed.second, claimed.secondToken], [claimed.office, claimed.officeToken]];
    const bookings = await Promise.all(payers.map(([agent, token]) => agent.post(`${url}/repayment`).set('X-CSRF-Token', token).send({ repaidOn: today(), receivedCents: saved.totalClaimedCents })));
    expect(statuses(bookings)).toEqual([200, 409, 409]);
    const claimEntries = await t.dataSource.query(`SELECT kind, amount_cents::float8 AS cents FROM ledger_entry WHERE claim_id = $1`, [saved.id]);
    expect(claimEntries).toEqual([{ kind: 'freed', cents: saved.repaymentCents }]);
    const audit = await t.dataSource.query(`SELECT action, count(*)::int AS n FROM audit_event WHERE entity_type = 'repayment_claim' AND entity_id = $1 GROUP BY action ORDER BY action`, [saved.id]);
    expect(audit).toEqual([
      { action: 'repayment_claim.drafted', n: 1 }, { action: 'repayment_claim.released', n: 1 }, { action: 'repayment_claim.repaid', n: 1 }, { action: 'repayment_claim.updated', n: 1 },
    ]);
    await eventually(async () => (await claimed.applicant.get(url)).body.letterIssued === true, 45_000, 'letter issued');
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM repayment_claim_letter WHERE claim_id = $1`, [saved.id])).toEqual([{ n: 1 }]);
  }, 120_000);
});
