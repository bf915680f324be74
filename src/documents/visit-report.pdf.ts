import type { DocumentLanguage, VisitChecklistKey, VisitReportDocument, VisitReportProject, VisitReportVisit } from './document-types.js';
import { createDocument, day, decimal, euro, fields, finish, fitColumns, heading, headedTable, keepTogether, paragraph, type Cell, type Pdf } from './pdf.js';
import { letterText } from './texts.js';

/** The protocol's points in the order of the form (VISIT_CHECKLIST in src/visits/visits.rules.ts). */
const CHECKLIST: VisitChecklistKey[] = ['activity_as_described', 'target_group_reached', 'open_to_everyone', 'participants_present', 'publicity_names_city'];

/** Font size and cell padding of the overview table, in points. */
const TABLE = { size: 8, padding: 3 };

/**
 * The visit report for the round table (Bericht über die Vor-Ort-Besuche), one per call: an overview
 * of every funded project with its totals, then each project with its visits and their protocols.
 */
export async function renderVisitReportPdf(report: VisitReportDocument, lang: DocumentLanguage): Promise<Buffer> {
  const pdf = createDocument({ title: letterText(lang, 'visits.document_title', { year: report.callYear, title: report.callTitle }), lang });
  const { t } = pdf;
  const projects = [...report.projects].sort((a, b) => a.referenceNumber.localeCompare(b.referenceNumber));

  paragraph(pdf, t('session.issuer'), { small: true, gap: 4 });
  heading(pdf, t('visits.title'), 1);
  fields(pdf, [
    [t('session.call'), t('session.call_value', { year: report.callYear, title: report.callTitle })],
    [t('visits.date'), day(report.date, lang)],
  ]);
  paragraph(pdf, t('visits.intro'), { small: true });

  heading(pdf, t('visits.overview'));
  if (projects.length === 0) paragraph(pdf, t('visits.no_projects'));
  else overview(pdf, report, projects);

  heading(pdf, t('visits.totals'));
  totals(pdf, report, projects);

  if (projects.length > 0) {
    // The section's heading stays with its first project.
    keepTogether(pdf, 40 + blockHeight(projects[0]));
    heading(pdf, t('visits.details'));
    for (const project of projects) details(pdf, report, project);
  }
  return finish(pdf);
}

function reportStatus(pdf: Pdf, report: VisitReportDocument, project: VisitReportProject): string {
  const { t, lang } = pdf;
  const { status, dueDate } = project.report;
  if (status === 'due') return t(dueDate < report.date ? 'visits.report.overdue' : 'visits.report.due', { date: day(dueDate, lang) });
  return t(`visits.report.${status}`);
}

const count = (pdf: Pdf, value: number | null) => (value === null ? pdf.t('visits.not_reported') : decimal(value, pdf.lang));

/** One row per project, the sums in a closing row; the header repeats on every page the table reaches. */
function overview(pdf: Pdf, report: VisitReportDocument, projects: VisitReportProject[]): void {
  const { t, lang } = pdf;
  const bold = { src: 'Bold' };
  const rule = (lineWidth: number) => ({ top: 0, right: 0, bottom: lineWidth, left: 0 });
  const strong = { font: bold, border: rule(1), borderColor: 'black' };
  const header = [t('session.reference'), t('session.project'), t('visits.col.awarded'), t('visits.col.visit'), t('visits.col.report'), t('visits.col.participants')]
    .map((text) => ({ text, type: 'TH' as const, ...strong }));
  const rows: Cell[][] = projects.map((project) => [
    { text: project.referenceNumber, type: 'TH' as const, font: bold },
    `${project.title}\n${project.organisationName}`,
    euro(project.awardedCents, lang),
    t(`visits.coverage.${project.coverage}`),
    reportStatus(pdf, report, project),
    t('visits.participants_pair', { planned: decimal(project.participants.planned, lang), reached: count(pdf, project.participants.reached) }),
  ]);
  const sums = sumsOf(projects);
  const closing: Cell[] = [
    { text: t('visits.sum'), colSpan: 2, ...strong },
    { text: euro(sums.awardedCents, lang), ...strong },
    { text: '', colSpan: 2, ...strong },
    { text: t('visits.participants_pair', { planned: decimal(sums.planned, lang), reached: decimal(sums.reached, lang) }), ...strong },
  ];
  const widths = fitColumns(pdf.doc, [header, ...rows, closing], [0, 2, 3, 5], TABLE);
  // The report's state may wrap between words, but its longest word must not break.
  widths[4] = longestWord(pdf, [header[4].text, ...rows.map((row) => row[4] as string)]) + 2 * TABLE.padding + 1;
  const right = { align: { x: 'right' as const, y: 'top' as const } };
  keepTogether(pdf, 80);
  headedTable(pdf, {
    layout: {
      maxWidth: pdf.doc.page.width - pdf.doc.page.margins.left - pdf.doc.page.margins.right,
      columnStyles: widths.map((width, column) => (column === 2 || column === 5 ? { width, ...right } : width)),
      defaultStyle: { border: rule(0.4), borderColor: '#9a9a9a', padding: [TABLE.padding, TABLE.padding] },
    },
    fontSize: TABLE.size,
    header,
    rows: [...rows, closing],
  });
  pdf.doc.x = pdf.doc.page.margins.left;
  pdf.doc.font('Regular').fontSize(10).moveDown(0.8);
}

function longestWord(pdf: Pdf, texts: string[]): number {
  const { doc } = pdf;
  return Math.max(...texts.flatMap((text) => text.split(/\s+/)).map((word) => doc.font('Bold').fontSize(TABLE.size).widthOfString(word)));
}

/** Awarded money and participants over all projects; reached counts only the reports received. */
function sumsOf(projects: VisitReportProject[]): { awardedCents: number; planned: number; reached: number } {
  return projects.reduce(
    (sum, project) => ({
      awardedCents: sum.awardedCents + project.awardedCents,
      planned: sum.planned + project.participants.planned,
      reached: sum.reached + (project.participants.reached ?? 0),
    }),
    { awardedCents: 0, planned: 0, reached: 0 },
  );
}

function totals(pdf: Pdf, report: VisitReportDocument, projects: VisitReportProject[]): void {
  const { t, lang } = pdf;
  const sums = sumsOf(projects);
  fields(pdf, [
    [t('visits.total_projects'), decimal(projects.length, lang)],
    [t('visits.total_visited'), decimal(report.coverage.visited, lang)],
    [t('visits.total_planned'), decimal(report.coverage.planned, lang)],
    [t('visits.total_missing'), decimal(report.coverage.missing, lang)],
    [t('visits.total_awarded'), euro(sums.awardedCents, lang)],
    [t('visits.total_participants_planned'), decimal(sums.planned, lang)],
    [t('visits.total_participants_reached'), t('visits.total_participants_reached_value', {
      reached: decimal(sums.reached, lang),
      reports: decimal(projects.filter((project) => project.participants.reached !== null).length, lang),
      projects: decimal(projects.length, lang),
    })],
  ]);
}

/** Room for a project's heading and figures with its first visit's protocol, in points (about 10 lines or 18 with a checklist). */
const blockHeight = (project: VisitReportProject): number => (project.visits.some((visit) => visit.status === 'done') ? 270 : 160);

function details(pdf: Pdf, report: VisitReportDocument, project: VisitReportProject): void {
  const { t, lang } = pdf;
  const { planned, reached } = project.participants;
  // The project's heading and figures stay on one page with its first visit's protocol where they fit.
  keepTogether(pdf, blockHeight(project));
  heading(pdf, t('visits.project', { referenceNumber: project.referenceNumber, title: project.title }), 3);
  fields(pdf, [
    [t('session.organisation'), project.organisationName],
    [t('visits.awarded'), euro(project.awardedCents, lang)],
    [t('visits.period'), t('format.range', { start: day(project.periodStart, lang), end: day(project.periodEnd, lang) })],
    [t('visits.report'), reportStatus(pdf, report, project)],
    [t('visits.participants'), reached === null
      ? t('visits.participants_open', { planned: decimal(planned, lang) })
      : t('visits.participants_value', { planned: decimal(planned, lang), reached: decimal(reached, lang) })],
    [t('visits.coverage'), t(`visits.coverage.${project.coverage}`)],
  ]);
  if (project.visits.length === 0) paragraph(pdf, t('visits.no_visit'));
  for (const visit of [...project.visits].sort((a, b) => a.on.localeCompare(b.on))) visitProtocol(pdf, visit);
}

/** A visit done with its checklist and notes; a planned visit in one line. */
function visitProtocol(pdf: Pdf, visit: VisitReportVisit): void {
  const { t, lang } = pdf;
  const params = { date: day(visit.on, lang), staff: visit.staffName };
  if (visit.status === 'planned') return paragraph(pdf, t('visits.visit_planned', params));
  // The visit's line stays with its checklist.
  keepTogether(pdf, 110);
  paragraph(pdf, t('visits.visit_done', params), { gap: 4 });
  fields(pdf, [
    ...CHECKLIST.map((item): [string, string] => [t(`visits.check.${item}`), t(`visits.result.${visit.checklist[item] ?? 'not_recorded'}`)]),
    ...(visit.notes ? [[t('visits.notes'), visit.notes] as [string, string]] : []),
  ]);
}
