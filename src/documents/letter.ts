import type { DocumentLanguage } from './document-types.js';
import { createDocument, draftNote, finish, heading, keepTogether, letterhead, paragraph, watermark, type Pdf } from './pdf.js';
import { letterText } from './texts.js';

/** The parts every official letter (Bescheid) shares: first page, draft mark, legal remedy and sign-off. */
export interface LetterHead {
  referenceNumber: string;
  date: string;
  organisation: { name: string; street: string; postalCode: string; city: string };
  contactName: string | null;
  clerkName: string;
  clerkPhone?: string;
  clerkEmail?: string;
}

/**
 * A letter's document up to its salutation: the letterhead with the clerk, the subject and, on a
 * draft (the office's preview before sending), the note that it is one.
 */
export function openLetter(letter: LetterHead, lang: DocumentLanguage, subject: string, options: { draft?: boolean }): Pdf {
  const draftMark = letterText(lang, 'letter.draft_mark');
  const pdf = createDocument({ title: options.draft ? `${draftMark}: ${subject}` : subject, lang });
  const { organisation, contactName } = letter;
  letterhead(pdf, {
    recipient: [organisation.name, ...(contactName ? [contactName] : []), organisation.street, `${organisation.postalCode} ${organisation.city}`],
    reference: letter.referenceNumber,
    date: letter.date,
    contact: letter.clerkName,
    phone: letter.clerkPhone,
    email: letter.clerkEmail,
    subject,
  });
  if (options.draft) draftNote(pdf);
  paragraph(pdf, contactName ? pdf.t('letter.salutation_named', { name: contactName }) : pdf.t('letter.salutation'));
  return pdf;
}

/** The notice of legal remedy (Rechtsbehelfsbelehrung, § 58 VwGO): without it the period for an action is a year. */
export function legalRemedy(pdf: Pdf): void {
  heading(pdf, pdf.t('letter.remedy'), 3);
  paragraph(pdf, pdf.t('letter.remedy_text'));
}

/** Closing, "Im Auftrag" and the clerk's name, kept on one page. */
export function signOff(pdf: Pdf, clerkName: string): void {
  keepTogether(pdf, 70);
  pdf.doc.moveDown(0.5);
  paragraph(pdf, pdf.t('letter.closing'), { gap: 14 });
  paragraph(pdf, pdf.t('letter.on_behalf'), { gap: 0 });
  paragraph(pdf, clerkName);
}

/** Ends the letter: the draft mark across every page of a draft, page numbers, the bytes. */
export function closeLetter(pdf: Pdf, options: { draft?: boolean }): Promise<Buffer> {
  if (options.draft) watermark(pdf);
  return finish(pdf);
}
