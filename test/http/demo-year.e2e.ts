import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { DEMO_YEAR_TITLE } from '../../src/database/seed-demo-year.js';
import { RetentionService } from '../../src/privacy/retention.service.js';
import { addMonths, nextDay } from '../../src/privacy/retention.rules.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary } from '../support/applications.js';
import { pdfText } from '../support/pdf.js';

/**
 * The demo year 2026 as the monitoring, the retention page and the access report see it. The
 * expected figures are worked out by hand from the table of projects in seed-demo-year.ts:
 *
 * | project | field | requested | awarded | paid | planned | reached | report | visit |
 * | Sprachcafé im Erfttal | Sprachförderung | 4.800 | 4.800 | 4.800 | 60 | 41 | claim 850 € (800 € spent less, 50 € drinks) | yes |
 * | Schwarze Geschichte | Antirassismus | 4.500 | 4.000 | 4.000 | 150 | 212 | accepted | yes |
 * | Frauen stärken | Politische Bildung | 3.600 | 3.600 | 3.600 | 40 | – | overdue | yes |
 * | Neuss divers | Diversität | 5.000 | 4.500 | 3.900 (last 600 € not called) | 300 | 260 | accepted | yes |
 * | Sprachtandems | Sprachförderung | 2.400 | 2.400 | 2.400 | 50 | 63 | accepted | no |
 * | Nachbarschaftstisch | Interreligiöser Dialog | 3.000 | 3.000 | 3.000 | 80 | 74 | accepted | yes |
 * | Stark gegen Hetze | Extremismusprävention | 5.000 | 5.000 | 5.000 | 120 | 96 | accepted | yes |
 * | Elternbegleiterinnen | Sprachförderung | 4.200 | 3.500 | 3.500 | 70 | 58 | accepted | yes |
 * | Sommerfest (voted down) | Diversität | 5.000 | – | – | 800 | – | – | – |
 * | Griechischer Unterricht (ineligible) | Interreligiöser Dialog | 3.000 | – | – | 25 | – | – | – |
 *
 * Every report was handed in 40 to 52 days after the project's end, well before its deadline
 * (three months after the end); the overdue one's deadline (31.10.2026) has passed.
 */
const TOTAL = {
  applied: 10, eligible: 9, funded: 8,
  requestedCents: 4_050_000, awardedCents: 3_080_000, paidCents: 3_020_000, repaidCents: 85_000,
  participantsReached: 804, participantsPlanned: 870, participantsPlannedOfReported: 830,
  reportsOnTime: 7, reportsLate: 0, reportsOverdue: 1, reportsNotYetDue: 0, reportsAccepted: 7,
  visitsMade: 7, visitsPlanned: 0, visitsMissing: 1,
};
const LANGUAGE = {
  applied: 3, eligible: 3, funded: 3,
  requestedCents: 1_140_000, awardedCents: 1_070_000, paidCents: 1_070_000, repaidCents: 85_000,
  participantsReached: 162, participantsPlanned: 180, participantsPlannedOfReported: 180,
  reportsOnTime: 3, reportsLate: 0, reportsOverdue: 0, reportsNotYetDue: 0, reportsAccepted: 3,
  visitsMade: 2, visitsPlanned: 0, visitsMissing: 1,
};

let t: TestApp;
let office: ReturnType<TestApp['agent']>;
let callId: string;

beforeAll(async () => {
  t = await startTestApp();
  office = t.agent();
  await loginAs(office, DEMO.office);
  [{ id: callId }] = await t.dataSource.query(`SELECT id FROM funding_call WHERE title = $1`, [DEMO_YEAR_TITLE]);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the demo year in the monitoring', () => {
  it('shows the figures of the seed’s table, in total and for a field of action', async () => {
    const body = (await office.get(`/api/v1/monitoring/calls/${callId}`).expect(200)).body;
    expect(body.total).toEqual(TOTAL);
    const language = body.byFieldOfAction.find((g: { key: string }) => g.key === 'Sprachförderung');
    expect(language.indicators).toEqual(LANGUAGE);
    const erfttal = body.byDistrict.find((g: { key: string }) => g.key === 'Erfttal');
    expect(erfttal.indicators).toMatchObject({ funded: 1, participantsReached: 41, repaidCents: 85_000 });

    // The years page sums in SQL of its own: 2026 holds only the demo year's call.
    const years = (await office.get('/api/v1/monitoring/years').expect(200)).body;
    expect(years.calls.filter((c: { year: number }) => c.year === 2026).map((c: { id: string }) => c.id)).toEqual([callId]);
    expect(years.years.find((y: { year: number }) => y.year === 2026)).toEqual({ year: 2026, calls: 1, indicators: TOTAL });

    const page = (await office.get(`/monitoring/calls/${callId}`).expect(200)).text.replace(/\u00a0|&nbsp;/g, ' ');
    expect(page).toContain('30.800,00 €');
    expect(page).toContain('804');
    const csv: string[][] = parse((await office.get(`/monitoring/calls/${callId}/indicators.csv`).expect(200)).text, { delimiter: ';', bom: true });
    const column = (name: string) => csv[0].indexOf(name);
    expect(csv[1][column('Bewilligt (EUR)')]).toBe('30800,00');
    expect(csv[1][column('Ausgezahlt (EUR)')]).toBe('30200,00');
    expect(csv[1][column('Zurückgezahlt (EUR)')]).toBe('850,00');
    expect(csv[1][column('Teilnehmende erreicht')]).toBe('804');
  });
});

describe('who sees what of the demo year', () => {
  it('a voting member reads the figures but no organisation, person or bank account; the public sees the funded projects only', async () => {
    const people: { name: string; iban: string | null; holder: string | null }[] = await t.dataSource.query(
      `SELECT DISTINCT o.name, o.iban, o.account_holder AS holder FROM organisation o JOIN application a ON a.organisation_id = o.id WHERE a.call_id = $1`, [callId]);
    const persons: { full_name: string }[] = await t.dataSource.query(
      `SELECT DISTINCT u.full_name FROM app_user u JOIN organisation_user ou ON ou.user_id = u.id JOIN application a ON a.organisation_id = ou.organisation_id WHERE a.call_id = $1`, [callId]);
    const secrets = [...people.flatMap((p) => [p.name, p.iban, p.holder]), ...persons.map((p) => p.full_name)].filter((s): s is string => !!s);
    expect(secrets.length).toBeGreaterThan(10);
    const member = t.agent();
    await loginAs(member, DEMO.voting);
    const answers = [
      JSON.stringify((await member.get(`/api/v1/monitoring/calls/${callId}`).expect(200)).body),
      (await member.get(`/monitoring/calls/${callId}`).expect(200)).text,
      (await member.get(`/monitoring/calls/${callId}/indicators.csv`).expect(200)).text,
      await pdfText((await member.get(`/monitoring/calls/${callId}/report.pdf`).buffer(true).parse(binary).expect(200)).body as Buffer),
    ];
    for (const answer of answers) for (const secret of secrets) expect(answer).not.toContain(secret);

    const anonymous = t.agent();
    const page = (await anonymous.get(`/foerderbericht/${callId}`).expect(200)).text;
    const open = (await anonymous.get(`/api/v1/open-data/calls/${callId}/360giving.json`).buffer(true).parse(binary).expect(200)).body.toString('utf8');
    for (const publicAnswer of [page, open]) {
      expect(publicAnswer).toContain('Sprachcafé im Erfttal');
      expect(publicAnswer).not.toContain('Sommerfest der Kulturen');
      expect(publicAnswer).not.toContain('Griechischer Sprach');
      for (const person of persons) expect(publicAnswer).not.toContain(person.full_name);
    }
    expect(JSON.parse(open).grants).toHaveLength(8);
  });
});

describe('the demo year and data protection', () => {
  it('the retention page lists its closed reports with the visit notes, due a year after acceptance', async () => {
    const overview = (await office.get('/api/v1/privacy/retention').expect(200)).body;
    const reports: { id: string; accepted_on: string; submitted_on: string }[] = await t.dataSource.query(
      `SELECT id, (accepted_at AT TIME ZONE 'Europe/Berlin')::date::text AS accepted_on, (submitted_at AT TIME ZONE 'Europe/Berlin')::date::text AS submitted_on
         FROM usage_report WHERE call_id = $1 AND status IN ('accepted', 'settled_with_claim')`, [callId]);
    expect(reports).toHaveLength(7);
    for (const report of reports) {
      expect(overview.due.find((d: { reportId: string }) => d.reportId === report.id)).toMatchObject({
        listFiles: 0, photos: 0, personalDataDueOn: nextDay(addMonths(report.accepted_on, 12)), receiptsDueOn: nextDay(addMonths(report.submitted_on, 60)),
      });
    }
    const notes = overview.due.filter((d: { reportId: string }) => reports.some((r) => r.id === d.reportId)).reduce((sum: number, d: { visitNotes: number }) => sum + d.visitNotes, 0);
    expect(notes).toBe(6);
  });

  it('the access report of a demo-year grantee holds its application, letters and claim, without the staff’s notes', async () => {
    const [organisation] = await t.dataSource.query(
      `SELECT o.id FROM organisation o JOIN application a ON a.organisation_id = o.id WHERE a.call_id = $1 AND a.title = 'Sprachcafé im Erfttal'`, [callId]);
    const res = await office.get(`/office/organisations/${organisation.id}/access-report.zip`).buffer(true).parse(binary).expect(200);
    const files = unzipSync(new Uint8Array(res.body as Buffer));
    const document = JSON.parse(Buffer.from(files['organisation.json']).toString('utf8'));
    expect(document.applications.map((a: { title: string }) => a.title)).toContain('Sprachcafé im Erfttal');
    expect(document.usageReports.find((r: { status: string }) => r.status === 'settled_with_claim')).toMatchObject({ participants_total: 41 });
    expect(document.repaymentClaims).toHaveLength(1);
    expect(JSON.stringify(document)).not.toContain('freundliche Atmosphäre');
    const names = Object.keys(files);
    const decisionLetter = names.find((name) => name.startsWith('letters/decisions/'))!;
    const claimLetter = names.find((name) => name.startsWith('letters/repayment-claims/'))!;
    expect(await pdfText(Buffer.from(files[decisionLetter]))).toContain('Sprachcafé im Erfttal');
    expect(await pdfText(Buffer.from(files[claimLetter]))).toMatch(/850,00/);
  });

  it('follows the configured periods: three months for the notes, ten years for the receipts', async () => {
    const shorter = await startTestApp({ env: { RETENTION_PERSONAL_DATA_MONTHS: '3', RETENTION_RECEIPTS_YEARS: '10' } });
    try {
      const agent = shorter.agent();
      await loginAs(agent, DEMO.office);
      const overview = (await agent.get('/api/v1/privacy/retention').expect(200)).body;
      expect(overview.settings).toEqual({ personalDataMonths: 3, receiptsYears: 10 });
      const reports: { id: string; accepted_on: string; submitted_on: string }[] = await shorter.dataSource.query(
        `SELECT id, (accepted_at AT TIME ZONE 'Europe/Berlin')::date::text AS accepted_on, (submitted_at AT TIME ZONE 'Europe/Berlin')::date::text AS submitted_on
           FROM usage_report WHERE call_id = $1 AND status IN ('accepted', 'settled_with_claim')`, [callId]);
      const dueOn = reports.map((report) => {
        expect(overview.due.find((d: { reportId: string }) => d.reportId === report.id)).toMatchObject({
          personalDataDueOn: nextDay(addMonths(report.accepted_on, 3)), receiptsDueOn: nextDay(addMonths(report.submitted_on, 120)),
        });
        return nextDay(addMonths(report.accepted_on, 3));
      }).sort();
      // On the last of those days the notes are gone and the receipts stay (with 12 months, nothing would be due yet).
      const day = dueOn.at(-1)!;
      expect(nextDay(addMonths(reports[0].accepted_on, 12)) > day).toBe(true);
      // The run after start-up may have deleted those already due today; this one deletes the rest.
      await eventually(async () => (await shorter.dataSource.query(`SELECT 1 FROM pgboss.job WHERE name = 'privacy.retention' AND state IN ('created', 'retry', 'active')`)).length === 0, 20_000, 'retention queue idle');
      await shorter.app.get(RetentionService).deleteDue(day);
      const parts = await shorter.dataSource.query(
        `SELECT after->>'part' AS part, count(*)::int AS n FROM audit_event WHERE action = 'retention.deleted' AND entity_id = ANY($1::text[]) GROUP BY 1`, [reports.map((r) => r.id)]);
      expect(parts).toEqual([{ part: 'personal_data', n: reports.length }]);
      const [left] = await shorter.dataSource.query(
        `SELECT (SELECT count(*) FROM report_receipt r JOIN usage_report u ON u.id = r.report_id WHERE u.call_id = $1)::int AS receipts,
                (SELECT count(*) FROM site_visit v JOIN usage_report u ON u.decision_id = v.decision_id WHERE u.call_id = $1 AND u.status IN ('accepted', 'settled_with_claim') AND v.notes IS NOT NULL)::int AS notes`, [callId]);
      expect(left.notes).toBe(0);
      expect(left.receipts).toBeGreaterThan(0);
    } finally {
      await shorter.close();
    }
  }, 120_000);

  it('the retention job deletes the year’s notes and receipts when due and the monitoring’s figures stay', async () => {
    const retention = t.app.get(RetentionService);
    // Every part of the year is due six years on.
    expect(await retention.deleteDue('2032-12-31')).toBeGreaterThanOrEqual(14);
    const [left] = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM report_receipt r JOIN usage_report u ON u.id = r.report_id WHERE u.call_id = $1)::int AS receipts,
              (SELECT count(*) FROM site_visit v JOIN decision d ON d.id = v.decision_id JOIN usage_report u ON u.decision_id = d.id
                WHERE d.call_id = $1 AND u.status IN ('accepted', 'settled_with_claim') AND v.notes IS NOT NULL)::int AS notes`, [callId]);
    expect(left).toEqual({ receipts: 0, notes: 0 });
    const body = (await office.get(`/api/v1/monitoring/calls/${callId}`).expect(200)).body;
    expect(body.total).toEqual(TOTAL);
  });
});
