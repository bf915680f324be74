import SVGtoPDF from 'svg-to-pdfkit';
import type { Indicators, MonitoringReportDocument } from '../monitoring/monitoring.types.js';
import { INDICATOR_KEYS } from '../monitoring/monitoring.types.js';
import { barChartSvg } from './charts.js';
import type { DocumentLanguage } from './document-types.js';
import { callFigures, formatIndicator, yearFigures, type Figure } from './monitoring-figures.js';
import { letterText } from './texts.js';
import { createDocument, day, fields, finish, fitColumns, heading, headedTable, keepTogether, paragraph, type Cell, type Pdf } from './pdf.js';

/** Font size and cell padding of the figures' tables, in points. */
const TABLE = { size: 8.5, padding: 3 };
/** The charts' drawing size in SVG pixels; the PDF scales them to the text width. */
const CHART_WIDTH = 640;

/**
 * The monitoring report for the Integrationsausschuss: the indicators of one call (or the comparison
 * across years), then each chart as a tagged figure with its alternative text, its summary and the
 * table of its figures, so that nothing is only in a picture.
 */
export async function renderMonitoringReportPdf(report: MonitoringReportDocument, lang: DocumentLanguage): Promise<Buffer> {
  const pdf = createDocument({ title: documentTitle(report, lang), lang });
  const { t } = pdf;
  // Only totals, meant for the public committee: not the round table's „nicht öffentlich“ line.
  paragraph(pdf, t('monitoring.issuer'), { small: true, gap: 4 });
  heading(pdf, report.kind === 'call' ? t('monitoring.title') : t('monitoring.years_title'), 1);
  if (report.kind === 'call') {
    fields(pdf, [
      [t('session.call'), t('session.call_value', { year: report.data.call.year, title: report.data.call.title })],
      [t('monitoring.as_of'), day(report.data.asOf, lang)],
    ]);
  } else {
    fields(pdf, [[t('monitoring.as_of'), day(report.data.asOf, lang)], [t('monitoring.calls_count'), String(report.data.calls.length)]]);
  }
  paragraph(pdf, t('monitoring.intro'), { small: true });

  if (report.kind === 'call') {
    heading(pdf, t('monitoring.key_figures'));
    keyFigures(pdf, report.data.total);
  }
  if (report.kind === 'call' && report.data.total.applied === 0) {
    // Seven charts of zeros would say nothing a sentence cannot.
    paragraph(pdf, t('monitoring.no_applications'));
  } else {
    const figures = report.kind === 'call' ? callFigures(report.data, t, lang) : yearFigures(report.data, t, lang);
    for (const figure of figures) drawFigure(pdf, figure);
  }
  if (report.kind === 'years') {
    heading(pdf, t('monitoring.years_table'));
    yearsTable(pdf, report);
  }
  return finish(pdf);
}

function documentTitle(report: MonitoringReportDocument, lang: DocumentLanguage): string {
  return report.kind === 'call'
    ? letterText(lang, 'monitoring.document_title', { year: report.data.call.year, title: report.data.call.title })
    : letterText(lang, 'monitoring.years_document_title');
}

function keyFigures(pdf: Pdf, total: Indicators): void {
  fields(pdf, INDICATOR_KEYS.map((key) => [pdf.t(`monitoring.indicator.${key}`), formatIndicator(key, total[key], pdf.lang)]));
}

/** Title, summary, the chart as a tagged figure, and its table right after it. */
function drawFigure(pdf: Pdf, figure: Figure): void {
  const { doc } = pdf;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const svg = barChartSvg(figure.chart, { id: figure.id, lang: pdf.lang, width: CHART_WIDTH });
  const svgHeight = Number(/height="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? 300);
  const height = (width * svgHeight) / CHART_WIDTH;
  // Heading, summary and chart stay on one page.
  keepTogether(pdf, height + 90);
  heading(pdf, figure.title);
  paragraph(pdf, figure.summary);
  keepTogether(pdf, height + 10);
  const top = doc.y;
  const element = doc.struct('Figure', { alt: `${figure.title}. ${figure.summary}` }, () => {
    SVGtoPDF(doc, svg, left, top, {
      width,
      height,
      fontCallback: (_family, bold) => (bold ? 'Bold' : 'Regular'),
      warningCallback: () => undefined,
    });
  });
  pdf.root.add(element);
  element.end();
  doc.x = left;
  doc.y = top + height + 8;
  doc.font('Regular').fontSize(10).fillColor('black');
  figureTable(pdf, figure);
}

function figureTable(pdf: Pdf, figure: Figure): void {
  const { doc } = pdf;
  const bold = { src: 'Bold' };
  const rule = (lineWidth: number) => ({ top: 0, right: 0, bottom: lineWidth, left: 0 });
  const header: Cell[] = [figure.table.category, ...figure.table.columns].map((text) => ({ text, type: 'TH' as const, font: bold, border: rule(1), borderColor: 'black' }));
  const rows: Cell[][] = figure.table.rows.map((row) => [{ text: row.label, type: 'TH' as const, font: bold }, ...row.cells]);
  tableOf(pdf, header, rows);
  doc.moveDown(0.6);
}

function yearsTable(pdf: Pdf, report: Extract<MonitoringReportDocument, { kind: 'years' }>): void {
  const { t, lang } = pdf;
  const bold = { src: 'Bold' };
  const rule = (lineWidth: number) => ({ top: 0, right: 0, bottom: lineWidth, left: 0 });
  const years = [...report.data.years].sort((a, b) => a.year - b.year);
  const keys: (keyof Indicators)[] = ['reportsOnTime', 'reportsLate', 'reportsOverdue', 'reportsAccepted', 'visitsMade', 'visitsMissing'];
  const header: Cell[] = [t('monitoring.year'), ...keys.map((key) => t(`monitoring.indicator.${key}`))].map((text) => ({ text, type: 'TH' as const, font: bold, border: rule(1), borderColor: 'black' }));
  const rows: Cell[][] = years.map((y) => [{ text: String(y.year), type: 'TH' as const, font: bold }, ...keys.map((key) => formatIndicator(key, y.indicators[key], lang))]);
  tableOf(pdf, header, rows);
}

function tableOf(pdf: Pdf, header: Cell[], rows: Cell[][]): void {
  const { doc } = pdf;
  const rule = (lineWidth: number) => ({ top: 0, right: 0, bottom: lineWidth, left: 0 });
  const maxWidth = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  // The row headers take what they need up to two fifths of the width; the figures share the rest.
  const [first] = fitColumns(doc, [header, ...rows].map((row) => row.slice(0, 1)), [0], TABLE);
  const firstWidth = Math.min(Number(first), maxWidth * 0.4);
  const widths = figureWidths(doc, [header, ...rows], maxWidth - firstWidth);
  widths[0] = firstWidth;
  const right = { align: { x: 'right' as const, y: 'top' as const } };
  keepTogether(pdf, 60);
  headedTable(pdf, {
    layout: {
      maxWidth,
      columnStyles: widths.map((width, column) => (column === 0 ? width : { width, ...right })),
      defaultStyle: { border: rule(0.4), borderColor: '#9a9a9a', padding: [TABLE.padding, TABLE.padding] },
    },
    fontSize: TABLE.size,
    header,
    rows,
  });
  doc.x = doc.page.margins.left;
  doc.font('Regular').fontSize(10);
}

/**
 * The figure columns share the width equally, except that a column never gets less than its longest
 * word: an equal share had broken „abgeschlossen“ into „a“ and „bgeschlossen“ in six-column tables.
 */
function figureWidths(doc: PDFKit.PDFDocument, table: Cell[][], available: number): number[] {
  const columns = table[0].length;
  const longestWord = (column: number) =>
    Math.max(
      ...table.map((row) => {
        const cell = row[column];
        const { text, font } = typeof cell === 'string' ? { text: cell, font: undefined } : cell;
        doc.font(font?.src === 'Bold' ? 'Bold' : 'Regular').fontSize(font?.size ?? TABLE.size);
        return Math.max(...text.split(/\s+/).map((word) => doc.widthOfString(word)));
      }),
    ) + 2 * TABLE.padding + 1;
  const minimum = Array.from({ length: columns }, (_, column) => (column === 0 ? 0 : longestWord(column)));
  const fixed = new Set<number>();
  let share = available / (columns - 1);
  for (let changed = true; changed; ) {
    changed = false;
    for (let column = 1; column < columns; column++) {
      if (!fixed.has(column) && minimum[column] > share) {
        fixed.add(column);
        changed = true;
      }
    }
    const free = columns - 1 - fixed.size;
    const taken = [...fixed].reduce((sum, column) => sum + minimum[column], 0);
    share = free > 0 ? (available - taken) / free : 0;
  }
  return minimum.map((width, column) => (fixed.has(column) ? width : share));
}
