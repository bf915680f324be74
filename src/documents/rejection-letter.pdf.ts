import type { DocumentLanguage, RejectionDocument } from './document-types.js';
import { createDocument, day, dayOf, euro, finish, heading, keepTogether, letterhead, paragraph } from './pdf.js';
import { letterText } from './texts.js';

/**
 * The rejection letter (Ablehnungsbescheid) after the formal check found an application ineligible.
 * As a draft (the office's preview before sending) it says so at the top and across every page.
 */
export async function renderRejectionLetterPdf(letter: RejectionDocument, lang: DocumentLanguage, options: { draft?: boolean } = {}): Promise<Buffer> {
  const subject = letterText(lang, 'rejection.subject', { referenceNumber: letter.referenceNumber, callYear: letter.callYear });
  const draftMark = options.draft ? letterText(lang, 'rejection.draft_mark') : null;
  const pdf = createDocument({ title: draftMark ? `${draftMark}: ${subject}` : subject, lang });
  const { t, doc } = pdf;
  const { organisation, contactName } = letter;

  letterhead(pdf, {
    recipient: [organisation.name, ...(contactName ? [contactName] : []), organisation.street, `${organisation.postalCode} ${organisation.city}`],
    reference: letter.referenceNumber,
    date: letter.date,
    contact: letter.clerkName,
    subject,
  });
  if (draftMark) {
    doc.font('Bold').fillColor(DRAFT_RED);
    doc.text(`${draftMark} – ${letterText(lang, 'rejection.draft_note')}`, { structParent: pdf.root, structType: 'P', paragraphGap: 8 });
    doc.font('Regular').fillColor('black');
  }
  paragraph(pdf, contactName ? t('rejection.salutation_named', { name: contactName }) : t('rejection.salutation'));
  paragraph(
    pdf,
    t('rejection.body', {
      applicationTitle: letter.applicationTitle,
      submitted: day(dayOf(letter.submittedAt), lang),
      amount: euro(letter.requestedCents, lang),
      callYear: letter.callYear,
      callTitle: letter.callTitle,
    }),
  );
  heading(pdf, t('rejection.reason'), 3);
  paragraph(pdf, letter.reason);
  heading(pdf, t('rejection.remedy'), 3);
  paragraph(pdf, t('rejection.remedy_text'));

  keepTogether(pdf, 70);
  doc.moveDown(0.5);
  paragraph(pdf, t('rejection.closing'), { gap: 14 });
  paragraph(pdf, t('rejection.on_behalf'), { gap: 0 });
  paragraph(pdf, letter.clerkName);
  if (draftMark) watermark(pdf.doc, draftMark);
  return finish(pdf);
}

const DRAFT_RED = '#b00020';

/** Large diagonal text across every page, as a layout artifact (the tagged note above says it for screen readers). */
function watermark(doc: PDFKit.PDFDocument, text: string): void {
  const { x, y } = doc;
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    const { width, height } = doc.page;
    doc.save();
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.rotate(-45, { origin: [width / 2, height / 2] });
    doc.font('Bold').fontSize(72).fillColor(DRAFT_RED).fillOpacity(0.15);
    doc.text(text, 0, height / 2 - 36, { width, align: 'center', lineBreak: false });
    doc.endMarkedContent();
    doc.restore();
  }
  doc.switchToPage(start + count - 1);
  doc.font('Regular').fontSize(10).fillColor('black').fillOpacity(1);
  doc.x = x;
  doc.y = y;
}
