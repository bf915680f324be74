import { expect } from '@jest/globals';
import { berlinDay } from '../../src/common/dates.js';
import type { TestApp } from './app.js';
import { PDF_FILE } from './applications.js';
import { releasedAward } from './awards.js';

/**
 * Usage reports driven through the real API, for tests that start after them (browser journey,
 * repayment claims). The demo application's plan: line 1 Honorare 3.000 €, line 2 Sachkosten
 * 500 €, own funds 500 €, third-party funds 200 € (deficit financing: the award is 2.800 €).
 */

/** A receipt list that matches the plan exactly: 3.000 € on line 1, 500 € on line 2. */
export const PLAN_RECEIPTS = [
  { date: '2027-03-01', payee: 'Kursleitung Ayşe Yılmaz', purpose: 'Honorar März bis Mai', amountCents: 200_000, costLine: 1, paidOn: '2027-03-05' },
  { date: '2027-06-01', payee: 'Kursleitung Ayşe Yılmaz', purpose: 'Honorar Juni', amountCents: 100_000, costLine: 1, paidOn: '2027-06-03' },
  { date: '2027-04-10', payee: 'Schreibwaren Müller', purpose: 'Material', amountCents: 50_000, costLine: 2, paidOn: '2027-04-12' },
];

/** A complete draft matching PLAN_RECEIPTS: every figure and text the submission asks for. */
export const COMPLETE_REPORT = {
  narrative: {
    activities: 'Zwölf Treffen des Sprachcafés mit Kinderbetreuung.',
    goalsReached: 'Die Teilnehmenden sprechen sicherer im Alltag.',
    reached: 'Neu zugewanderte Familien aus dem Erfttal.',
    problems: 'Zwei Termine fielen wegen Krankheit aus.',
    learnings: 'Kinderbetreuung ist entscheidend für die Teilnahme.',
    openToAll: true,
    opennessNote: 'Kostenfrei, ohne Anmeldung, barrierearmer Raum.',
  },
  lines: [{ key: '1', actualCents: 300_000 }, { key: '2', actualCents: 50_000 }],
  ownFundsCents: 50_000,
  thirdPartyCents: 20_000,
  otherIncomeCents: 0,
  participantsTotal: 42,
  participantGroups: [{ label: 'Sprachcafé', count: 42, breakdown: {} }],
};

/**
 * A released and accepted award with one payout of `paidCents` (requested by the applicant,
 * confirmed by `office`, released by `second`) and its usage report's id.
 */
export async function reportOfAward(t: TestApp, options: { paidCents?: number } = {}) {
  const award = await releasedAward(t);
  const { applicant, applicantToken, office, officeToken, second, secondToken } = award;
  await applicant.post(`/api/v1/decisions/${award.award.id}/acceptance`).set('X-CSRF-Token', applicantToken).send({ waive: false }).expect(200);
  const paidCents = options.paidCents ?? 100_000;
  if (paidCents > 0) {
    const request = (await applicant.post(`/api/v1/decisions/${award.award.id}/payments`).set('X-CSRF-Token', applicantToken)
      .send({ amountCents: paidCents, neededOn: berlinDay(new Date()), purpose: 'Honorare' }).expect(201)).body;
    await office.post(`/api/v1/payments/${request.id}/confirm`).set('X-CSRF-Token', officeToken).expect(200);
    await second.post(`/api/v1/payments/${request.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
  }
  const [{ id: reportId }] = await t.dataSource.query(`SELECT id FROM usage_report WHERE decision_id = $1`, [award.award.id]);
  return { ...award, reportId: reportId as string, paidCents };
}

/** A line of the receipt list as the grantee types it (cost line 1 or 2 of the demo plan). */
export interface ReceiptInput {
  date: string;
  payee: string;
  purpose: string;
  amountCents: number;
  costLine: number;
  paidOn: string;
}

/** The office's finding on a receipt other than "admitted". */
export type ReceiptFinding = { finding: 'reduced'; admittedCents: number; reason: string } | { finding: 'refused'; reason: string };

export interface SubmitOptions {
  /** The receipt list the grantee submits (default PLAN_RECEIPTS); each line's actual figure is the sum of its receipts. */
  receipts?: ReceiptInput[];
  ownFundsCents?: number;
  thirdPartyCents?: number;
  otherIncomeCents?: number;
}

interface ReportFixture {
  reportId: string;
  applicant: ReturnType<TestApp['agent']>;
  applicantToken: string;
  office: ReturnType<TestApp['agent']>;
  officeToken: string;
  second: ReturnType<TestApp['agent']>;
  secondToken: string;
}

/**
 * The applicant fills in the report of `fixture` as COMPLETE_REPORT with the given receipt list
 * (and a participant list where the call asks for one) and submits it.
 */
export async function submitReport(fixture: ReportFixture, options: SubmitOptions = {}) {
  const { applicant, applicantToken, reportId } = fixture;
  const receipts = options.receipts ?? PLAN_RECEIPTS;
  // The statement follows the receipts: each cost line's actual figure is what its receipts add up to.
  const lines = COMPLETE_REPORT.lines.map(({ key }) => ({ key, actualCents: receipts.filter((r) => String(r.costLine) === key).reduce((sum, r) => sum + r.amountCents, 0) }));
  const income = {
    ownFundsCents: options.ownFundsCents ?? COMPLETE_REPORT.ownFundsCents,
    thirdPartyCents: options.thirdPartyCents ?? COMPLETE_REPORT.thirdPartyCents,
    otherIncomeCents: options.otherIncomeCents ?? COMPLETE_REPORT.otherIncomeCents,
  };
  const report = (await applicant.get(`/api/v1/usage-reports/${reportId}`).expect(200)).body;
  await applicant.put(`/api/v1/usage-reports/${reportId}`).set('X-CSRF-Token', applicantToken).send({ ...COMPLETE_REPORT, lines, ...income, version: report.version }).expect(200);
  if (report.call.participantListsRequired) {
    await applicant.post(`/api/v1/usage-reports/${reportId}/files`).set('X-CSRF-Token', applicantToken).attach('file', PDF_FILE, 'Teilnehmendenliste.pdf').expect(201);
  }
  const { version } = (await applicant.get(`/api/v1/usage-reports/${reportId}`).expect(200)).body;
  await applicant.put(`/api/v1/usage-reports/${reportId}/receipts`).set('X-CSRF-Token', applicantToken).send({ version, receipts }).expect(200);
  const submitted = await applicant.post(`/api/v1/usage-reports/${reportId}/submit`).set('X-CSRF-Token', applicantToken);
  expect(submitted.body.problems ?? []).toEqual([]);
  expect(submitted.body.status).toBe('submitted');
  return submitted.body;
}

/**
 * The office checks and closes the submitted report of `fixture`: `office` starts the check, admits
 * every receipt except those named in `findings` (by position from 1), records the content check,
 * `second` the figures check, and `office` closes it. Answers the closed report.
 */
export async function checkAndClose(fixture: ReportFixture, findings: Record<number, ReceiptFinding> = {}) {
  const { office, officeToken, second, secondToken, reportId } = fixture;
  const started = (await office.post(`/api/v1/usage-reports/${reportId}/start-check`).set('X-CSRF-Token', officeToken).expect(200)).body;
  for (const receipt of started.receipts as { id: string; position: number }[]) {
    const finding = findings[receipt.position] ?? { finding: 'admitted' };
    await office.put(`/api/v1/usage-reports/${reportId}/receipts/${receipt.id}/finding`).set('X-CSRF-Token', officeToken).send(finding).expect(200);
  }
  await office.post(`/api/v1/usage-reports/${reportId}/checks`).set('X-CSRF-Token', officeToken).send({ part: 'content' }).expect(200);
  await second.post(`/api/v1/usage-reports/${reportId}/checks`).set('X-CSRF-Token', secondToken).send({ part: 'figures' }).expect(200);
  return (await office.post(`/api/v1/usage-reports/${reportId}/close`).set('X-CSRF-Token', officeToken).expect(200)).body;
}

/** The report filled in as COMPLETE_REPORT with PLAN_RECEIPTS (or `receipts`) and submitted by the applicant. */
export async function submittedReport(t: TestApp, options: { paidCents?: number } & SubmitOptions = {}) {
  const fixture = await reportOfAward(t, options);
  await submitReport(fixture, options);
  return fixture;
}

/**
 * A submitted report checked and closed by the office (see checkAndClose). Answers the fixture with
 * the closed report (status, settlement `{ input, result }`).
 */
export async function settledReport(t: TestApp, options: { paidCents?: number; findings?: Record<number, ReceiptFinding> } & SubmitOptions = {}) {
  const fixture = await submittedReport(t, options);
  const report = await checkAndClose(fixture, options.findings);
  return { ...fixture, report };
}
