import type { DocumentLanguage, RejectionDocument } from './document-types.js';
import { createDocument, day, dayOf, euro, finish, heading, keepTogether, letterhead, paragraph } from './pdf.js';
import { letterText } from './texts.js';

/** The rejection letter (Ablehnungsbescheid) after the formal check found an application ineligible. */
export async function renderRejectionLetterPdf(letter: RejectionDocument, lang: DocumentLanguage): Promise<Buffer> {
  const subject = letterText(lang, 'rejection.subject', { referenceNumber: letter.referenceNumber, callYear: letter.callYear });
  const pdf = createDocument({ title: subject, lang });
  const { t, doc } = pdf;
  const { organisation, contactName } = letter;

  letterhead(pdf, {
    recipient: [organisation.name, ...(contactName ? [contactName] : []), organisation.street, `${organisation.postalCode} ${organisation.city}`],
    reference: letter.referenceNumber,
    date: letter.date,
    contact: letter.clerkName,
    subject,
  });
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
  return finish(pdf);
}
