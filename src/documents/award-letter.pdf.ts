import { amountInWords } from './amount-in-words.js';
import type { AwardLetterDocument, DocumentLanguage } from './document-types.js';
import { closeLetter, legalRemedy, openLetter, signOff } from './letter.js';
import { addressWindow, amountTable, day, dayOf, decimal, euro, fields, heading, keepTogether, list, paragraph, signatureLines, subjectLine, type Pdf } from './pdf.js';
import { letterText } from './texts.js';

/**
 * The award (Zuwendungsbescheid): the grant in figures and words with its purpose, period and
 * finance type, the approved finance plan, the conditions (ANBest-P and the special ones), the
 * reasons, the notice of legal remedy and, as the last page, the reply sheet for acceptance and
 * waiver. As a draft (the office's preview before release) it says so at the top and on every page.
 */
export async function renderAwardLetterPdf(letter: AwardLetterDocument, lang: DocumentLanguage, options: { draft?: boolean } = {}): Promise<Buffer> {
  const subject = letterText(lang, 'award.subject', { callYear: letter.callYear, callTitle: letter.callTitle, referenceNumber: letter.referenceNumber });
  const pdf = openLetter(letter, lang, subject, options);
  const { t, doc } = pdf;
  const amount = euro(letter.amountCents, lang);
  const submitted = day(dayOf(letter.submittedAt), lang);

  paragraph(pdf, t('award.grant', { submitted, applicationTitle: letter.applicationTitle }), { gap: 6 });
  doc.font('Bold').fontSize(13).text(amount, { align: 'center', structParent: pdf.root, structType: 'P', paragraphGap: 2 });
  doc.font('Regular').fontSize(10).text(t('award.amount_in_words', { words: amountInWords(letter.amountCents, lang) }), {
    align: 'center',
    structParent: pdf.root,
    structType: 'P',
    paragraphGap: 10,
  });
  paragraph(pdf, t('award.grant_form'));
  fields(pdf, [
    [t('award.recipient'), letter.organisation.name],
    [t('award.purpose'), letter.purpose],
    [t('award.period'), t('format.range', { start: day(letter.periodStart, lang), end: day(letter.periodEnd, lang) })],
    [t('award.kind'), t('award.kind_value')],
    [t('award.finance_type'), financeType(pdf, letter)],
    [t('award.total_costs'), euro(letter.financePlan.totalCostsCents, lang)],
    [t('award.report_due'), day(letter.reportDueDate, lang)],
  ]);
  paragraph(pdf, t(`award.finance_note.${letter.financeType}`, { percent: sharePercent(pdf, letter) }));

  financePlan(pdf, letter);

  heading(pdf, t('award.conditions'));
  paragraph(pdf, t('award.anbest'));
  list(pdf, [
    t('award.rule.plan', { percent: decimal(letter.lineDeviationPercent, lang) }),
    letter.paymentWindowMonths === 1 ? t('award.rule.payment_one') : t('award.rule.payment_many', { months: decimal(letter.paymentWindowMonths, lang) }),
    t('award.rule.report', { date: day(letter.reportDueDate, lang) }),
    t('award.rule.changes'),
    t('award.rule.receipts'),
    t('award.rule.publicity'),
    t('award.rule.revocation'),
  ]);
  if (letter.specialConditions.length > 0) {
    heading(pdf, t('award.special_conditions'), 3);
    list(pdf, letter.specialConditions);
  }

  heading(pdf, t('letter.reasons'));
  paragraph(
    pdf,
    t('award.reasons_text', { submitted, callYear: letter.callYear, callTitle: letter.callTitle, requested: euro(letter.requestedCents, lang) }),
  );
  if (letter.amountCents < letter.requestedCents) paragraph(pdf, t('award.reasons_reduced'));
  legalRemedy(pdf);
  paragraph(pdf, t('award.reply_note'));
  signOff(pdf, letter.clerkName);

  replySheet(pdf, letter);
  return closeLetter(pdf, options);
}

function sharePercent(pdf: Pdf, letter: AwardLetterDocument): string {
  if (letter.financeType !== 'share') return '';
  // A share financing without its share would state a grant nobody can compute: refuse to write it.
  if (letter.sharePercent === null) throw new Error(`Award ${letter.referenceNumber}: share financing without a share percent`);
  return decimal(letter.sharePercent, pdf.lang);
}

function financeType(pdf: Pdf, letter: AwardLetterDocument): string {
  const { t, lang } = pdf;
  return t(`award.finance.${letter.financeType}`, {
    percent: sharePercent(pdf, letter),
    max: euro(letter.maxAmountCents, lang),
    amount: euro(letter.amountCents, lang),
  });
}

/** The approved plan: costs by line, then how they are financed, the city's grant included. */
function financePlan(pdf: Pdf, letter: AwardLetterDocument): void {
  const { t, lang } = pdf;
  const plan = letter.financePlan;
  const status = (value: string) => (value === 'granted' || value === 'applied' ? t(`award.status.${value}`) : value);
  // The heading, its sentence and the table's first rows on one page.
  keepTogether(pdf, 150);
  heading(pdf, t('award.finance_plan'));
  paragraph(pdf, t('award.finance_plan_intro'));
  amountTable(pdf, {
    header: [t('award.col.category'), t('award.col.item'), t('award.col.amount')],
    rows: plan.costLines.map((line) => [line.category, line.description, euro(line.amountCents, lang)]),
    totals: [[t('award.total_expenses'), euro(plan.totalCostsCents, lang)]],
  });
  const funding = plan.ownFundsCents + plan.thirdParty.reduce((sum, source) => sum + source.amountCents, 0) + letter.amountCents;
  amountTable(pdf, {
    header: [t('award.col.source'), t('award.col.status'), t('award.col.amount')],
    rows: [
      [t('award.own_funds'), '', euro(plan.ownFundsCents, lang)],
      ...plan.thirdParty.map((source) => [t('award.third_party', { source: source.source }), status(source.status), euro(source.amountCents, lang)]),
      [t('award.city_grant'), t('award.status.this_decision'), euro(letter.amountCents, lang)],
    ],
    totals: [[t('award.total_funding'), euro(funding, lang)]],
  });
}

/** The last page: what the grantee signs and sends back to accept the decision and, if they wish, waive the remedy. */
function replySheet(pdf: Pdf, letter: AwardLetterDocument): void {
  const { t, lang, doc } = pdf;
  const { organisation } = letter;
  const amount = euro(letter.amountCents, lang);
  doc.addPage();
  addressWindow(pdf, [organisation.name, organisation.street, `${organisation.postalCode} ${organisation.city}`].join(' · '), t('reply.recipient').split('\n'));
  subjectLine(pdf, t('reply.title'));
  fields(pdf, [
    [t('info.reference'), letter.referenceNumber],
    [t('reply.decision_date'), day(letter.date, lang)],
    [t('award.recipient'), organisation.name],
    [t('reply.project'), letter.applicationTitle],
    [t('reply.amount'), amount],
  ]);
  heading(pdf, t('reply.acceptance'), 3);
  paragraph(pdf, t('reply.accept', { date: day(letter.date, lang), amount }));
  heading(pdf, t('reply.waiver'), 3);
  paragraph(pdf, t('reply.waive'), { gap: 4 });
  paragraph(pdf, t('reply.waiver_note'), { small: true });
  signatureLines(pdf, [t('reply.place_date'), t('reply.signature')]);
}
