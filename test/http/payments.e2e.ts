import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { addMonths } from '../../src/awards/calendar-days.js';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary } from '../support/applications.js';
import { decisions, releasedAward } from '../support/awards.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const today = () => berlinDay(new Date());

describe('payments', () => {
  it('from request to payout to the treasury export, with two people and the award as the limit', async () => {
    const { award, applicant, applicantToken, office, officeToken, second, secondToken, callId } = await releasedAward(t);
    const request = (body: object) => applicant.post(`/api/v1/decisions/${award.id}/payments`).set('X-CSRF-Token', applicantToken).send(body);
    const valid = { amountCents: 50_000, neededOn: today(), purpose: 'Honorare Februar' };

    // Not before the award is final or accepted.
    const early = await request(valid).expect(409);
    expect(early.body.status).toBe('awarded');
    await applicant.post(`/api/v1/decisions/${award.id}/acceptance`).set('X-CSRF-Token', applicantToken).send({ waive: false }).expect(200);

    // Bad amounts and days, each named at its field.
    for (const amountCents of [0, -100, 12.5, award.amountCents! + 1]) {
      const res = await request({ ...valid, amountCents }).expect(422);
      expect(Object.keys(res.body.fields)).toEqual(['amountCents']);
    }
    const tooLate = await request({ ...valid, neededOn: addMonths(today(), 3) }).expect(422);
    expect(tooLate.body.fields.neededOn[0]).toContain('innerhalb von 2 Monaten');
    await request({ ...valid, neededOn: '2020-01-01' }).expect(422);
    await request({ ...valid, neededOn: '2027-02-30' }).expect(422);
    // Another organisation does not see the grant.
    const other = t.agent();
    const otherToken = await loginAs(other, DEMO.otherApplicant);
    await other.post(`/api/v1/decisions/${award.id}/payments`).set('X-CSRF-Token', otherToken).send(valid).expect(404);
    await other.get(`/api/v1/decisions/${award.id}/payments`).expect(404);

    const requested = (await request(valid).expect(201)).body;
    expect(requested).toMatchObject({ status: 'requested', amountCents: 50_000 });
    expect(requested).not.toHaveProperty('requestedBy');
    // What is left of the award is the limit for the next request.
    const rest = award.amountCents! - 50_000;
    await request({ ...valid, amountCents: rest + 1 }).expect(422);

    // Four eyes: the one who confirmed does not release.
    await second.post(`/api/v1/payments/${requested.id}/release`).set('X-CSRF-Token', secondToken).expect(409);
    await office.post(`/api/v1/payments/${requested.id}/confirm`).set('X-CSRF-Token', officeToken).expect(200);
    await office.post(`/api/v1/payments/${requested.id}/confirm`).set('X-CSRF-Token', officeToken).expect(409);
    const same = await office.post(`/api/v1/payments/${requested.id}/release`).set('X-CSRF-Token', officeToken).expect(403);
    expect(same.body.message).toContain('Vier-Augen');
    await expect(t.dataSource.query(`UPDATE payment_request SET status = 'released', released_by = confirmed_by, released_at = now(), value_date = current_date WHERE id = $1`, [requested.id]))
      .rejects.toThrow(/payment_four_eyes/);
    const released = (await second.post(`/api/v1/payments/${requested.id}/release`).set('X-CSRF-Token', secondToken).expect(200)).body;
    expect(released).toMatchObject({ status: 'released', valueDate: today() });
    await second.post(`/api/v1/payments/${requested.id}/release`).set('X-CSRF-Token', secondToken).expect(409);

    const account = (await applicant.get(`/api/v1/decisions/${award.id}/payments`).expect(200)).body.account;
    expect(account).toEqual({ awardedCents: award.amountCents, requestedCents: 50_000, paidCents: 50_000, openCents: rest });
    expect((await decisions(office, callId)).ledger.paidCents).toBeGreaterThanOrEqual(50_000);
    const worklist = (await office.get(`/api/v1/calls/${callId}/payments`).expect(200)).body;
    expect(worklist.find((p: { id: string }) => p.id === requested.id)).toMatchObject({ status: 'released', confirmedByYou: true });

    // A refused request gives its amount back.
    const second_ = (await request({ ...valid, amountCents: rest }).expect(201)).body;
    await office.post(`/api/v1/payments/${second_.id}/reject`).set('X-CSRF-Token', officeToken).send({ reason: 'Belege fehlen' }).expect(200);
    expect((await applicant.get(`/api/v1/decisions/${award.id}/payments`).expect(200)).body.account.openCents).toBe(rest);

    // The export takes each payout once and keeps its files.
    const exported = (await office.post('/api/v1/payment-exports').set('X-CSRF-Token', officeToken).expect(201)).body;
    expect(exported).toMatchObject({ payouts: 1, totalCents: 50_000 });
    await office.post('/api/v1/payment-exports').set('X-CSRF-Token', officeToken).expect(409);
    const csv = await office.get(`/api/v1/payment-exports/${exported.id}/payments.csv`).buffer(true).parse(binary).expect(200);
    const csvText = (csv.body as Buffer).toString('utf8');
    const [{ iban, reference }] = await t.dataSource.query(
      `SELECT o.iban, a.reference_number AS reference FROM decision d JOIN application a ON a.id = d.application_id JOIN organisation o ON o.id = a.organisation_id WHERE d.id = $1`,
      [award.id],
    );
    expect(csvText).toContain(iban);
    expect(csvText).toContain('500,00');
    expect(csvText).toContain(reference);
    const sepa = await office.get(`/api/v1/payment-exports/${exported.id}/sepa.xml`).buffer(true).parse(binary).expect(200);
    const xml = new XMLParser({ removeNSPrefix: true }).parse((sepa.body as Buffer).toString('utf8'));
    const header = Object.values(xml.Document)[0] as { GrpHdr: { NbOfTxs: number; CtrlSum: number } };
    expect(header.GrpHdr).toMatchObject({ NbOfTxs: 1, CtrlSum: 500 });
    expect((sepa.body as Buffer).toString('utf8')).toContain(iban);
    const again = await office.get(`/api/v1/payment-exports/${exported.id}/sepa.xml`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(again.body as Buffer, sepa.body as Buffer)).toBe(0);
    // The treasury's files are the office's: the grantee does not get them.
    await applicant.get(`/api/v1/payment-exports/${exported.id}/sepa.xml`).expect(403);
  }, 180_000);
});
