import { berlinDay } from '../../src/common/dates.js';
import type { Settlement } from '../../src/reports/settlement.rules.js';
import { DEMO, loginAs, type TestApp } from './app.js';
import { decidedTable, decisions, releasedAward } from './awards.js';
import { checkAndClose, submitReport, type ReceiptFinding, type ReceiptInput } from './reports.js';

export interface ReceiptFixture {
  paidOn: string;
  amountCents: number;
  finding: 'admitted' | 'reduced' | 'refused';
  /** The demo plan's cost line the grantee books it to (1 fees, 2 material); 1 unless given. */
  costLine?: number;
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
 * payments API, whose usage report the applicant fills in and submits with the given receipt list
 * and the office checks (findings as given) and closes with a settlement that ends in a repayment:
 * status settled_with_claim, all through the grantee's and the office's real endpoints.
 *
 * A payout's `valueDate` may be set earlier than today with SQL: the claim's interest runs from the
 * day the money went out and late use counts from it, and a test cannot wait months for a real
 * payout to age. Everything else, the receipts' payment days included, comes from the real API.
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
    // Time travel: the payout went out months ago (interest and late use run from its value date).
    if (payout.valueDate) await t.dataSource.query(`UPDATE payment_request SET value_date = $1 WHERE id = $2`, [payout.valueDate, requested.id]);
    payoutIds.push(requested.id);
  }

  const [report] = await t.dataSource.query(`SELECT id FROM usage_report WHERE decision_id = $1`, [award.id]);
  const reportFixture = { ...fixture, reportId: report.id as string };
  // The receipt list as the grantee submits it: dated on its payment day, booked to the plan's cost lines
  // (the demo plan: line 1 fees 3,000 €, line 2 material 500 €) as `costLine` says, line 1 otherwise.
  const list: ReceiptInput[] = receipts.map((receipt, index) => ({
    date: receipt.paidOn,
    payee: receipt.payee ?? `Empfänger ${index + 1}`,
    purpose: receipt.purpose ?? `Ausgabe ${index + 1}`,
    amountCents: receipt.amountCents,
    costLine: receipt.costLine ?? 1,
    paidOn: receipt.paidOn,
  }));
  await submitReport(reportFixture, {
    receipts: list,
    ownFundsCents: options.ownFundsCents ?? 50_000,
    thirdPartyCents: options.thirdPartyCents ?? 20_000,
    otherIncomeCents: options.otherIncomeCents ?? 0,
  });
  const findings: Record<number, ReceiptFinding> = {};
  receipts.forEach((receipt, index) => {
    if (receipt.finding === 'reduced') findings[index + 1] = { finding: 'reduced', admittedCents: receipt.admittedCents!, reason: receipt.reason ?? 'Teilweise nicht förderfähig.' };
    if (receipt.finding === 'refused') findings[index + 1] = { finding: 'refused', reason: receipt.reason ?? 'Nicht förderfähig.' };
  });
  const closed = await checkAndClose(reportFixture, findings);
  const settlement = closed.settlement?.result as Settlement | undefined;
  if (closed.status !== 'settled_with_claim' || settlement?.outcome !== 'repayment') {
    throw new Error(`the fixture's report closed as ${closed.status} (${settlement?.outcome}), not with a repayment claim`);
  }
  return { ...reportFixture, payoutIds, settlement };
}
