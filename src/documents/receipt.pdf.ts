import type { DocumentLanguage, ReceiptDocument } from './document-types.js';
import { amountTable, createDocument, day, dayOf, decimal, euro, fields, finish, heading, instant, letterhead, list, paragraph } from './pdf.js';
import { letterText } from './texts.js';

/** The confirmation of receipt (Eingangsbestätigung): a letter repeating the application as submitted. */
export async function renderReceiptPdf(receipt: ReceiptDocument, lang: DocumentLanguage): Promise<Buffer> {
  let subject = letterText(lang, 'receipt.subject', { referenceNumber: receipt.referenceNumber });
  if (receipt.submissionNumber > 1) subject += ' ' + letterText(lang, 'receipt.resubmission', { n: receipt.submissionNumber });
  const pdf = createDocument({ title: subject, lang });
  const { t } = pdf;
  const { organisation } = receipt;

  letterhead(pdf, {
    recipient: [organisation.name, receipt.applicantName, organisation.street, `${organisation.postalCode} ${organisation.city}`],
    reference: receipt.referenceNumber,
    date: dayOf(receipt.submittedAt),
    contact: t('office.contact'),
    subject,
  });
  paragraph(pdf, t('receipt.salutation', { name: receipt.applicantName }));
  paragraph(pdf, t('receipt.received', { callYear: receipt.callYear, callTitle: receipt.callTitle, instant: instant(receipt.submittedAt, lang) }));

  heading(pdf, t('receipt.project'));
  fields(pdf, [
    [t('receipt.organisation'), organisation.name],
    [t('receipt.applicant'), receipt.applicantName],
    [t('receipt.title'), receipt.title],
    [t('receipt.field_of_action'), receipt.fieldOfAction],
    [t('receipt.target_group'), receipt.targetGroup],
    [t('receipt.district'), receipt.district],
    [t('receipt.period'), t('format.range', { start: day(receipt.startDate, lang), end: day(receipt.endDate, lang) })],
    [t('receipt.participants'), decimal(receipt.expectedParticipants, lang)],
    [t('receipt.openness'), receipt.openness],
  ]);
  for (const key of ['description', 'goals', 'methods'] as const) {
    heading(pdf, t(`receipt.${key}`), 3);
    paragraph(pdf, receipt[key]);
  }

  heading(pdf, t('receipt.finance_plan'));
  amountTable(pdf, {
    header: [t('receipt.category'), t('receipt.item'), t('receipt.amount')],
    rows: receipt.costLines.map((line) => [line.category, line.description, euro(line.amountCents, lang)]),
    totals: [[t('receipt.total_costs'), euro(receipt.totalCostsCents, lang)]],
  });
  amountTable(pdf, {
    header: [t('receipt.source'), t('receipt.status'), t('receipt.amount')],
    rows: [
      [t('receipt.own_funds'), '', euro(receipt.ownFundsCents, lang)],
      ...receipt.thirdPartyFunding.map((funding) => [
        t('receipt.third_party', { source: funding.source }),
        t(`receipt.status.${funding.status}`),
        euro(funding.amountCents, lang),
      ]),
    ],
    totals: [[t('receipt.requested'), euro(receipt.requestedCents, lang)]],
  });

  heading(pdf, t('receipt.attachments'));
  if (receipt.attachments.length === 0) paragraph(pdf, t('receipt.no_attachments'));
  else list(pdf, receipt.attachments.map((file) => t('receipt.attachment', { ...file, hash: file.sha256.slice(0, 16) })));
  heading(pdf, t('receipt.declarations'));
  list(pdf, receipt.declarations);

  paragraph(pdf, t('receipt.closing'));
  return finish(pdf);
}
