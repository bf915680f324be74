import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { addDays } from '../../src/awards/calendar-days.js';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary, eligibleApplication, preparedDraft } from '../support/applications.js';
import { releasedAward } from '../support/awards.js';
import { closeReportWithRepayment } from '../support/claims.js';
import { checkedPdf, pdfFigures } from '../support/pdf.js';
import { settledReport } from '../support/reports.js';

/**
 * The monitoring's indicators against a small data set built through the real API (all in the open
 * demo call; each application requests 2.800,00 € and plans 40 participants):
 *
 * - A: funded (2.800 €), 1.000 € paid, report accepted with 42 participants, visited today.
 * - B: funded (2.800 €), 2.800 € paid, report settled with a repayment claim of 700 € (booked as
 *   repaid), 42 participants, no visit.
 * - C: funded (2.800 €), nothing paid, report overdue (deadline moved to yesterday), a visit planned;
 *   moved to "Antirassismus" in "Furth-Mitte".
 * - D: eligible, not decided. E: submitted only, "Antirassismus" in "Furth-Mitte".
 * A, B and D are "Sprachförderung" in "Erfttal".
 */
let t: TestApp;
let callId: string;
let office: ReturnType<TestApp['agent']>;
const today = () => berlinDay(new Date());
const CHECKLIST = { activity_as_described: 'yes', target_group_reached: 'yes', open_to_everyone: 'yes', participants_present: 'yes', publicity_names_city: 'partly' };

const ZERO = {
  applied: 0, eligible: 0, funded: 0, requestedCents: 0, awardedCents: 0, paidCents: 0, repaidCents: 0,
  participantsReached: 0, participantsPlanned: 0, participantsPlannedOfReported: 0,
  reportsOnTime: 0, reportsLate: 0, reportsOverdue: 0, reportsNotYetDue: 0, reportsAccepted: 0,
  visitsMade: 0, visitsPlanned: 0, visitsMissing: 0,
};
const LANGUAGE_FIELD = {
  ...ZERO, applied: 3, eligible: 3, funded: 2, requestedCents: 840_000, awardedCents: 560_000, paidCents: 380_000, repaidCents: 70_000,
  participantsReached: 84, participantsPlanned: 80, participantsPlannedOfReported: 80, reportsOnTime: 2, reportsAccepted: 2, visitsMade: 1, visitsMissing: 1,
};
const ANTIRACISM_FIELD = {
  ...ZERO, applied: 2, eligible: 1, funded: 1, requestedCents: 560_000, awardedCents: 280_000, participantsPlanned: 40, reportsOverdue: 1, visitsPlanned: 1,
};
const TOTAL = {
  applied: 5, eligible: 4, funded: 3, requestedCents: 1_400_000, awardedCents: 840_000, paidCents: 380_000, repaidCents: 70_000,
  participantsReached: 84, participantsPlanned: 120, participantsPlannedOfReported: 80,
  reportsOnTime: 2, reportsLate: 0, reportsOverdue: 1, reportsNotYetDue: 0, reportsAccepted: 2,
  visitsMade: 1, visitsPlanned: 1, visitsMissing: 1,
};

beforeAll(async () => {
  t = await startTestApp();
  // A: accepted report, one payout of 1.000 €, visited today.
  const a = await settledReport(t, { paidCents: 100_000 });
  callId = a.callId;
  office = a.office;
  const visitA = (await office.post(`/api/v1/decisions/${a.award.id}/visits`).set('X-CSRF-Token', a.officeToken).send({ visitOn: today(), staff: 'Jonas Becker' }).expect(201)).body;
  await office.post(`/api/v1/visits/${visitA.id}/protocol`).set('X-CSRF-Token', a.officeToken).send({ visitOn: today(), checklist: CHECKLIST }).expect(200);

  // B: settled with a repayment claim (2.800 € paid, 2.100 € due), the refund booked.
  const b = await closeReportWithRepayment(t);
  const claim = (await b.office.put(`/api/v1/reports/${b.reportId}/claim`).set('X-CSRF-Token', b.officeToken).send({}).expect(200)).body;
  expect(claim.repaymentCents).toBe(70_000);
  await b.second.post(`/api/v1/reports/${b.reportId}/claim/release`).set('X-CSRF-Token', b.secondToken).expect(200);
  await b.office.post(`/api/v1/reports/${b.reportId}/claim/repayment`).set('X-CSRF-Token', b.officeToken).send({ repaidOn: today(), receivedCents: claim.totalClaimedCents }).expect(200);

  // C: funded, nothing paid; a visit planned next week; its report's deadline moved to yesterday (time travel).
  const c = await releasedAward(t);
  await t.dataSource.query(`UPDATE application SET field_of_action = 'Antirassismus', district = 'Furth-Mitte' WHERE id = $1`, [c.award.applicationId]);
  await t.dataSource.query(`UPDATE usage_report SET due_on = $1 WHERE decision_id = $2`, [addDays(today(), -1), c.award.id]);
  await c.office.post(`/api/v1/decisions/${c.award.id}/visits`).set('X-CSRF-Token', c.officeToken).send({ visitOn: addDays(today(), 7), staff: 'Aylin Şahin' }).expect(201);

  // D: eligible only. E: submitted only, in another field and district.
  await eligibleApplication(t);
  const e = await preparedDraft(t, { fieldOfAction: 'Antirassismus', district: 'Furth-Mitte' });
  await e.agent.post(`/api/v1/applications/${e.applicationId}/submit`).set('X-CSRF-Token', e.token).expect(200);
  // A draft never counts.
  await preparedDraft(t, { fieldOfAction: 'Antirassismus', district: 'Furth-Mitte' });
}, 240_000);

afterAll(async () => {
  await t.close();
});

describe('indicators of a call', () => {
  it('equal the hand-computed figures, in total, by field of action and by district', async () => {
    const body = (await office.get(`/api/v1/monitoring/calls/${callId}`).expect(200)).body;
    expect(body.asOf).toBe(today());
    expect(body.total).toEqual(TOTAL);
    const fields = Object.fromEntries(body.byFieldOfAction.map((g: { key: string | null; indicators: object }) => [g.key, g.indicators]));
    expect(fields['Sprachförderung']).toEqual(LANGUAGE_FIELD);
    expect(fields['Antirassismus']).toEqual(ANTIRACISM_FIELD);
    // Every field of the call is listed, also those nobody applied for, in the call's order.
    expect(body.byFieldOfAction.map((g: { key: string }) => g.key)).toEqual(body.call.fieldsOfAction);
    expect(fields['Diversität']).toEqual(ZERO);
    const districts = Object.fromEntries(body.byDistrict.map((g: { key: string | null; indicators: object }) => [g.key, g.indicators]));
    expect(Object.keys(districts).sort()).toEqual(['Erfttal', 'Furth-Mitte']);
    expect(districts['Erfttal']).toEqual(LANGUAGE_FIELD);
    expect(districts['Furth-Mitte']).toEqual(ANTIRACISM_FIELD);
  });

  it('compares the years: each year is the sum of its calls', async () => {
    const years = (await office.get('/api/v1/monitoring/years').expect(200)).body;
    const [{ year }] = await t.dataSource.query(`SELECT year FROM funding_call WHERE id = $1`, [callId]);
    const callsOfYear: { id: string }[] = years.calls.filter((c: { year: number }) => c.year === year);
    expect(callsOfYear.map((c) => c.id)).toContain(callId);
    const sum = { ...ZERO } as Record<string, number>;
    for (const call of callsOfYear) {
      const { total } = (await office.get(`/api/v1/monitoring/calls/${call.id}`).expect(200)).body;
      for (const key of Object.keys(ZERO)) sum[key] += total[key];
    }
    const row = years.years.find((y: { year: number }) => y.year === year);
    expect(row).toEqual({ year, calls: callsOfYear.length, indicators: sum });
    expect(years.years.map((y: { year: number }) => y.year)).toEqual([...new Set(years.calls.map((c: { year: number }) => c.year))].sort());
  });

  it('is for the office, the administration, the chair and the members; not for applicants', async () => {
    for (const email of [DEMO.admin, DEMO.chair, DEMO.voting, DEMO.advisory]) {
      const agent = t.agent();
      await loginAs(agent, email);
      const body = (await agent.get(`/api/v1/monitoring/calls/${callId}`).expect(200)).body;
      expect(body.total).toEqual(TOTAL);
      await agent.get(`/monitoring/calls/${callId}`).expect(200);
    }
    const applicant = t.agent();
    await loginAs(applicant, DEMO.applicant);
    for (const path of [`/api/v1/monitoring/calls/${callId}`, '/api/v1/monitoring/years', '/monitoring', `/monitoring/calls/${callId}`, `/monitoring/calls/${callId}/indicators.csv`, `/monitoring/calls/${callId}/report.pdf`, '/monitoring/indicators.csv', '/monitoring/report.pdf']) {
      await applicant.get(path).expect(403);
    }
    await t.agent().get(`/api/v1/monitoring/calls/${callId}`).expect(401);
  });

  it('answers 404 for unknown calls, malformed ids and drafts of calls', async () => {
    await office.get('/api/v1/monitoring/calls/00000000-0000-4000-8000-000000000000').expect(404);
    await office.get('/api/v1/monitoring/calls/kein-aufruf').expect(404);
    await office.get('/monitoring/calls/00000000-0000-4000-8000-000000000000').expect(404);
    await office.get('/monitoring/calls/00000000-0000-4000-8000-000000000000/indicators.csv').expect(404);
    await office.get('/monitoring/calls/00000000-0000-4000-8000-000000000000/report.pdf').expect(404);
    const [draft] = await t.dataSource.query(
      `INSERT INTO funding_call (year, title, budget_cents, fields_of_action, submission_deadline, funding_period_start, funding_period_end, finance_type, max_amount_cents, cost_categories, status, machine_snapshot, machine_version)
       SELECT year, 'Entwurf', budget_cents, fields_of_action, submission_deadline, funding_period_start, funding_period_end, finance_type, max_amount_cents, cost_categories, 'draft', machine_snapshot, machine_version FROM funding_call WHERE id = $1 RETURNING id`,
      [callId],
    );
    await office.get(`/api/v1/monitoring/calls/${draft.id}`).expect(404);
    const years = (await office.get('/api/v1/monitoring/years').expect(200)).body;
    expect(years.calls.map((c: { id: string }) => c.id)).not.toContain(draft.id);
  });
});

describe('CSV and PDF', () => {
  it('the CSV holds the same figures, German spreadsheet style', async () => {
    const res = await office.get(`/monitoring/calls/${callId}/indicators.csv`).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const rows: string[][] = parse(res.text, { delimiter: ';', bom: true });
    const header = rows[0];
    const column = (name: string) => header.indexOf(name);
    expect(header.slice(0, 2)).toEqual(['Bereich', 'Gruppe']);
    const total = rows[1];
    expect(total[0]).toBe('Förderaufruf');
    expect(total[column('Anträge gestellt')]).toBe('5');
    expect(total[column('Vorhaben gefördert')]).toBe('3');
    expect(total[column('Beantragt (EUR)')]).toBe('14000,00');
    expect(total[column('Bewilligt (EUR)')]).toBe('8400,00');
    expect(total[column('Ausgezahlt (EUR)')]).toBe('3800,00');
    expect(total[column('Zurückgezahlt (EUR)')]).toBe('700,00');
    expect(total[column('Teilnehmende erreicht')]).toBe('84');
    expect(total[column('Nachweise überfällig')]).toBe('1');
    expect(total[column('Besuch fehlt')]).toBe('1');
    const district = rows.find((row) => row[0] === 'Stadtteil' && row[1] === 'Furth-Mitte')!;
    expect(district[column('Anträge gestellt')]).toBe('2');
    expect(district[column('Besuch geplant')]).toBe('1');
    const field = rows.find((row) => row[0] === 'Handlungsfeld' && row[1] === 'Sprachförderung')!;
    expect(field[column('Teilnehmende geplant')]).toBe('80');
    expect(field[column('Zurückgezahlt (EUR)')]).toBe('700,00');

    const years = await office.get('/monitoring/indicators.csv').expect(200);
    const yearRows: string[][] = parse(years.text, { delimiter: ';', bom: true });
    expect(yearRows[0].slice(0, 2)).toEqual(['Jahr', 'Förderaufrufe']);
    expect(yearRows.length).toBeGreaterThan(1);
  });

  it('the PDF report for the Integrationsausschuss shows the figures of the database, charts tagged as figures', async () => {
    const res = await office.get(`/monitoring/calls/${callId}/report.pdf`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    const text = await checkedPdf(pdf, 'monitoring-report');
    expect(text).toContain('Integrationsmonitoring: Bericht für den Integrationsausschuss');
    // The key figures, read from the database independently of the monitoring's own query.
    const [db] = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM application WHERE call_id = $1 AND first_submitted_at IS NOT NULL)::int AS applied,
              (SELECT sum(amount_cents) FROM decision WHERE call_id = $1 AND kind = 'award' AND status = 'released')::float8 AS awarded,
              (SELECT sum(amount_cents) FROM payment_request WHERE call_id = $1 AND status = 'released')::float8 AS paid,
              (SELECT sum(repayment_cents) FROM repayment_claim WHERE call_id = $1 AND status = 'repaid')::float8 AS repaid,
              (SELECT sum(participants_total) FROM usage_report WHERE call_id = $1 AND status IN ('accepted', 'settled_with_claim'))::int AS reached`,
      [callId],
    );
    expect(db).toEqual({ applied: 5, awarded: 840_000, paid: 380_000, repaid: 70_000, reached: 84 });
    expect(text).toContain('Anträge gestellt 5');
    expect(text).toContain('Bewilligt 8.400,00 €');
    expect(text).toContain('Ausgezahlt 3.800,00 €');
    expect(text).toContain('Zurückgezahlt 700,00 €');
    expect(text).toContain('Teilnehmende erreicht 84');
    expect(text).toContain('Nachweise überfällig 1');
    expect(text).toContain('Geprüfte Verwendungsnachweise: 2, mit zusammen 84 erreichten Teilnehmenden.');
    // Counts stand after a colon, so that one reads as right as many („1 sind überfällig“ did not).
    expect(text).toMatch(/überfällig: 1, geprüft und abgeschlossen: \d+\./);
    expect(text).toContain('Fördergeld nach Handlungsfeld');
    // Each chart's table follows it: the participants by district, row by row.
    expect(text).toMatch(/Erfttal 80 80 84/);
    expect(text).toMatch(/Furth-Mitte 40 0 0/);
    // The structure tree as a screen reader reads it: seven Figure elements, each holding its drawn
    // chart and carrying the chart's title and summary as alternative text.
    const figures = await pdfFigures(pdf);
    expect(figures).toHaveLength(7);
    for (const figure of figures) expect(figure.content).toBeGreaterThan(0);
    // Amounts carry no-break spaces; compared with plain ones.
    expect(figures.map((figure) => figure.alt?.replace(/\u00a0/g, ' '))).toEqual([
      'Teilnehmende nach Handlungsfeld. Geprüfte Verwendungsnachweise: 2, mit zusammen 84 erreichten Teilnehmenden. Geplant waren für diese Vorhaben 80, für alle geförderten Vorhaben (3) zusammen 120.',
      'Teilnehmende nach Stadtteil. Stadtteile mit erreichten Teilnehmenden: 1; zusammen 84 Teilnehmende.',
      'Anträge und geförderte Vorhaben nach Handlungsfeld. Gestellte Anträge: 5, davon förderfähig: 4, gefördert: 3.',
      'Anträge und geförderte Vorhaben nach Stadtteil. Stadtteile mit geförderten Vorhaben: 2; zusammen 3 Vorhaben.',
      'Fördergeld nach Handlungsfeld. Beantragt wurden 14.000,00 €, bewilligt 8.400,00 €, ausgezahlt 3.800,00 € und zurückgezahlt 700,00 €.',
      'Verwendungsnachweise. Geförderte Vorhaben: 3. Verwendungsnachweis pünktlich eingereicht: 2, verspätet eingereicht: 0, überfällig: 1, geprüft und abgeschlossen: 2.',
      'Vor-Ort-Besuche. Geförderte Vorhaben: 3. Besucht: 1, Besuch geplant: 1, Besuch fehlt: 1.',
    ]);

    const years = await office.get('/monitoring/report.pdf').buffer(true).parse(binary).expect(200);
    const yearsText = await checkedPdf(years.body as Buffer, 'monitoring-years');
    expect(yearsText).toContain('Integrationsmonitoring: Vergleich der Jahre');
    expect(yearsText).toContain('Teilnehmende nach Jahr');
    const yearFigures = await pdfFigures(years.body as Buffer);
    expect(yearFigures.map((figure) => figure.alt?.split('.')[0])).toEqual(['Teilnehmende nach Jahr', 'Anträge und geförderte Vorhaben nach Jahr', 'Fördergeld nach Jahr']);
    for (const figure of yearFigures) expect(figure.content).toBeGreaterThan(0);

    // Whoever reads the pages in English gets the report in English, as the page links carry no language.
    await office.get('/monitoring?lang=en').expect(200);
    const english = await office.get('/monitoring/report.pdf').buffer(true).parse(binary).expect(200);
    expect(await checkedPdf(english.body as Buffer, 'monitoring-years-en')).toContain('Integration monitoring: comparison of years');
    await office.get('/monitoring?lang=de').expect(200);
  });
});
