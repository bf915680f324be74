import type { CallDocument } from '../calls/call.types.js';
import type { DocumentLanguage } from './document-types.js';
import { createDocument, day, decimal, euro, fields, finish, heading, instant, list, paragraph } from './pdf.js';
import { letterText } from './texts.js';

/** The public information sheet of a call for proposals (Förderaufruf). */
export async function renderCallPdf(call: CallDocument, lang: DocumentLanguage): Promise<Buffer> {
  const title = letterText(lang, 'call.title', { year: call.year, title: call.title });
  const pdf = createDocument({ title, lang });
  const { t } = pdf;

  paragraph(pdf, t('call.issuer'), { small: true, gap: 4 });
  heading(pdf, title, 1);
  if (call.description) paragraph(pdf, call.description);
  fields(pdf, [
    [t('call.budget'), euro(call.budgetCents, lang)],
    [t('call.deadline'), instant(call.submissionDeadline, lang)],
    [t('call.period'), t('format.range', { start: day(call.fundingPeriodStart, lang), end: day(call.fundingPeriodEnd, lang) })],
    [t('call.finance_type'), financeType(call, lang)],
    [t(call.financeType === 'fixed' ? 'call.fixed_amount' : 'call.max_amount'), euro(call.maxAmountCents, lang)],
    [t('call.own_contribution'), t('call.own_contribution_value', { percent: decimal(call.minOwnContributionPercent, lang) })],
    [t('call.report'), t('call.report_value', { months: call.reportDueMonths })],
  ]);

  const lists: [string, string[]][] = [
    ['call.fields_of_action', call.fieldsOfAction],
    ['call.cost_categories', call.costCategories],
    ['call.attachments', call.requiredAttachments],
    ['call.declarations', call.declarations],
  ];
  for (const [key, items] of lists) {
    heading(pdf, t(key));
    list(pdf, items);
  }
  return finish(pdf);
}

function financeType(call: CallDocument, lang: DocumentLanguage): string {
  if (call.financeType !== 'share') return letterText(lang, `call.finance.${call.financeType}`);
  if (call.sharePercent === null) throw new Error(`Call ${call.year} "${call.title}" is share-financed without a share`);
  return letterText(lang, 'call.finance.share', { percent: decimal(call.sharePercent, lang) });
}
