import { berlinDay } from '../../src/common/dates.js';
import { settle, type SettlementInput } from '../../src/reports/settlement.rules.js';
import { DEMO, loginAs, type TestApp } from './app.js';
import { decidedTable, decisions, releasedAward } from './awards.js';

export interface ReceiptFixture {
  paidOn: string;
  amountCents: number;
  finding: 'admitted' | 'reduced' | 'refused';
  /** For 'reduced'. */
  admittedCents?: number;
  reason?: string;
  payee?: string;
  purpose?: string;
}

export interface ClosedReportOptions {
  /** Payouts requested, confirmed and released through the payments API; each may be given an earlier value date. */
  payouts?: { amountCents: number; valueDate?: string }[];
  receipts?: ReceiptFixture[];
  ownFundsCents?: number;
  thirdPartyCents?: number;
  otherIncomeCents?: number;
  /** A second approved item waits on the list: the budget falls 100.00 € short of funding both. */
  waitingItem?: boolean;
}

/** A released award as releasedAward gives it, with a second approved item on the waiting list. */
async function releasedAwardWithWaitingItem(t: TestApp) {
  // Earlier tests' items of the same call hold their share, and refunds repaid add to the budget the ranking allocates.
  const [call] = (await t.agent().get('/api/v1/calls?open=true').expect(200)).body;
  const [{ repaid }] = await t.dataSource.query(`SELECT COALESCE(sum(amount_cents), 0)::float8 AS repaid FROM ledger_entry WHERE call_id = $1 AND kind = 'freed' AND claim_id IS NOT NULL`, [call.id]);
  const table = await decidedTable(t, 2, 0, (ranked) => ranked.reduce((sum, item) => sum + item.recommendedCents, 0) - 10_000 - repaid);
  const { office, officeToken, second, secondToken, callId } = table;
  await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200);
  const award = (await decisions(office, callId)).decisions.find((d) => d.status === 'draft' && d.kind === 'award')!;
  await second.post(`/api/v1/decisions/${award.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
  const applicant = t.agent();
  const applicantToken = await loginAs(applicant, DEMO.applicant);
  return { ...table, award, applicant, applicantToken };
}

/**
 * A released award (demo call: deficit financing, 2,800.00 € awarded) with real payouts through the
 * payments API, whose usage report is then closed by the office with a settlement that ends in a
 * repayment: status settled_with_claim, the settlement JSON { input, result } from the real settle(),
 * receipts with the office's findings.
 *
 * The report's closing is written with SQL until the usage report's own API is there to drive it;
 * only this function knows how the report got into that state. A payout's `valueDate` may be set
 * earlier than today, as if the money had gone out then (tests cannot wait for months to pass).
 */
export async function closeReportWithRepayment(t: TestApp, options: ClosedReportOptions = {}) {
  const fixture = options.waitingItem ? await releasedAwardWithWaitingItem(t) : await releasedAward(t);
  const { award, applicant, applicantToken, office, officeToken, second, secondToken } = fixture;
  const today = berlinDay(new Date());
  const payouts = options.payouts ?? [{ amountCents: award.amountCents! }];
  const receipts = options.receipts ?? [
    { paidOn: today, amountCents: 200_000, finding: 'admitted' },
    { paidOn: today, amountCents: 100_000, finding: 'reduced', admittedCents: 80_000, reason: 'Bewirtung ist nicht förderfähig.' },
  ];

  await applicant.post(`/api/v1/decisions/${award.id}/acceptance`).set('X-CSRF-Token', applicantToken).send({ waive: false }).expect(200);
  const payoutIds: string[] = [];
  for (const payout of payouts) {
    const requested = (await applicant.post(`/api/v1/decisions/${award.id}/payments`).set('X-CSRF-Token', applicantToken)
      .send({ amountCents: payout.amountCents, neededOn: today, purpose: 'Abruf' }).expect(201)).body;
    await office.post(`/api/v1/payments/${requested.id}/confirm`).set('X-CSRF-Token', officeToken).expect(200);
    await second.post(`/api/v1/payments/${requested.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
    if (payout.valueDate) await t.dataSource.query(`UPDATE payment_request SET value_date = $1 WHERE id = $2`, [payout.valueDate, requested.id]);
    payoutIds.push(requested.id);
  }

  // The office's check of the report, closed with the settlement (to be replaced by the report API).
  const [report] = await t.dataSource.query(`SELECT id FROM usage_report WHERE decision_id = $1`, [award.id]);
  const [{ officeId }] = await t.dataSource.query(`SELECT id AS "officeId" FROM app_user WHERE email = $1`, [DEMO.office]);
  for (const [index, receipt] of receipts.entries()) {
    const admitted = receipt.finding === 'admitted' ? receipt.amountCents : receipt.finding === 'refused' ? 0 : receipt.admittedCents!;
    await t.dataSource.query(
      `INSERT INTO report_receipt (report_id, position, receipt_date, payee, purpose, amount_cents, cost_line, paid_on, finding, admitted_cents, finding_reason, found_by, found_at)
       VALUES ($1, $2, $3, $4, $5, $6, 1, $3, $7, $8, $9, $10, now())`,
      [report.id, index + 1, receipt.paidOn, receipt.payee ?? `Empfänger ${index + 1}`, receipt.purpose ?? `Ausgabe ${index + 1}`, receipt.amountCents, receipt.finding, admitted, receipt.reason ?? null, officeId],
    );
  }
  const admittedCostsCents = receipts.reduce((sum, r) => sum + (r.finding === 'admitted' ? r.amountCents : r.finding === 'refused' ? 0 : r.admittedCents!), 0);
  const input: SettlementInput = {
    financeType: 'deficit',
    sharePercent: null,
    awardedCents: award.amountCents!,
    paidCents: payouts.reduce((sum, p) => sum + p.amountCents, 0),
    admittedCostsCents,
    ownFundsCents: options.ownFundsCents ?? 50_000,
    thirdPartyCents: options.thirdPartyCents ?? 20_000,
    otherIncomeCents: options.otherIncomeCents ?? 0,
  };
  const result = settle(input);
  if (result.outcome !== 'repayment') throw new Error(`the fixture's settlement is ${result.outcome}, not a repayment`);
  await t.dataSource.query(
    `UPDATE usage_report SET status = 'settled_with_claim', submission_count = 1, first_submitted_at = now() - interval '20 days', submitted_at = now() - interval '20 days',
            own_funds_cents = $2, third_party_cents = $3, other_income_cents = $4, accepted_at = now(), accepted_by = $5, settlement = $6
     WHERE id = $1`,
    [report.id, input.ownFundsCents, input.thirdPartyCents, input.otherIncomeCents, officeId, JSON.stringify({ input, result })],
  );
  return { ...fixture, reportId: report.id as string, payoutIds, settlement: result };
}
