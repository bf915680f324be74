import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, addMonths } from '../../src/awards/calendar-days.js';
import { berlinDay } from '../../src/common/dates.js';
import { formatEuroCents } from '../../src/common/money.js';
import { lateUseInterest, repaymentInterest, type BaseRate } from '../../src/reports/interest.rules.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary } from '../support/applications.js';
import { decisions } from '../support/awards.js';
import { closeReportWithRepayment } from '../support/claims.js';
import { checkedPdf } from '../support/pdf.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { plain } from '../support/text.js';

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
const euro = (cents: number) => plain(formatEuroCents(cents, 'de'));
const german = (day: string) => day.split('-').reverse().join('.');
/** The next day the base rate changes (1 January or 1 July) after `day`. */
function nextRateDay(day: string): string {
  const [year, month] = day.split('-').map(Number);
  return month < 7 ? `${year}-07-01` : `${year + 1}-01-01`;
}

async function baseRates(agent: ReturnType<TestApp['agent']>): Promise<BaseRate[]> {
  return ((await agent.get('/api/v1/base-rates').expect(200)).body as { validFrom: string; basisPoints: number }[]).map((r) => ({ from: r.validFrom, basisPoints: r.basisPoints }));
}

describe('repayment claims', () => {
  it('drafts with interest across a base-rate change and late use, four eyes, letter by mail, 409s, repayment freed in the ledger', async () => {
    // The money went out about nine months ago; part of it was used after the two-month window.
    const valueDate = addDays(today(), -270);
    const receipts = [
      { paidOn: addDays(valueDate, 8), amountCents: 150_000, finding: 'admitted' as const, payee: 'Kursleitung A', purpose: 'Honorar März' },
      { paidOn: addDays(valueDate, 49), amountCents: 100_000, finding: 'admitted' as const, payee: 'Kursleitung B', purpose: 'Honorar April' },
      { paidOn: addDays(valueDate, 105), amountCents: 60_000, finding: 'admitted' as const, payee: 'Druckerei', purpose: 'Flyer', costLine: 2 },
      { paidOn: addDays(valueDate, 121), amountCents: 40_000, finding: 'reduced' as const, admittedCents: 20_000, payee: 'Café Erfttal', purpose: 'Abschlussfest', reason: 'Bewirtung nur zur Hälfte förderfähig.' },
    ];
    const fixture = await closeReportWithRepayment(t, { payouts: [{ amountCents: 280_000, valueDate }], receipts });
    const { reportId, office, officeToken, second, secondToken, applicant, applicantToken, callId, settlement } = fixture;
    // Deficit: 330,000 admitted − 50,000 own − 20,000 third party = 260,000 due of 280,000 paid.
    expect(settlement).toMatchObject({ dueCents: 260_000, paidCents: 280_000, outcome: 'repayment' });

    // A new base rate from the next half-year, so that the interest until the deadline crosses it.
    const rateDay = nextRateDay(today());
    await office.put(`/api/v1/base-rates/${rateDay}`).set('X-CSRF-Token', officeToken).send({ basisPoints: 102, source: 'Test' }).expect(200);
    const paymentDueOn = addDays(rateDay, 28);

    // Nothing to see before the draft; a draft is the office's alone.
    await applicant.get(`/api/v1/reports/${reportId}/claim`).expect(404);
    const drafted = (await office.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', officeToken).send({ paymentDueOn }).expect(200)).body;
    const rates = await baseRates(office);
    const interest = repaymentInterest({ principalCents: 20_000, from: valueDate, until: paymentDueOn, baseRates: rates });
    expect(drafted).toMatchObject({ status: 'draft', repaymentCents: 20_000, revokedFrom: valueDate, paymentDueOn, interestWaiver: null, draftedByYou: true });
    expect(drafted.interest.lines).toEqual(interest.lines);
    expect(drafted.interest.lines.length).toBeGreaterThanOrEqual(2);
    const last = drafted.interest.lines[drafted.interest.lines.length - 1];
    expect(last).toMatchObject({ from: rateDay, to: addDays(paymentDueOn, -1), days: 28, ratePercentBasisPoints: 602 });
    expect(drafted.interestCents).toBe(interest.totalCents);
    expect(drafted.interestCents).toBeGreaterThan(0);
    // Late use: the 30,000 of the third receipt that came from the payout, used after the window.
    const late = lateUseInterest({ payouts: [{ id: fixture.payoutIds[0], valueDate, amountCents: 280_000 }], uses: receipts.map((r) => ({ paidOn: r.paidOn, amountCents: r.admittedCents ?? r.amountCents })), asOf: receipts[3].paidOn, baseRates: rates });
    expect(drafted.lateUse.lines).toEqual(late.lines);
    expect(drafted.lateUse.lines[0]).toMatchObject({ amountCents: 30_000, usedOn: receipts[2].paidOn, from: addDays(addMonths(valueDate, 2), 1) });
    expect(drafted.lateUse.lines.every((line: { amountCents: number; usedOn: string }) => line.amountCents === 30_000 && line.usedOn === receipts[2].paidOn)).toBe(true);
    expect(drafted.lateUseInterestCents).toBe(late.totalCents);
    expect(drafted.totalClaimedCents).toBe(20_000 + interest.totalCents + late.totalCents);
    await applicant.get(`/api/v1/reports/${reportId}/claim`).expect(404);
    await applicant.get(`/api/v1/reports/${reportId}/claim/letter.pdf`).expect(404);
    expect((await applicant.get(`/applications/${fixture.award.applicationId}`).expect(200)).text).not.toContain(`/reports/${reportId}/claim`);

    // Bad input: named at the field; nothing changes.
    for (const [body, field] of [
      [{ revokedFrom: '2026-02-30' }, 'revokedFrom'],
      [{ revokedFrom: addDays(today(), 1) }, 'revokedFrom'],
      [{ revokedFrom: '2019-01-01' }, 'revokedFrom'],
      [{ paymentDueOn: 'morgen' }, 'paymentDueOn'],
      [{ paymentDueOn: today() }, 'paymentDueOn'],
      [{ waiveInterest: true }, 'interestWaiver'],
      [{ interestWaiver: '   ' }, 'interestWaiver'],
    ] as const) {
      const res = await office.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', officeToken).send(body).expect(422);
      expect(Object.keys(res.body.fields)).toEqual([field]);
    }
    await office.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', officeToken).send({ version: drafted.version + 1, paymentDueOn }).expect(409);
    expect((await office.get(`/api/v1/reports/${reportId}/claim`).expect(200)).body).toMatchObject({ version: drafted.version, interestCents: drafted.interestCents });

    // Other organisations, members and applicants: 404 and 403.
    const other = t.agent();
    const otherToken = await loginAs(other, DEMO.otherApplicant);
    const member = t.agent();
    const memberToken = await loginAs(member, DEMO.voting);
    await other.get(`/api/v1/reports/${reportId}/claim`).expect(404);
    await member.get(`/api/v1/reports/${reportId}/claim`).expect(404);
    await member.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', memberToken).send({}).expect(403);
    await applicant.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', applicantToken).send({}).expect(403);
    await applicant.post(`/api/v1/reports/${reportId}/claim/release`).set('X-CSRF-Token', applicantToken).expect(403);
    await other.post(`/api/v1/reports/${reportId}/claim/repayment`).set('X-CSRF-Token', otherToken).send({ repaidOn: today(), receivedCents: 1 }).expect(403);

    // Four eyes: the drafter does not release; nor does the database let it happen.
    const same = await office.post(`/api/v1/reports/${reportId}/claim/release`).set('X-CSRF-Token', officeToken).expect(403);
    expect(same.body.message).toContain('Vier-Augen');
    await expect(t.dataSource.query(
      `UPDATE repayment_claim SET status = 'released', released_by = drafted_by, released_at = now(), sent_on = current_date WHERE report_id = $1`, [reportId],
    )).rejects.toThrow(/repayment_claim_four_eyes/);
    // Booking before the release: 409.
    await office.post(`/api/v1/reports/${reportId}/claim/repayment`).set('X-CSRF-Token', officeToken).send({ repaidOn: today(), receivedCents: drafted.totalClaimedCents }).expect(409);

    const released = (await second.post(`/api/v1/reports/${reportId}/claim/release`).set('X-CSRF-Token', secondToken).expect(200)).body;
    expect(released).toMatchObject({ status: 'released', sentOn: today(), totalClaimedCents: drafted.totalClaimedCents });
    await second.post(`/api/v1/reports/${reportId}/claim/release`).set('X-CSRF-Token', secondToken).expect(409);
    await office.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', officeToken).send({ paymentDueOn }).expect(409);
    await second.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', secondToken).send({ waiveInterest: true, interestWaiver: 'später' }).expect(409);

    // The letter: rendered by the job, stored with its hash, mailed with the PDF attached.
    const mail = await smtp.waitForMail((m) => (m.subject?.startsWith('Rückforderungsbescheid') ?? false) && (m.to ?? []).some((to) => to.address === DEMO.applicant), 45_000);
    expect(mail.attachments).toHaveLength(1);
    expect(plain(mail.text ?? '')).toContain(euro(drafted.totalClaimedCents));
    const seen = (await applicant.get(`/api/v1/reports/${reportId}/claim`).expect(200)).body;
    expect(seen).toMatchObject({ status: 'released', letterIssued: true, totalClaimedCents: drafted.totalClaimedCents });
    expect(seen).not.toHaveProperty('draftedByName');
    const letter = await applicant.get(`/api/v1/reports/${reportId}/claim/letter.pdf`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(letter.body as Buffer, Buffer.from(mail.attachments[0].content as Uint8Array))).toBe(0);
    const [stored] = await t.dataSource.query(`SELECT l.sha256 FROM repayment_claim_letter l JOIN repayment_claim c ON c.id = l.claim_id WHERE c.report_id = $1`, [reportId]);
    expect(letter.headers['x-content-sha256']).toBe(stored.sha256);
    await expect(t.dataSource.query(`UPDATE repayment_claim_letter SET filename = 'x'`)).rejects.toThrow(/kept as sent/);
    const text = plain(await checkedPdf(letter.body as Buffer, 'repayment-claim-e2e'));
    expect(text).toContain('Rückforderungsbescheid');
    expect(text).toContain(`mit Wirkung vom ${german(valueDate)} teilweise widerrufen`);
    expect(text).toContain(`zu erstatten: ${euro(20_000)}`);
    for (const line of interest.lines) {
      expect(text).toContain(`${german(line.from)} bis ${german(line.to)} ${euro(20_000)} ×`);
      expect(text).toContain(`× ${line.days} Tage ÷ 365 ${euro(line.interestCents)}`);
    }
    expect(text).toContain(`Zinsen insgesamt ${euro(interest.totalCents)}`);
    expect(text).toContain(`verwendet am ${german(receipts[2].paidOn)}: ${euro(30_000)}`);
    expect(text).toContain(`Zinsen für verspätete Verwendung insgesamt ${euro(late.totalCents)}`);
    expect(text).toContain(`Zu zahlen insgesamt ${euro(drafted.totalClaimedCents)}`);
    expect(text).toContain(`Zahlbar bis ${german(paymentDueOn)}`);
    expect(text).toContain('Bewirtung nur zur Hälfte förderfähig.');
    expect(text).toContain('Rechtsbehelfsbelehrung');
    await other.get(`/api/v1/reports/${reportId}/claim/letter.pdf`).expect(404);
    await other.get(`/reports/${reportId}/claim`).expect(404);

    // The pages: the office's with the lines, the organisation's with the total and its letter.
    const officePage = plain((await office.get(`/office/reports/${reportId}/claim`).expect(200)).text);
    expect(officePage).toContain('Zahlungseingang buchen');
    expect(officePage).toContain(euro(interest.lines[0].interestCents));
    const orgPage = plain((await applicant.get(`/reports/${reportId}/claim`).expect(200)).text);
    expect(orgPage).toContain(euro(drafted.totalClaimedCents));
    expect(orgPage).toContain(`/reports/${reportId}/claim/letter.pdf`);
    // The application page links to the claim: the organisation's page, and the office's.
    expect((await applicant.get(`/applications/${fixture.award.applicationId}`).expect(200)).text).toContain(`href="/reports/${reportId}/claim"`);
    expect((await office.get(`/applications/${fixture.award.applicationId}`).expect(200)).text).toContain(`href="/office/reports/${reportId}/claim"`);

    // Booking the refund: bad input named, then freed in the ledger and available again.
    for (const [body, fields] of [
      [{ repaidOn: '2027-02-30', receivedCents: 12.5 }, ['receivedCents', 'repaidOn']],
      [{ repaidOn: today(), receivedCents: -5 }, ['receivedCents']],
      [{ repaidOn: today(), receivedCents: 'viel' }, ['receivedCents']],
      [{ repaidOn: 'gestern', receivedCents: drafted.totalClaimedCents }, ['repaidOn']],
      [{ repaidOn: today(), receivedCents: drafted.totalClaimedCents - 1 }, ['receivedCents']],
      [{ repaidOn: addDays(today(), 1), receivedCents: drafted.totalClaimedCents }, ['repaidOn']],
    ] as const) {
      const res = await office.post(`/api/v1/reports/${reportId}/claim/repayment`).set('X-CSRF-Token', officeToken).send(body).expect(422);
      expect(Object.keys(res.body.fields).sort()).toEqual(fields);
    }
    const before = (await decisions(office, callId)).ledger;
    const remainingBefore = (await office.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body.allocation.remainingCents;
    const repaid = (await office.post(`/api/v1/reports/${reportId}/claim/repayment`).set('X-CSRF-Token', officeToken).send({ repaidOn: today(), receivedCents: drafted.totalClaimedCents }).expect(200)).body;
    expect(repaid).toMatchObject({ status: 'repaid', repaidOn: today() });
    const after = (await decisions(office, callId)).ledger;
    expect(after.freedCents - before.freedCents).toBe(20_000);
    expect(after.availableCents - before.availableCents).toBe(20_000);
    expect(after.committedCents).toBe(before.committedCents - 20_000);
    const [entry] = await t.dataSource.query(`SELECT e.kind, e.amount_cents::int AS cents FROM ledger_entry e JOIN repayment_claim c ON c.id = e.claim_id WHERE c.report_id = $1`, [reportId]);
    expect(entry).toEqual({ kind: 'freed', cents: 20_000 });
    // The waiting list sees the money: the allocation has it left over.
    expect((await office.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body.allocation.remainingCents).toBe(remainingBefore + 20_000);
    await office.post(`/api/v1/reports/${reportId}/claim/repayment`).set('X-CSRF-Token', officeToken).send({ repaidOn: today(), receivedCents: drafted.totalClaimedCents }).expect(409);
    expect((await applicant.get(`/api/v1/reports/${reportId}/claim`).expect(200)).body.status).toBe('repaid');
    // Every change is in the audit trail, the failed attempts are not.
    const audit = await t.dataSource.query(`SELECT action FROM audit_event WHERE entity_type = 'repayment_claim' AND entity_id = $1 ORDER BY id`, [drafted.id]);
    expect(audit.map((row: { action: string }) => row.action)).toEqual(['repayment_claim.drafted', 'repayment_claim.released', 'repayment_claim.repaid']);
  }, 120_000);

  it('waives the interest only with a written reason, and the letter states it', async () => {
    const { reportId, office, officeToken, second, secondToken, applicant } = await closeReportWithRepayment(t);
    // Payout today, 280,000 admitted of 300,000 receipts: 210,000 due of 280,000 paid.
    const first = (await office.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', officeToken).send({}).expect(200)).body;
    expect(first).toMatchObject({ repaymentCents: 70_000, revokedFrom: today(), paymentDueOn: addMonths(today(), 1) });
    expect(first.interestCents).toBeGreaterThan(0);

    const missing = await office.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', officeToken).send({ waiveInterest: true, interestWaiver: '' }).expect(422);
    expect(Object.keys(missing.body.fields)).toEqual(['interestWaiver']);
    const reason = 'Der Verein hat die Minderausgaben selbst angezeigt und die Mittel unverzüglich zurückgestellt.';
    const waived = (await office.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', officeToken).send({ waiveInterest: true, interestWaiver: reason }).expect(200)).body;
    expect(waived).toMatchObject({ interest: null, interestCents: 0, interestWaiver: reason, lateUse: null, lateUseInterestCents: 0, totalClaimedCents: 70_000 });
    await expect(t.dataSource.query(`UPDATE repayment_claim SET interest_cents = 5 WHERE report_id = $1`, [reportId])).rejects.toThrow(/repayment_claim_waiver/);
    // Claiming interest again, and waiving once more through the page form.
    expect((await office.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', officeToken).send({ waiveInterest: false }).expect(200)).body.interestCents).toBe(first.interestCents);
    const page = await office.get(`/office/reports/${reportId}/claim`).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const refused = await office.post(`/office/reports/${reportId}/claim`).type('form').send({ _csrf: csrf, revokedFrom: '2026-13-01', paymentDueOn: addMonths(today(), 1), waiveInterest: 'true', interestWaiver: '' }).expect(422);
    expect(refused.text).toContain('error-summary');
    await office.post(`/office/reports/${reportId}/claim`).type('form').send({ _csrf: csrf, revokedFrom: today(), paymentDueOn: addMonths(today(), 1), waiveInterest: 'true', interestWaiver: reason }).expect(303);
    // The page's second person releases it.
    const secondPage = await second.get(`/office/reports/${reportId}/claim`).expect(200);
    expect(secondPage.text).toContain(`/office/reports/${reportId}/claim/release`);
    // A double click: one release goes through; the other answer shows the claim as it now is, without the button.
    const clicks = await Promise.all([1, 2].map(() => second.post(`/office/reports/${reportId}/claim/release`).type('form').send({ _csrf: secondToken })));
    expect(clicks.map((click) => click.status).sort()).toEqual([303, 409]);
    const again = clicks.find((click) => click.status === 409)!;
    expect(again.text).toContain('bereits freigegeben');
    expect(again.text).toContain('freigegeben und versandt');
    expect(again.text).not.toContain(`action="/office/reports/${reportId}/claim/release"`);
    await eventually(async () => (await applicant.get(`/api/v1/reports/${reportId}/claim`)).body.letterIssued === true, 45_000, 'letter issued');
    const letter = await applicant.get(`/api/v1/reports/${reportId}/claim/letter.pdf`).buffer(true).parse(binary).expect(200);
    const text = plain(await checkedPdf(letter.body as Buffer, 'repayment-claim-waived-e2e'));
    expect(text).toContain('Von der Verzinsung des Erstattungsbetrags wird nach § 49a Abs. 3 Satz 2 VwVfG NRW abgesehen');
    expect(text).toContain(reason);
    expect(text).toContain(`Zu zahlen insgesamt ${euro(70_000)}`);
  }, 120_000);
  it('the refund moves the waiting list up', async () => {
    const { reportId, office, officeToken, second, secondToken, callId, award } = await closeReportWithRepayment(t, { waitingItem: true });
    const ranking = async () => (await office.get(`/api/v1/calls/${callId}/ranking`).expect(200)).body as { offered: { id: string }[]; allocation: { waitingList: { id: string }[] } };
    const before = await ranking();
    expect(before.offered).toEqual([]);
    expect(before.allocation.waitingList).toHaveLength(1);
    const waiting = before.allocation.waitingList[0].id;
    expect(waiting).not.toBe(award.applicationId);

    const claim = (await office.put(`/api/v1/reports/${reportId}/claim`).set('X-CSRF-Token', officeToken).send({}).expect(200)).body;
    await second.post(`/api/v1/reports/${reportId}/claim/release`).set('X-CSRF-Token', secondToken).expect(200);
    // Released, not yet repaid: the money is still with the grantee.
    expect((await ranking()).offered).toEqual([]);
    await office.post(`/api/v1/reports/${reportId}/claim/repayment`).set('X-CSRF-Token', officeToken).send({ repaidOn: today(), receivedCents: claim.totalClaimedCents }).expect(200);
    const after = await ranking();
    expect(after.offered.map((item) => item.id)).toEqual([waiting]);
    expect(after.allocation.waitingList).toEqual([]);
  }, 120_000);
});
