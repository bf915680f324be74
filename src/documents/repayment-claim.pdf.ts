import { formatIban } from '../common/iban.js';
import { numberFormat } from '../common/money.js';
import { amountInWords } from './amount-in-words.js';
import type { ClaimInterestLine, ClaimSettlementLine, DocumentLanguage, RepaymentClaimDocument } from './document-types.js';
import { closeLetter, legalRemedy, openLetter, signOff } from './letter.js';
import { amountTable, day, decimal, euro, fields, heading, keepTogether, list, paragraph, type Pdf } from './pdf.js';
import { letterText } from './texts.js';

/**
 * The repayment claim (Rückforderungsbescheid, § 49 Abs. 3, § 49a VwVfG NRW): the operative part
 * (the award partly revoked down to the grant finally due, the refund in figures and words, the
 * interest or its waiver, the interest for money used late, the total and its deadline), then the
 * settlement, the interest and the late-use interest each as a table line by line, the total, where
 * to pay, the reasons, the notice of legal remedy and the sign-off. A draft is marked as in the award.
 */
export async function renderRepaymentClaimPdf(letter: RepaymentClaimDocument, lang: DocumentLanguage, options: { draft?: boolean } = {}): Promise<Buffer> {
  checkFigures(letter);
  const subject = letterText(lang, 'claim.subject', { callYear: letter.callYear, callTitle: letter.callTitle, referenceNumber: letter.referenceNumber });
  const pdf = openLetter(letter, lang, subject, options);
  const { t, doc } = pdf;
  const money = (cents: number) => euro(cents, lang);
  const date = (ymd: string) => day(ymd, lang);
  const financeType = t(`claim.finance.${letter.financeType}`);
  const { interest, lateUse } = letter;

  paragraph(pdf, t('claim.intro', { applicationTitle: letter.applicationTitle }));

  heading(pdf, t('claim.operative'));
  paragraph(
    pdf,
    `1. ${t('claim.revoke', {
      awardDate: date(letter.award.date),
      awardReference: letter.award.referenceNumber,
      awardAmount: money(letter.award.amountCents),
      revokedFrom: date(letter.revokedFrom),
      due: money(letter.dueCents),
    })}`,
  );
  paragraph(pdf, `2. ${t('claim.refund', { paid: money(letter.paidCents) })}`, { gap: 4 });
  doc.font('Bold').fontSize(13).text(money(letter.repaymentCents), { align: 'center', structParent: pdf.root, structType: 'P', paragraphGap: 2 });
  doc.font('Regular').fontSize(10).text(t('claim.amount_in_words', { words: amountInWords(letter.repaymentCents, lang) }), {
    align: 'center',
    structParent: pdf.root,
    structType: 'P',
    paragraphGap: 10,
  });
  let point = 3;
  if (interest) {
    paragraph(
      pdf,
      `${point++}. ${t('claim.interest', {
        from: date(letter.revokedFrom),
        margin: decimal(interest.marginBasisPoints / 100, lang),
        last: date(lastInterestDay(interest.until)),
        interest: money(interest.totalCents),
      })}`,
    );
  } else {
    paragraph(pdf, `${point++}. ${t('claim.interest_waived')}`);
  }
  if (lateUse) {
    paragraph(pdf, `${point++}. ${t('claim.late_use', { months: decimal(lateUse.windowMonths, lang), interest: money(lateUse.totalCents) })}`);
  }
  paragraph(pdf, `${point}. ${t('claim.pay', { total: money(letter.totalClaimedCents), dueDate: date(letter.paymentDueDate) })}`);

  settlementTable(pdf, letter, financeType);
  if (interest) interestTable(pdf, letter, interest);
  if (lateUse) lateUseTable(pdf, lateUse);
  totalTable(pdf, letter);
  payment(pdf, letter);

  heading(pdf, t('letter.reasons'));
  const admitted = letter.settlementLines.find((line) => line.key === 'admittedCosts');
  paragraph(
    pdf,
    t('claim.reasons_report', {
      submitted: date(letter.usageReport.submittedOn),
      admitted: date(letter.usageReport.admittedOn),
      admittedCosts: money(admitted?.cents ?? 0),
      financeType,
      due: money(letter.dueCents),
      paid: money(letter.paidCents),
    }),
  );
  if (letter.reductions.length > 0) {
    paragraph(pdf, t('claim.reasons_reductions'), { gap: 3 });
    list(pdf, letter.reductions);
  }
  paragraph(pdf, t('claim.reasons_revocation'));
  if (interest) paragraph(pdf, t('claim.reasons_interest'));
  else paragraph(pdf, t('claim.reasons_waiver', { reason: letter.interestWaiver as string }));
  if (lateUse) paragraph(pdf, t('claim.reasons_late_use', { months: decimal(lateUse.windowMonths, lang) }));
  legalRemedy(pdf);
  signOff(pdf, letter.clerkName);
  return closeLetter(pdf, options);
}

/**
 * A claim whose figures do not add up, or that both claims and waives interest, must never go out:
 * the renderer refuses it (as the award refuses a share financing without its share).
 */
function checkFigures(letter: RepaymentClaimDocument): void {
  const refuse = (why: string) => {
    throw new Error(`Repayment claim ${letter.referenceNumber}: ${why}`);
  };
  const sum = (lines: { interestCents: number }[]) => lines.reduce((total, line) => total + line.interestCents, 0);
  if (letter.repaymentCents <= 0) refuse('no amount to refund');
  if (letter.paidCents - letter.dueCents !== letter.repaymentCents) refuse('the refund is not what was paid less what is due');
  const last = letter.settlementLines[letter.settlementLines.length - 1];
  if (!last || last.key !== 'repayment' || last.cents !== letter.repaymentCents) refuse('the settlement does not end with the refund');
  const { interest, interestWaiver, lateUse } = letter;
  if ((interest === null) === (interestWaiver === null || interestWaiver.trim() === '')) refuse('interest must be either computed or waived with a reason');
  if (interest && sum(interest.lines) !== interest.totalCents) refuse('the interest lines do not add up to the interest');
  if (interest && interest.lines.length > 0 && interest.lines[interest.lines.length - 1].to !== lastInterestDay(interest.until)) {
    refuse('the interest lines do not end the day before the repayment day');
  }
  if (lateUse && interest === null) refuse('interest is waived, yet interest for late use is claimed');
  if (lateUse && sum(lateUse.lines) !== lateUse.totalCents) refuse('the late-use lines do not add up to their interest');
  const total = letter.repaymentCents + (interest?.totalCents ?? 0) + (lateUse?.totalCents ?? 0);
  if (total !== letter.totalClaimedCents) refuse('the total claimed is not the refund plus the interest');
}

/** The last day interest is computed for: the day before the repayment day, which is not counted. */
function lastInterestDay(until: string): string {
  return new Date(Date.parse(`${until}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** A rate in basis points as a percentage with two decimals: 627 → "6,27". */
function rate(basisPoints: number, lang: DocumentLanguage): string {
  return numberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(basisPoints / 100);
}

/** Deductions and what was paid are subtracted; the sign says so in the table. */
const SUBTRACTED = new Set<ClaimSettlementLine['key']>(['lessOwnFunds', 'lessThirdParty', 'lessOtherIncome', 'paid']);

function settlementTable(pdf: Pdf, letter: RepaymentClaimDocument, financeType: string): void {
  const { t, lang } = pdf;
  const detail = (line: ClaimSettlementLine): string => {
    if (line.key === 'shareOfCosts') return t('claim.line.shareOfCosts_detail', { percent: decimal(line.percent ?? 0, lang) });
    if (line.key === 'lessOwnFunds' && line.plannedCents !== undefined) return t('claim.line.lessOwnFunds_planned', { planned: euro(line.plannedCents, lang) });
    return '';
  };
  const amount = (line: ClaimSettlementLine) => (SUBTRACTED.has(line.key) ? `− ${euro(line.cents, lang)}` : euro(line.cents, lang));
  const lines = letter.settlementLines.slice(0, -1);
  keepTogether(pdf, 150);
  heading(pdf, t('claim.settlement'));
  paragraph(pdf, t('claim.settlement_intro', { financeType }));
  amountTable(pdf, {
    header: [t('claim.col.line'), t('claim.col.detail'), t('claim.col.amount')],
    rows: lines.map((line) => [t(`claim.line.${line.key}`), detail(line), amount(line)]),
    totals: [[t('claim.line.repayment'), euro(letter.repaymentCents, lang)]],
  });
}

function interestRow(pdf: Pdf, principalCents: number, line: ClaimInterestLine): string {
  return pdf.t('claim.interest_line', {
    amount: euro(principalCents, pdf.lang),
    rate: rate(line.ratePercentBasisPoints, pdf.lang),
    days: decimal(line.days, pdf.lang),
    basis: decimal(line.dayBasis, pdf.lang),
  });
}

/** Each base-rate period its own line: the days, the rate with the margin, the day basis, the interest. */
function interestTable(pdf: Pdf, letter: RepaymentClaimDocument, interest: NonNullable<RepaymentClaimDocument['interest']>): void {
  const { t, lang } = pdf;
  keepTogether(pdf, 150);
  heading(pdf, t('claim.interest_heading'));
  paragraph(
    pdf,
    t('claim.interest_intro', {
      principal: euro(letter.repaymentCents, lang),
      from: day(letter.revokedFrom, lang),
      last: day(lastInterestDay(interest.until), lang),
      margin: decimal(interest.marginBasisPoints / 100, lang),
    }),
  );
  amountTable(pdf, {
    header: [t('claim.col.period'), t('claim.col.computation'), t('claim.col.interest')],
    rows: interest.lines.map((line) => [
      t('format.range', { start: day(line.from, lang), end: day(line.to, lang) }),
      interestRow(pdf, letter.repaymentCents, line),
      euro(line.interestCents, lang),
    ]),
    totals: [[t('claim.interest_total'), euro(interest.totalCents, lang)]],
  });
  paragraph(pdf, t('claim.interest_later', { dueDate: day(letter.paymentDueDate, lang) }), { small: true });
}

function lateUseTable(pdf: Pdf, lateUse: NonNullable<RepaymentClaimDocument['lateUse']>): void {
  const { t, lang } = pdf;
  keepTogether(pdf, 150);
  heading(pdf, t('claim.late_use_heading'));
  paragraph(pdf, t('claim.late_use_intro', { months: decimal(lateUse.windowMonths, lang), asOf: day(lateUse.asOf, lang) }));
  amountTable(pdf, {
    header: [t('claim.col.period'), t('claim.col.computation'), t('claim.col.interest')],
    rows: lateUse.lines.map((line) => [
      t('claim.late_use_period', {
        valueDate: day(line.valueDate, lang),
        windowEnd: day(line.windowEnd, lang),
        from: day(line.from, lang),
        to: day(line.to, lang),
      }),
      `${line.usedOn ? t('claim.late_use_used', { usedOn: day(line.usedOn, lang) }) : t('claim.late_use_unused', { asOf: day(lateUse.asOf, lang) })}:\n${interestRow(pdf, line.amountCents, line)}`,
      euro(line.interestCents, lang),
    ]),
    totals: [[t('claim.late_use_total'), euro(lateUse.totalCents, lang)]],
  });
}

function totalTable(pdf: Pdf, letter: RepaymentClaimDocument): void {
  const { t, lang } = pdf;
  const rows: string[][] = [[t('claim.total_repayment'), t('claim.basis_refund'), euro(letter.repaymentCents, lang)]];
  if (letter.interest) {
    rows.push([t('claim.total_interest', { last: day(lastInterestDay(letter.interest.until), lang) }), t('claim.basis_interest'), euro(letter.interest.totalCents, lang)]);
  }
  if (letter.lateUse) rows.push([t('claim.total_late_use'), t('claim.basis_late_use'), euro(letter.lateUse.totalCents, lang)]);
  keepTogether(pdf, 120);
  heading(pdf, t('claim.total_heading'));
  amountTable(pdf, {
    header: [t('claim.col.line'), t('claim.col.basis'), t('claim.col.amount')],
    rows,
    totals: [[t('claim.total'), euro(letter.totalClaimedCents, lang)]],
  });
}

function payment(pdf: Pdf, letter: RepaymentClaimDocument): void {
  const { t, lang } = pdf;
  const { account } = letter;
  keepTogether(pdf, 150);
  heading(pdf, t('claim.payment_heading'));
  paragraph(pdf, t('claim.payment_intro', { dueDate: day(letter.paymentDueDate, lang) }));
  fields(pdf, [
    [t('claim.account_name'), account.name],
    [t('claim.iban'), formatIban(account.iban)],
    [t('claim.bic'), account.bic],
    [t('claim.payment_reference'), account.paymentReference],
    [t('claim.amount'), euro(letter.totalClaimedCents, lang)],
    [t('claim.payment_due'), day(letter.paymentDueDate, lang)],
  ]);
}
