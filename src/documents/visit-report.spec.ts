import { describe, expect, it } from '@jest/globals';
import { checkedPdf, pdfPages } from '../../test/support/pdf.js';
import type { VisitReportDocument, VisitReportProject } from './document-types.js';
import renderDocument from './render-jobs.js';
import { renderVisitReportPdf } from './visit-report.pdf.js';
import { expectInOrder } from '../../test/support/text.js';

const sprachcafe: VisitReportProject = {
  referenceNumber: 'NE-2027-0003',
  title: 'Sprachcafé Erfttal',
  organisationName: 'Raum der Kulturen Neuss e.V.',
  awardedCents: 250_000,
  periodStart: '2027-03-01',
  periodEnd: '2027-10-31',
  coverage: 'visited',
  visits: [{
    on: '2027-05-12',
    status: 'done',
    staffName: 'Jonas Becker',
    checklist: { activity_as_described: 'yes', target_group_reached: 'yes', open_to_everyone: 'yes', participants_present: 'partly', publicity_names_city: 'no' },
    notes: 'Neun Teilnehmende, Plakat ohne Stadtlogo; Träger bessert nach.',
  }],
  report: { status: 'accepted', dueDate: '2027-12-31' },
  participants: { planned: 40, reached: 37 },
};

const hausaufgaben: VisitReportProject = {
  referenceNumber: 'NE-2027-0007',
  title: 'Hausaufgabenhilfe mit Elterncafé',
  organisationName: 'Türkischer Elternverein für Bildung und Kultur Rhein-Kreis Neuss e.V.',
  awardedCents: 450_000,
  periodStart: '2027-02-01',
  periodEnd: '2027-09-30',
  coverage: 'planned',
  visits: [{ on: '2027-09-14', status: 'planned', staffName: 'Aylin Şahin', checklist: {}, notes: null }],
  report: { status: 'due', dueDate: '2027-11-30' },
  participants: { planned: 25, reached: null },
};

const fest: VisitReportProject = {
  referenceNumber: 'NE-2027-0011',
  title: 'Interkulturelles Nachbarschaftsfest Weckhoven',
  organisationName: 'Neusser Interkultur e.V. (Neik e.V.)',
  awardedCents: 100_000,
  periodStart: '2027-04-01',
  periodEnd: '2027-07-31',
  coverage: 'missing',
  visits: [],
  report: { status: 'due', dueDate: '2027-08-31' },
  participants: { planned: 300, reached: null },
};

const report: VisitReportDocument = {
  callTitle: 'Teilhabe und Begegnung in Neuss',
  callYear: 2027,
  date: '2027-09-01',
  // Out of order: the report lists the projects by reference number.
  projects: [fest, sprachcafe, hausaufgaben],
  coverage: { visited: 1, planned: 1, missing: 1 },
};

describe('visit report PDF', () => {
  it('shows each funded project with its visit, report status and participants, and the totals', async () => {
    const text = await checkedPdf(await renderVisitReportPdf(report, 'de'), 'visit-report');
    expect(text).toContain('Bericht über die Vor-Ort-Besuche');
    expect(text).toContain('Förderaufruf 2027: Teilhabe und Begegnung in Neuss');
    expect(text).toContain('Stand 01.09.2027');
    // Overview, in reference order, one row each.
    expectInOrder(text, [
      'Übersicht',
      'NE-2027-0003 Sprachcafé Erfttal Raum der Kulturen Neuss e.V. 2.500,00 € besucht geprüft und anerkannt 40 / 37',
      'NE-2027-0007 Hausaufgabenhilfe mit Elterncafé',
      '4.500,00 € geplant fällig am 30.11.2027 25 / offen',
      'NE-2027-0011 Interkulturelles Nachbarschaftsfest Weckhoven',
      // Due on 31 August, the report is from 1 September.
      '1.000,00 € fehlt überfällig seit 31.08.2027 300 / offen',
      'Summe 8.000,00 € 365 / 37',
      'Abdeckung und Summen',
    ]);
    expect(text).toContain('Geförderte Vorhaben 3 Besucht 1 Besuch geplant 1 Ohne Besuch 1 Bewilligt insgesamt 8.000,00 € Teilnehmende geplant 365');
    expect(text).toContain('Teilnehmende erreicht 37 (laut 1 von 3 Verwendungsnachweisen)');
    // The projects in detail, with the protocol of the visit done.
    expectInOrder(text, [
      'Die Vorhaben im Einzelnen',
      'NE-2027-0003 – Sprachcafé Erfttal',
      'Träger Raum der Kulturen Neuss e.V.',
      'Bewilligt 2.500,00 €',
      'Bewilligungszeitraum 01.03.2027 bis 31.10.2027',
      'Verwendungsnachweis geprüft und anerkannt',
      'Teilnehmende geplant 40, erreicht 37',
      'Vor-Ort-Besuch besucht',
      'Besuch am 12.05.2027 durch Jonas Becker',
      'Maßnahme wie beschrieben durchgeführt ja',
      'Zielgruppe erreicht ja',
      'Offen für alle ja',
      'Teilnehmende anwesend teilweise',
      'Öffentlichkeitsarbeit nennt die Stadt Neuss als Förderin nein',
      'Notizen Neun Teilnehmende, Plakat ohne Stadtlogo; Träger bessert nach.',
      'NE-2027-0007 – Hausaufgabenhilfe mit Elterncafé',
      'Teilnehmende geplant 25, erreicht: noch nicht berichtet',
      'Besuch geplant am 14.09.2027 (Aylin Şahin)',
      'NE-2027-0011 – Interkulturelles Nachbarschaftsfest Weckhoven',
      'Verwendungsnachweis überfällig seit 31.08.2027',
      'Vor-Ort-Besuch fehlt',
      'Für dieses Vorhaben ist noch kein Besuch geplant.',
    ]);
    expect(text).toContain('Seite 1 von');
    expect(text).not.toContain('Höflichkeitsübersetzung');
  });

  it('marks checklist points the protocol did not record', async () => {
    const partial: VisitReportProject = { ...sprachcafe, visits: [{ ...sprachcafe.visits[0], checklist: { open_to_everyone: 'not_assessed' }, notes: null }] };
    const text = await checkedPdf(await renderVisitReportPdf({ ...report, projects: [partial] }, 'de'), 'visit-report-partial');
    expect(text).toContain('Maßnahme wie beschrieben durchgeführt nicht erfasst');
    expect(text).toContain('Offen für alle nicht beurteilt');
    expect(text).not.toContain('Notizen');
  });

  it('runs a long report over several pages with the header on each page of the overview', async () => {
    const projects = Array.from({ length: 45 }, (_, index): VisitReportProject => ({
      ...sprachcafe,
      referenceNumber: `NE-2027-${String(index + 1).padStart(4, '0')}`,
      title: `Vorhaben Nummer ${index + 1}`,
      awardedCents: 100_000 + index,
      participants: { planned: 10, reached: index % 2 === 0 ? 9 : null },
      report: { status: index % 2 === 0 ? 'accepted' : 'submitted', dueDate: '2027-12-31' },
    }));
    const pdf = await renderVisitReportPdf({ ...report, projects, coverage: { visited: 45, planned: 0, missing: 0 } }, 'de');
    const text = await checkedPdf(pdf, 'visit-report-long');
    const pages = await pdfPages(pdf);
    expect(pages.length).toBeGreaterThan(3);
    expect(text).toContain(`Seite ${pages.length} von ${pages.length}`);
    // 45 × 1,000.00 € plus 0 + 1 + … + 44 cents = 45,009.90 €; 23 reports with 9 participants each.
    expect(text).toContain('Summe 45.009,90 € 450 / 207');
    expect(text).toContain('Besucht 45');
    expect(text).toContain('Teilnehmende erreicht 207 (laut 23 von 45 Verwendungsnachweisen)');
    for (const project of projects) expect(text).toContain(`${project.referenceNumber} – ${project.title}`);
    // The overview's header starts the page it continues on.
    const overviewPages = pages.filter((page) => page.includes('Vorhaben Nummer 45 Raum der Kulturen'));
    expect(overviewPages).toHaveLength(1);
    expect(overviewPages[0]).toContain('Aktenzeichen Vorhaben und Träger Bewilligt Besuch Verwendungsnachweis Teilnehmende geplant / erreicht');
    expect(pages.indexOf(overviewPages[0])).toBeGreaterThan(0);
  });

  it('renders an empty call', async () => {
    const text = await checkedPdf(await renderVisitReportPdf({ ...report, projects: [], coverage: { visited: 0, planned: 0, missing: 0 } }, 'de'), 'visit-report-empty');
    expect(text).toContain('Zu diesem Förderaufruf wird kein Vorhaben gefördert.');
    expect(text).toContain('Geförderte Vorhaben 0');
    expect(text).not.toContain('Die Vorhaben im Einzelnen');
  });

  it('renders the English courtesy version', async () => {
    const text = await checkedPdf(await renderVisitReportPdf(report, 'en'), 'visit-report-en');
    expect(text).toContain('Report on the site visits');
    expect(text).toContain('Call for proposals 2027: Teilhabe und Begegnung in Neuss');
    expect(text).toContain('€2,500.00 visited checked and accepted 40 / 37');
    expect(text).toContain('overdue since 31/08/2027');
    expect(text).toContain('Visit on 12/05/2027 by Jonas Becker');
    expect(text).toContain('Publicity names the City of Neuss as funder no');
    expect(text).toContain('Participants planned 25, reached: not reported yet');
    expect(text).toContain('Total €8,000.00 365 / 37');
    expect(text).toContain('Participants reached 37 (as stated in 1 of 3 usage reports)');
    expect(text).toContain('only the German version');
  });

  it('is rendered by name like the other documents', async () => {
    const bytes = await renderDocument({ kind: 'visitReport', args: [report, 'de'] });
    expect(Buffer.from(bytes).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
