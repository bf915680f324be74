import type { DocumentLanguage, RejectionDocument } from './document-types.js';
import { closeLetter, legalRemedy, openLetter, signOff } from './letter.js';
import { day, dayOf, euro, heading, paragraph } from './pdf.js';
import { letterText } from './texts.js';

/**
 * The rejection letter (Ablehnungsbescheid) after the formal check found an application ineligible.
 * As a draft (the office's preview before sending) it says so at the top and across every page.
 */
export async function renderRejectionLetterPdf(letter: RejectionDocument, lang: DocumentLanguage, options: { draft?: boolean } = {}): Promise<Buffer> {
  const subject = letterText(lang, 'rejection.subject', { referenceNumber: letter.referenceNumber, callYear: letter.callYear });
  const pdf = openLetter(letter, lang, subject, options);
  const { t } = pdf;
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
  heading(pdf, t('letter.reasons'), 3);
  paragraph(pdf, letter.reason);
  legalRemedy(pdf);
  signOff(pdf, letter.clerkName);
  return closeLetter(pdf, options);
}
