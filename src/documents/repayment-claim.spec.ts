import { describe, expect, it } from '@jest/globals';
import { checkedPdf, pdfPages, pdfText } from '../../test/support/pdf.js';
import { PUBLISHED_BASE_RATES } from '../reports/base-rates.js';
import { lateUseInterest, repaymentInterest } from '../reports/interest.rules.js';
import { settle } from '../reports/settlement.rules.js';
import type { RepaymentClaimDocument } from './document-types.js';
import renderDocument from './render-jobs.js';
import { renderRepaymentClaimPdf } from './repayment-claim.pdf.js';
import { plain } from '../../test/support/text.js';

/**
 * A share financing of 80 % awarded 8,000.00 € and paid in full; 8,750.00 € of costs admitted, so
 * 7,000.00 € are due and 1,000.00 € are reclaimed. The figures come from the rules themselves, so
 * the letter shows exactly what they return.
 */
const settlement = settle({
  financeType: 'share',
  sharePercent: 80,
  awardedCents: 800_000,
  paidCents: 800_000,
  admittedCostsCents: 875_000,
  ownFundsCents: 100_000,
  thirdPartyCents: 0,
  otherIncomeCents: 0,
});

/** From 01.11.2024 until the payment deadline 15.08.2025 (not counted): three base rates, three lines. */
const interest = repaymentInterest({ principalCents: 100_000, from: '2024-11-01', until: '2025-08-15', baseRates: PUBLISHED_BASE_RATES });

/** 5,000 € paid on 02.05.2024 and 3,000 € on 01.08.2024; 1,000 € of the first used late, 1,000 € of the second never used. */
const lateUse = lateUseInterest({
  payouts: [
    { id: 'p1', valueDate: '2024-05-02', amountCents: 500_000 },
    { id: 'p2', valueDate: '2024-08-01', amountCents: 300_000 },
  ],
  uses: [
    { paidOn: '2024-06-10', amountCents: 400_000 },
    { paidOn: '2024-09-16', amountCents: 100_000 },
    { paidOn: '2024-09-20', amountCents: 200_000 },
  ],
  asOf: '2024-11-01',
  baseRates: PUBLISHED_BASE_RATES,
});

const claim: RepaymentClaimDocument = {
  referenceNumber: 'NE-2024-0017',
  date: '2025-07-15',
  organisation: { name: 'Raum der Kulturen Neuss e.V.', street: 'Further Straße 21', postalCode: '41462', city: 'Neuss' },
  contactName: 'Aylin Demir',
  clerkName: 'Jonas Becker',
  clerkPhone: '02131 90-2417',
  clerkEmail: 'jonas.becker@stadt.neuss.de',
  applicationTitle: 'Sprachcafé Erfttal',
  callTitle: 'Zusammenleben in der Nachbarschaft',
  callYear: 2024,
  submittedAt: '2024-02-12T08:15:00.000Z',
  requestedCents: 800_000,
  award: { amountCents: 800_000, date: '2024-04-15', referenceNumber: 'NE-2024-0017' },
  financeType: 'share',
  usageReport: { submittedOn: '2025-03-28', admittedOn: '2025-06-30' },
  reductions: ['Beleg Nr. 14 (Catering Abschlussfest, 250,00 €): nicht im Finanzierungsplan vorgesehen und nicht anerkannt.'],
  settlementLines: settlement.lines,
  dueCents: settlement.dueCents,
  paidCents: settlement.paidCents,
  repaymentCents: -settlement.differenceCents,
  revokedFrom: '2024-11-01',
  interest: { marginBasisPoints: 500, until: '2025-08-15', lines: interest.lines, totalCents: interest.totalCents },
  interestWaiver: null,
  lateUse: { windowMonths: 2, asOf: '2024-11-01', lines: lateUse.lines, totalCents: lateUse.totalCents },
  paymentDueDate: '2025-08-15',
  account: { name: 'Stadtkasse Neuss', iban: 'DE12305500000000123456', bic: 'WELADEDNXXX', paymentReference: 'NE-2024-0017 Rückforderung' },
  totalClaimedCents: 100_000 + interest.totalCents + lateUse.totalCents,
};

const waived: RepaymentClaimDocument = {
  ...claim,
  interest: null,
  lateUse: null,
  interestWaiver: 'Der Verein hat die Mittel nachweislich wegen der Erkrankung der Kursleiterin nicht verwenden können und die Abweichung selbst angezeigt.',
  totalClaimedCents: 100_000,
};

describe('repayment claim (Rückforderungsbescheid)', () => {
  it('rests on the rules’ figures used here', () => {
    expect(settlement.outcome).toBe('repayment');
    expect(interest.lines.map((line) => [line.from, line.to, line.days, line.ratePercentBasisPoints, line.interestCents])).toEqual([
      ['2024-11-01', '2024-12-31', 61, 837, 1_399],
      ['2025-01-01', '2025-06-30', 181, 727, 3_605],
      ['2025-07-01', '2025-08-14', 45, 627, 773],
    ]);
    expect(lateUse.lines.map((line) => [line.valueDate, line.from, line.to, line.days, line.amountCents, line.usedOn, line.interestCents])).toEqual([
      ['2024-05-02', '2024-07-03', '2024-09-15', 75, 100_000, '2024-09-16', 1_720],
      ['2024-08-01', '2024-10-02', '2024-10-31', 30, 100_000, null, 688],
    ]);
    expect(claim.totalClaimedCents).toBe(108_185);
  });

  it('revokes, reclaims in figures and words, and computes the interest line by line', async () => {
    const text = plain(await checkedPdf(await renderRepaymentClaimPdf(claim, 'de'), 'repayment-claim'));
    expect(text).toContain('Rückforderungsbescheid – Förderaufruf 2024: Zusammenleben in der Nachbarschaft, Aktenzeichen NE-2024-0017');
    expect(text).toContain('Guten Tag Aylin Demir,');
    expect(text).toContain('15.07.2025');
    // The operative part.
    expect(text).toContain(
      'Der Zuwendungsbescheid vom 15.04.2024 (Aktenzeichen NE-2024-0017) über 8.000,00 € wird nach § 49 Abs. 3 Satz 1 Nr. 1 VwVfG NRW mit Wirkung vom 01.11.2024 teilweise widerrufen, soweit die Zuwendung den Betrag von 7.000,00 € übersteigt.',
    );
    expect(text).toContain('Von den ausgezahlten 8.000,00 € sind nach § 49a Abs. 1 VwVfG NRW zu erstatten: 1.000,00 € (in Worten: eintausend Euro)');
    expect(text).toContain('vom 01.11.2024 an mit 5 Prozentpunkten über dem Basiszinssatz (§ 247 BGB) jährlich zu verzinsen');
    expect(text).toContain('Die Zinsen bis zum 14.08.2025 betragen 57,77 €.');
    expect(text).toContain('nicht innerhalb von 2 Monaten nach der Auszahlung für den Zuwendungszweck verwendet wurden, sind nach § 49a Abs. 4 VwVfG NRW Zinsen von 24,08 € zu zahlen.');
    expect(text).toContain('Insgesamt sind 1.081,85 € bis zum 15.08.2025 auf das unten genannte Konto zu zahlen.');
    // The settlement, line by line.
    expect(text).toContain('Schlussabrechnung');
    expect(text).toContain('Anerkannte zuwendungsfähige Ausgaben 8.750,00 €');
    expect(text).toContain('Anteil der Stadt Neuss 80 % der anerkannten Ausgaben, auf den Cent abgerundet 7.000,00 €');
    expect(text).toContain('Zuwendung nach Schlussabrechnung 7.000,00 €');
    expect(text).toContain('bereits ausgezahlt − 8.000,00 €');
    expect(text).toContain('Erstattungsbetrag 1.000,00 €');
    // The interest: each base rate its own line, with its days, rate and day basis.
    expect(text).toContain('Zinsberechnung (§ 49a Abs. 3 VwVfG NRW)');
    expect(text).toContain('01.11.2024 bis 31.12.2024 1.000,00 € × 8,37 % × 61 Tage ÷ 365 13,99 €');
    expect(text).toContain('01.01.2025 bis 30.06.2025 1.000,00 € × 7,27 % × 181 Tage ÷ 365 36,05 €');
    expect(text).toContain('01.07.2025 bis 14.08.2025 1.000,00 € × 6,27 % × 45 Tage ÷ 365 7,73 €');
    expect(text).toContain('Zinsen insgesamt 57,77 €');
    // Late use: per payout, the part used late and until when.
    expect(text).toContain('Zinsen für verspätet verwendete Mittel (§ 49a Abs. 4 VwVfG NRW)');
    expect(text).toContain('Auszahlung vom 02.05.2024, Frist bis 02.07.2024 03.07.2024 bis 15.09.2024');
    expect(text).toContain('verwendet am 16.09.2024: 1.000,00 € × 8,37 % × 75 Tage ÷ 365 17,20 €');
    expect(text).toContain('Auszahlung vom 01.08.2024, Frist bis 01.10.2024 02.10.2024 bis 31.10.2024');
    expect(text).toContain('bis 01.11.2024 nicht verwendet: 1.000,00 € × 8,37 % × 30 Tage ÷ 365 6,88 €');
    expect(text).toContain('Zinsen für verspätete Verwendung insgesamt 24,08 €');
    // The total and where to pay.
    expect(text).toContain('Erstattungsbetrag § 49a Abs. 1 VwVfG NRW 1.000,00 €');
    expect(text).toContain('Zinsen auf den Erstattungsbetrag bis 14.08.2025 § 49a Abs. 3 VwVfG NRW 57,77 €');
    expect(text).toContain('Zinsen für verspätete Verwendung § 49a Abs. 4 VwVfG NRW 24,08 €');
    expect(text).toContain('Zu zahlen insgesamt 1.081,85 €');
    expect(text).toContain('Empfänger Stadtkasse Neuss');
    expect(text).toContain('IBAN DE12 3055 0000 0000 1234 56');
    expect(text).toContain('BIC WELADEDNXXX');
    expect(text).toContain('Verwendungszweck NE-2024-0017 Rückforderung');
    expect(text).toContain('Zahlbar bis 15.08.2025');
    // Reasons: the usage report and the admitted figures, the revocation and the interest.
    expect(text).toContain('Sie haben den Verwendungsnachweis am 28.03.2025 vorgelegt.');
    expect(text).toContain('die Zahlen am 30.06.2025 anerkannt: zuwendungsfähige Ausgaben von 8.750,00 €');
    expect(text).toContain('(Anteilfinanzierung) ergibt sich daraus eine Zuwendung von 7.000,00 €; ausgezahlt wurden 8.000,00 €');
    expect(text).toContain(claim.reductions[0]);
    expect(text).toContain('Gründe, von der Verzinsung abzusehen, liegen nicht vor.');
    expect(text).toContain('eine Frist von 2 Monaten nach der Auszahlung bestimmt');
    // The same notice of legal remedy as the other decisions, and the sign-off.
    expect(text).toContain('Rechtsbehelfsbelehrung');
    expect(text).toContain('innerhalb eines Monats nach Bekanntgabe Klage beim Verwaltungsgericht Düsseldorf, Bastionstraße 39, 40213 Düsseldorf');
    expect(text).toContain('Im Auftrag Jonas Becker');
    expect(text).not.toContain('ENTWURF');
    expect(text).not.toContain('abgesehen:');
  });

  it('claims no interest when it is waived, and states the reason', async () => {
    const text = plain(await checkedPdf(await renderRepaymentClaimPdf(waived, 'de'), 'repayment-claim-waived'));
    expect(text).toContain('1.000,00 € (in Worten: eintausend Euro)');
    expect(text).toContain('Von der Verzinsung des Erstattungsbetrags wird nach § 49a Abs. 3 Satz 2 VwVfG NRW abgesehen; Zinsen werden nicht erhoben.');
    expect(text).toContain(`Von der Verzinsung wird nach § 49a Abs. 3 Satz 2 VwVfG NRW abgesehen: ${waived.interestWaiver}`);
    expect(text).toContain('Insgesamt sind 1.000,00 € bis zum 15.08.2025');
    expect(text).toContain('Zu zahlen insgesamt 1.000,00 €');
    for (const absent of ['Zinsberechnung', 'Basiszinssatz', 'Prozentpunkten', 'Zinsen insgesamt', '§ 49a Abs. 4', 'Gründe, von der Verzinsung abzusehen', '57,77 €']) {
      expect(text).not.toContain(absent);
    }
    expect(text).toContain('Rechtsbehelfsbelehrung');
  });

  it('explains a deficit financing that counts the planned own funds', async () => {
    const deficit = settle({
      financeType: 'deficit',
      sharePercent: null,
      awardedCents: 500_000,
      paidCents: 500_000,
      admittedCostsCents: 700_000,
      ownFundsCents: 50_000,
      plannedOwnFundsCents: 150_000,
      thirdPartyCents: 100_000,
      otherIncomeCents: 20_000,
    });
    const repayment = -deficit.differenceCents;
    const text = plain(
      await pdfText(
        await renderRepaymentClaimPdf(
          { ...waived, financeType: 'deficit', settlementLines: deficit.lines, dueCents: deficit.dueCents, paidCents: deficit.paidCents, repaymentCents: repayment, totalClaimedCents: repayment },
          'de',
        ),
      ),
    );
    expect(text).toContain('abzüglich Eigenmittel mindestens die Eigenmittel des Finanzierungsplans (1.500,00 €) − 1.500,00 €');
    expect(text).toContain('abzüglich Drittmittel − 1.000,00 €');
    expect(text).toContain('abzüglich sonstige Einnahmen − 200,00 €');
    expect(text).toContain('Fehlbedarf 4.300,00 €');
    expect(text).toContain('Erstattungsbetrag 700,00 €');
    expect(text).toContain('(in Worten: siebenhundert Euro)');
    expect(text).toContain('(Fehlbedarfsfinanzierung)');
  });

  it('refuses figures that do not add up and interest both claimed and waived', async () => {
    const refusals: [RepaymentClaimDocument, string][] = [
      [{ ...claim, totalClaimedCents: claim.totalClaimedCents + 1 }, 'total claimed'],
      [{ ...claim, repaymentCents: 99_999 }, 'refund'],
      [{ ...claim, interest: { ...claim.interest!, totalCents: 5_776 } }, 'interest lines'],
      [{ ...claim, lateUse: { ...claim.lateUse!, totalCents: 1 } }, 'late-use lines'],
      [{ ...claim, interest: { ...claim.interest!, until: '2025-08-16' } }, 'the day before the repayment day'],
      [{ ...claim, interestWaiver: 'Härtefall' }, 'either computed or waived'],
      [{ ...waived, interestWaiver: '  ' }, 'either computed or waived'],
      [{ ...waived, lateUse: claim.lateUse, totalClaimedCents: 100_000 + lateUse.totalCents }, 'interest is waived'],
      [{ ...claim, settlementLines: claim.settlementLines.slice(0, -1) }, 'does not end with the refund'],
    ];
    for (const [letter, message] of refusals) await expect(renderRepaymentClaimPdf(letter, 'de')).rejects.toThrow(message);
  });

  it('marks only the draft, on every page', async () => {
    const draft = await pdfPages(await renderRepaymentClaimPdf(claim, 'de', { draft: true }));
    expect(draft.length).toBeGreaterThanOrEqual(2);
    expect(draft[0]).toContain('ENTWURF – Vorschau der Geschäftsstelle. Dieser Bescheid ist noch nicht verschickt');
    for (const page of draft) expect(page).toContain('ENTWURF');
    const sent = await pdfText(await renderRepaymentClaimPdf(claim, 'de', { draft: false }));
    expect(sent).not.toContain('ENTWURF');
  });

  it('writes English as a courtesy translation', async () => {
    const text = plain(await checkedPdf(await renderRepaymentClaimPdf(claim, 'en'), 'repayment-claim-en'));
    expect(text).toContain('Repayment decision – call for proposals 2024: Zusammenleben in der Nachbarschaft, reference NE-2024-0017');
    expect(text).toContain('The grant decision of 15/04/2024 (reference NE-2024-0017) for €8,000.00 is partly revoked with effect from 01/11/2024');
    expect(text).toContain('€1,000.00 (in words: one thousand euros)');
    expect(text).toContain('01/11/2024 to 31/12/2024 €1,000.00 × 8.37 % × 61 days ÷ 365 €13.99');
    expect(text).toContain('01/07/2025 to 14/08/2025 €1,000.00 × 6.27 % × 45 days ÷ 365 €7.73');
    expect(text).toContain('Total interest €57.77');
    expect(text).toContain('Total payable €1,081.85');
    expect(text).toContain('Payable by 15/08/2025');
    expect(text).toContain('Administrative Court of Düsseldorf');
    expect(text).toContain('only the German version');
    const english = plain(await pdfText(await renderRepaymentClaimPdf(waived, 'en', { draft: true })));
    expect(english).toContain('DRAFT – Preview for the office.');
    expect(english).toContain(`no interest is charged: ${waived.interestWaiver}`);
  });

  it('renders by name, as the worker threads do', async () => {
    const pdf = Buffer.from(await renderDocument({ kind: 'repaymentClaim', args: [claim, 'de'] }));
    expect(plain(await pdfText(pdf))).toContain('1.081,85 €');
  });
});
