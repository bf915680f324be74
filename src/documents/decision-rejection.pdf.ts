import type { DecisionRejectionDocument, DocumentLanguage } from './document-types.js';
import { closeLetter, legalRemedy, openLetter, signOff } from './letter.js';
import { day, dayOf, euro, heading, paragraph } from './pdf.js';
import { letterText } from './texts.js';

/**
 * The rejection after the round table (Ablehnungsbescheid): voted down, or recommended but ranked
 * below the budget when the call is decided; with the clerk's own words if any, and the notice of
 * legal remedy. A draft is marked as in the award.
 */
export async function renderDecisionRejectionPdf(letter: DecisionRejectionDocument, lang: DocumentLanguage, options: { draft?: boolean } = {}): Promise<Buffer> {
  const subject = letterText(lang, 'decision_rejection.subject', { callYear: letter.callYear, callTitle: letter.callTitle, referenceNumber: letter.referenceNumber });
  const pdf = openLetter(letter, lang, subject, options);
  const { t } = pdf;
  paragraph(
    pdf,
    t('decision_rejection.body', {
      submitted: day(dayOf(letter.submittedAt), lang),
      applicationTitle: letter.applicationTitle,
      callYear: letter.callYear,
      callTitle: letter.callTitle,
      amount: euro(letter.requestedCents, lang),
    }),
  );
  heading(pdf, t('letter.reasons'), 3);
  paragraph(pdf, t(`decision_rejection.reason.${letter.reason}`));
  if (letter.reasonNote) paragraph(pdf, letter.reasonNote);
  paragraph(pdf, t('decision_rejection.discretion'));
  legalRemedy(pdf);
  signOff(pdf, letter.clerkName);
  return closeLetter(pdf, options);
}
