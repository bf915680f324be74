import type { AgendaDocument, DocumentLanguage } from './document-types.js';
import { createDocument, dayOf, day, euro, fields, finish, fitColumns, heading, instant, keepTogether, paragraph, type Pdf } from './pdf.js';
import { letterText } from './texts.js';

/** Millimetres in PDF points. */
const mm = (value: number) => (value * 72) / 25.4;

/** The invitation with the agenda (Einladung und Tagesordnung) of a non-public session of the round table. */
export async function renderAgendaPdf(agenda: AgendaDocument, lang: DocumentLanguage): Promise<Buffer> {
  const date = day(dayOf(agenda.scheduledAt), lang);
  const pdf = createDocument({ title: letterText(lang, 'agenda.document_title', { date }), lang });
  const { t } = pdf;

  paragraph(pdf, t('session.issuer'), { small: true, gap: 4 });
  heading(pdf, t('agenda.title'), 1);
  paragraph(pdf, t('agenda.subtitle'), { gap: 12 });
  paragraph(pdf, t('agenda.salutation'));
  paragraph(pdf, t('agenda.invitation'), { gap: 12 });
  fields(pdf, [
    [t('session.call'), t('session.call_value', { year: agenda.callYear, title: agenda.callTitle })],
    [t('agenda.scheduled'), instant(agenda.scheduledAt, lang)],
    [t('session.place'), agenda.place],
    [t('session.chair'), agenda.chairName ?? t('session.chair_unknown')],
  ]);

  heading(pdf, t('agenda.items'));
  const items = [...agenda.items].sort((a, b) => a.position - b.position);
  if (items.length === 0) paragraph(pdf, t('agenda.no_items'));
  else agendaTable(pdf, items, agenda.items.reduce((sum, item) => sum + item.requestedCents, 0));

  paragraph(pdf, t('agenda.conflicts'));
  heading(pdf, t('agenda.confidential_heading'), 3);
  paragraph(pdf, t('agenda.confidential'));
  keepTogether(pdf, 70);
  pdf.doc.moveDown(0.5);
  paragraph(pdf, t('agenda.closing'), { gap: 14 });
  if (agenda.chairName) {
    paragraph(pdf, agenda.chairName, { gap: 0 });
    paragraph(pdf, t('session.chair'));
  } else {
    paragraph(pdf, t('agenda.signed_by_office'));
  }
  return finish(pdf);
}

/** TOP, reference, project with organisation, field of action and amount; tagged as a table. */
function agendaTable(pdf: Pdf, items: AgendaDocument['items'], totalCents: number): void {
  const { doc, t, lang } = pdf;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bold = { src: 'Bold' };
  const rule = (lineWidth: number) => ({ top: 0, right: 0, bottom: lineWidth, left: 0 });
  const strong = { font: bold, border: rule(1), borderColor: 'black' };
  const size = 9;
  const padding = 4;
  const data = [
    [t('agenda.col.top'), t('session.reference'), t('session.project'), t('agenda.col.field'), t('session.requested')].map((text) => ({
      text,
      type: 'TH' as const,
      ...strong,
    })),
    ...items.map((item) => [
      { text: t('agenda.top', { n: item.position }), type: 'TH' as const, font: bold },
      item.referenceNumber,
      `${item.title}\n${item.organisationName}`,
      item.fieldOfAction,
      euro(item.requestedCents, lang),
    ]),
    [
      { text: t('agenda.total'), colSpan: 4, ...strong },
      { text: euro(totalCents, lang), ...strong },
    ],
  ];
  const [top, reference, , , amount] = fitColumns(doc, data, [0, 1, 4], { size, padding });
  keepTogether(pdf, 80);
  doc.font('Regular').fontSize(size).fillColor('black');
  // pdfkit tags tables under structParent; @types/pdfkit does not know the option yet.
  const tagging = { structParent: pdf.root };
  doc.table({
    ...tagging,
    position: { x: left, y: doc.y },
    maxWidth: width,
    columnStyles: [top, reference, '*', mm(33), { width: amount, align: { x: 'right', y: 'top' } }],
    defaultStyle: { border: rule(0.4), borderColor: '#9a9a9a', padding: [padding, padding] },
    data,
  });
  doc.x = left;
  doc.font('Regular').fontSize(10).moveDown(0.8);
}
