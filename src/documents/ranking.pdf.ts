import type { DocumentLanguage, RankingDocument, RankingRow } from './document-types.js';
import { amountTable, createDocument, day, decimal, euro, fields, finish, heading, keepTogether, paragraph, type Pdf } from './pdf.js';
import { letterText } from './texts.js';

/** Millimetres in PDF points. */
const mm = (value: number) => (value * 72) / 25.4;

/** A rating with exactly one decimal: "4,3" or "4.3". */
export function rating(value: number, lang: DocumentLanguage): string {
  return new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

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

  heading(pdf, t('ranking.funded'));
  if (ranking.funded.length === 0) paragraph(pdf, t('ranking.no_funded'));
  else rankingTable(pdf, ranking.funded, true);
  if (ranking.funded.some((row) => row.partial)) paragraph(pdf, t('ranking.partial_note'), { small: true });

  heading(pdf, t('ranking.waiting_list'));
  if (ranking.waitingList.length === 0) paragraph(pdf, t('ranking.no_waiting_list'));
  else rankingTable(pdf, ranking.waitingList, false);

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

/**
 * One row per proposal in rank order, the sums in a closing row. Nine columns do not fit A4 portrait
 * at a readable size, so title and organisation share a cell.
 */
function rankingTable(pdf: Pdf, rows: RankingRow[], funded: boolean): void {
  const { doc, t, lang } = pdf;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bold = { src: 'Bold' };
  const rule = (lineWidth: number) => ({ top: 0, right: 0, bottom: lineWidth, left: 0 });
  const strong = { font: bold, border: rule(1), borderColor: 'black' };
  const right = { align: { x: 'right' as const, y: 'top' as const } };
  const granted = (row: RankingRow) => {
    if (row.grantedCents === null) return '–';
    const amount = euro(row.grantedCents, lang);
    return row.partial ? t('ranking.partial_mark', { amount }) : amount;
  };
  const sum = (values: number[]) => euro(values.reduce((total, value) => total + value, 0), lang);

  keepTogether(pdf, 80);
  doc.font('Regular').fontSize(7.5).fillColor('black');
  // pdfkit tags tables under structParent; @types/pdfkit does not know the option yet.
  const tagging = { structParent: pdf.root };
  doc.table({
    ...tagging,
    position: { x: left, y: doc.y },
    maxWidth: width,
    columnStyles: [
      { width: mm(10), ...right },
      mm(23),
      '*',
      { width: mm(18.5), ...right },
      { width: mm(21.5), ...right },
      { width: mm(15), ...right },
      { width: mm(19), ...right },
      { width: mm(19), ...right },
    ],
    defaultStyle: { border: rule(0.4), borderColor: '#9a9a9a', padding: [3, 3] },
    data: [
      [
        t('ranking.col.rank'),
        t('session.reference'),
        t('session.project'),
        t('ranking.col.importance'),
        t('ranking.col.urgency'),
        t('ranking.col.score'),
        t('ranking.col.recommended'),
        t('ranking.col.granted'),
      ].map((text) => ({ text, type: 'TH' as const, ...strong })),
      ...rows.map((row) => [
        { text: String(row.rank), type: 'TH' as const, font: bold },
        row.referenceNumber,
        `${row.title}\n${row.organisationName}`,
        rating(row.importance, lang),
        rating(row.urgency, lang),
        { text: rating(row.score, lang), font: bold },
        euro(row.recommendedCents, lang),
        granted(row),
      ]),
      [
        { text: t('ranking.sum'), colSpan: 6, ...strong },
        { text: sum(rows.map((row) => row.recommendedCents)), ...strong },
        { text: funded ? sum(rows.map((row) => row.grantedCents ?? 0)) : '–', ...strong },
      ],
    ],
  });
  doc.x = left;
  doc.font('Regular').fontSize(10).moveDown(0.8);
}
