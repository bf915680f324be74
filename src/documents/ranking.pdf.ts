import type { DocumentLanguage, RankingDocument, RankingRow } from './document-types.js';
import { amountTable, createDocument, day, decimal, euro, fields, finish, fitColumns, heading, keepTogether, paragraph, rating, type Cell, type Pdf } from './pdf.js';
import { letterText } from './texts.js';

/** The ranking of the proposals (Rangfolge der Handlungsvorschläge) with the allocation of the budget. */
export async function renderRankingPdf(ranking: RankingDocument, lang: DocumentLanguage): Promise<Buffer> {
  const pdf = createDocument({ title: letterText(lang, 'ranking.document_title', { year: ranking.callYear, title: ranking.callTitle }), lang });
  const { t } = pdf;

  paragraph(pdf, t('ranking.issuer'), { small: true, gap: 4 });
  heading(pdf, t('ranking.title'), 1);
  fields(pdf, [
    [t('session.call'), t('session.call_value', { year: ranking.callYear, title: ranking.callTitle })],
    [t('ranking.budget'), euro(ranking.budgetCents, lang)],
    [t('ranking.weights'), t('ranking.weights_value', { importance: decimal(ranking.weights.importance, lang), urgency: decimal(ranking.weights.urgency, lang) })],
    [t('ranking.date'), day(ranking.date, lang)],
  ]);
  paragraph(pdf, t('ranking.method'), { small: true });

  const funded = rankingData(pdf, ranking.funded, true);
  const waitingList = rankingData(pdf, ranking.waitingList, false);
  // Measured over both tables, so that their columns line up.
  const widths = fitColumns(pdf.doc, [...funded, ...waitingList], [0, 1, 3, 4, 5, 6, 7], TABLE);

  heading(pdf, t('ranking.funded'));
  if (ranking.funded.length === 0) paragraph(pdf, t('ranking.no_funded'));
  else rankingTable(pdf, funded, widths);
  if (ranking.funded.some((row) => row.partial)) paragraph(pdf, t('ranking.partial_note'), { small: true });

  heading(pdf, t('ranking.waiting_list'));
  if (ranking.waitingList.length === 0) paragraph(pdf, t('ranking.no_waiting_list'));
  else rankingTable(pdf, waitingList, widths);

  heading(pdf, t('ranking.totals'));
  amountTable(pdf, {
    header: [t('ranking.position'), '', t('ranking.amount')],
    rows: [
      [t('ranking.budget'), '', euro(ranking.budgetCents, lang)],
      [t('ranking.spent'), '', euro(ranking.spentCents, lang)],
    ],
    totals: [[t('ranking.remaining'), euro(ranking.remainingCents, lang)]],
  });
  return finish(pdf);
}

/** Font size and cell padding of the ranking tables, in points. */
const TABLE = { size: 7.5, padding: 3 };


/**
 * The cells of a ranking table: one row per proposal in rank order, the sums in a closing row. Nine
 * columns do not fit A4 portrait at a readable size, so title and organisation share a cell, and the
 * headers are a little smaller.
 */
function rankingData(pdf: Pdf, rows: RankingRow[], funded: boolean): Cell[][] {
  const { t, lang } = pdf;
  const bold = { src: 'Bold' };
  const rule = (lineWidth: number) => ({ top: 0, right: 0, bottom: lineWidth, left: 0 });
  const strong = { font: bold, border: rule(1), borderColor: 'black' };
  const granted = (row: RankingRow) => {
    if (row.grantedCents === null) return '–';
    const amount = euro(row.grantedCents, lang);
    return row.partial ? t('ranking.partial_mark', { amount }) : amount;
  };
  const sum = (values: number[]) => euro(values.reduce((total, value) => total + value, 0), lang);

  const header = ['rank', 'reference', 'project', 'importance', 'urgency', 'score', 'recommended', 'within_budget'].map((column) => ({
    text: t(column === 'reference' || column === 'project' ? `session.${column}` : `ranking.col.${column}`),
    type: 'TH' as const,
    ...strong,
    font: { src: 'Bold', size: 7 },
  }));
  const body = rows.map((row) => [
    { text: String(row.rank), type: 'TH' as const, font: bold },
    row.referenceNumber,
    `${row.title}\n${row.organisationName}`,
    rating(row.importance, lang),
    rating(row.urgency, lang),
    { text: rating(row.score, lang), font: bold },
    euro(row.recommendedCents, lang),
    granted(row),
  ]);
  const totals = [
    { text: t('ranking.sum'), colSpan: 6, ...strong },
    { text: sum(rows.map((row) => row.recommendedCents)), ...strong },
    { text: funded ? sum(rows.map((row) => row.grantedCents ?? 0)) : '–', ...strong },
  ];
  return [header, ...body, totals];
}

function rankingTable(pdf: Pdf, data: Cell[][], widths: (number | '*')[]): void {
  const { doc } = pdf;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const { size, padding } = TABLE;
  const rule = (lineWidth: number) => ({ top: 0, right: 0, bottom: lineWidth, left: 0 });
  const right = { align: { x: 'right' as const, y: 'top' as const } };

  keepTogether(pdf, 80);
  doc.font('Regular').fontSize(size).fillColor('black');
  // pdfkit tags tables under structParent; @types/pdfkit does not know the option yet.
  const tagging = { structParent: pdf.root };
  doc.table({
    ...tagging,
    position: { x: left, y: doc.y },
    maxWidth: width,
    columnStyles: widths.map((columnWidth, column) => (column === 1 || column === 2 ? columnWidth : { width: columnWidth, ...right })),
    defaultStyle: { border: rule(0.4), borderColor: '#9a9a9a', padding: [padding, padding] },
    data,
  });
  doc.x = left;
  doc.font('Regular').fontSize(10).moveDown(0.8);
}
