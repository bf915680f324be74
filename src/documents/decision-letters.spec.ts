import { describe, expect, it } from '@jest/globals';
import { checkedPdf, pdfPages, pdfText } from '../../test/support/pdf.js';
import { renderAwardLetterPdf } from './award-letter.pdf.js';
import { renderDecisionRejectionPdf } from './decision-rejection.pdf.js';
import type { AwardLetterDocument, DecisionLetterBase, DecisionRejectionDocument } from './document-types.js';
import renderDocument from './render-jobs.js';
import { plain } from '../../test/support/text.js';

const base: DecisionLetterBase = {
  referenceNumber: 'NE-2026-0042',
  date: '2027-01-12',
  organisation: { name: 'Raum der Kulturen Neuss e.V.', street: 'Further Straße 21', postalCode: '41462', city: 'Neuss' },
  contactName: 'Aylin Demir',
  clerkName: 'Jonas Becker',
  clerkPhone: '02131 90-2417',
  clerkEmail: 'jonas.becker@stadt.neuss.de',
  applicationTitle: 'Sprachcafé Erfttal',
  callTitle: 'Zusammenleben in der Nachbarschaft',
  callYear: 2026,
  submittedAt: '2026-09-12T08:15:00.000Z',
  requestedCents: 340_000,
};

const award: AwardLetterDocument = {
  ...base,
  amountCents: 300_100,
  purpose: 'Wöchentliches Sprachcafé im Bürgerhaus Erfttal für neu Zugewanderte und ihre Nachbarschaft',
  periodStart: '2027-02-01',
  periodEnd: '2027-11-30',
  financeType: 'share',
  sharePercent: 80,
  maxAmountCents: 1_500_000,
  financePlan: {
    costLines: [
      { category: 'Honorare', description: 'Sprachlehrerin, 40 Termine à 2 Stunden', amountCents: 320_000 },
      { category: 'Raummiete', description: 'Bürgerhaus Erfttal, 40 Nachmittage', amountCents: 120_000 },
      { category: 'Sachkosten', description: 'Lernmaterial und Getränke', amountCents: 45_000 },
    ],
    ownFundsCents: 60_000,
    thirdParty: [{ source: 'Bürgerstiftung Neuss', amountCents: 50_000, status: 'granted' }],
    totalCostsCents: 485_000,
  },
  specialConditions: ['Die Teilnehmendenlisten sind dem Verwendungsnachweis beizufügen.'],
  reportDueDate: '2028-02-29',
  paymentWindowMonths: 2,
  lineDeviationPercent: 20,
};

/** A plan of `count` cost lines, long enough to break across pages. */
function longPlan(count: number): AwardLetterDocument {
  const costLines = Array.from({ length: count }, (_, i) => ({
    category: ['Honorare', 'Raummiete', 'Sachkosten'][i % 3],
    description: `Kostenposition ${i + 1}: Honorar für Termine im Stadtteil`,
    amountCents: 10_000 + i,
  }));
  const totalCostsCents = costLines.reduce((sum, line) => sum + line.amountCents, 0);
  return { ...award, financePlan: { ...award.financePlan, costLines, totalCostsCents } };
}

const rejection: DecisionRejectionDocument = { ...base, reason: 'voted_down', reasonNote: null };

describe('award letter (Zuwendungsbescheid)', () => {
  it('states the grant in figures and words, purpose, period, finance type, plan, conditions, reasons and the legal remedy', async () => {
    const text = await checkedPdf(await renderAwardLetterPdf(award, 'de'), 'award');
    expect(text).toContain('Zuwendungsbescheid – Förderaufruf 2026: Zusammenleben in der Nachbarschaft, Aktenzeichen NE-2026-0042');
    expect(text).toContain('Guten Tag Aylin Demir,');
    expect(text).toContain('02131 90-2417');
    expect(text).toContain('jonas.becker@stadt.neuss.de');
    expect(text).toContain('auf Ihren Antrag vom 12.09.2026 bewillige ich Ihnen für das Vorhaben „Sprachcafé Erfttal“ eine Zuwendung in Höhe von 3.001,00 €');
    expect(text).toContain('(in Worten: dreitausendeins Euro)');
    expect(text).toContain('Projektförderung in Form eines nicht rückzahlbaren Zuschusses');
    expect(text).toContain(award.purpose);
    expect(text).toContain('01.02.2027 bis 30.11.2027');
    expect(text).toContain('12.01.2027');
    expect(text).toContain('Anteilfinanzierung: 80 % der zuwendungsfähigen Ausgaben, höchstens 15.000,00 €');
    // The plan: every line, the costs' total and the financing with the city's grant.
    for (const line of award.financePlan.costLines) expect(text).toContain(line.description);
    expect(text).toContain('Gesamtausgaben 4.850,00 €');
    expect(text).toContain('Eigenmittel 600,00 €');
    expect(text).toContain('Drittmittel: Bürgerstiftung Neuss bewilligt 500,00 €');
    expect(text).toContain('Zuwendung der Stadt Neuss dieser Bescheid 3.001,00 €');
    expect(text).toContain('Gesamtfinanzierung 4.101,00 €');
    // The conditions in plain language.
    expect(text).toContain('Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung (ANBest-P)');
    expect(text).toContain('um bis zu 20 % überschritten werden');
    expect(text).toContain('innerhalb von 2 Monaten nach der Auszahlung');
    expect(text).toContain('Den Verwendungsnachweis legen Sie bis zum 29.02.2028 vor');
    expect(text).toContain('Sachbericht');
    expect(text).toContain('zahlenmäßigen Nachweis');
    expect(text).toContain('Teilen Sie uns unverzüglich mit');
    expect(text).toContain('fünf Jahre');
    expect(text).toContain('Förderung durch die Stadt Neuss hin');
    expect(text).toContain('Besondere Nebenbestimmungen');
    expect(text).toContain(award.specialConditions[0]);
    // Reasons, with the lower amount explained, and the notice of legal remedy.
    expect(text).toContain('Begründung');
    expect(text).toContain('eine Förderung von 3.400,00 € beantragt');
    expect(text).toContain('Runde Tisch Integrationsförderung hat Ihr Vorhaben beraten und seine Förderung empfohlen');
    expect(text).toContain('Der bewilligte Betrag bleibt hinter dem beantragten zurück');
    expect(text).toContain('Rechtsbehelfsbelehrung');
    expect(text).toContain('innerhalb eines Monats nach Bekanntgabe Klage beim Verwaltungsgericht Düsseldorf, Bastionstraße 39, 40213 Düsseldorf');
    expect(text).toContain('§ 55a der Verwaltungsgerichtsordnung');
    expect(text).toContain('Im Auftrag Jonas Becker');
    expect(text).not.toContain('ENTWURF');
  });

  it('ends with the reply sheet for acceptance and waiver on a page of its own', async () => {
    const pages = await pdfPages(await renderAwardLetterPdf(award, 'de'));
    const last = pages.at(-1)!;
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(last).toContain('Rückantwort zum Zuwendungsbescheid');
    expect(last).toContain('Raum der Kulturen Neuss e.V. · Further Straße 21 · 41462 Neuss');
    expect(last).toContain('Markt 2 41460 Neuss');
    expect(last).toContain('Aktenzeichen NE-2026-0042');
    expect(last).toContain('Bescheid vom 12.01.2027');
    expect(plain(last)).toContain('☐ Wir nehmen den Zuwendungsbescheid vom 12.01.2027 über 3.001,00 € mit allen Nebenbestimmungen an.');
    expect(last).toContain('Rechtsbehelfsverzicht (freiwillig)');
    expect(last).toContain('☐ Wir verzichten auf Rechtsbehelfe gegen diesen Bescheid.');
    expect(last).toContain('Ort, Datum');
    expect(last).toContain('Rechtsverbindliche Unterschrift');
    expect(last).toContain(`Seite ${pages.length} von ${pages.length}`);
    // The letter itself ends before it: nothing of the sheet on the earlier pages.
    for (const page of pages.slice(0, -1)) expect(page).not.toContain('Rückantwort zum Zuwendungsbescheid');
    expect(pages.at(-2)).toContain('Jonas Becker');
  });

  it('repeats the finance plan header on every page a long plan breaks onto', async () => {
    const plan = longPlan(60);
    const pdf = await renderAwardLetterPdf(plan, 'de');
    const text = await checkedPdf(pdf, 'award-long-plan');
    const pages = await pdfPages(pdf);
    const withLines = pages.filter((page) => /Kostenposition \d+:/.test(page));
    expect(withLines.length).toBeGreaterThanOrEqual(2);
    for (const page of withLines) expect(page).toMatch(/Kostenart Beschreibung Betrag Honorare|Kostenart Beschreibung Betrag Raummiete|Kostenart Beschreibung Betrag Sachkosten/);
    // Every line once, in order, and the total after the last.
    const positions = [...text.matchAll(/Kostenposition (\d+):/g)].map((match) => Number(match[1]));
    expect(positions).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(text).toContain('Gesamtausgaben 6.017,70 €');
    expect(pages.at(-1)).toContain('Rückantwort zum Zuwendungsbescheid');
  });

  it('names each finance type with its figures', async () => {
    const deficit = await pdfText(await renderAwardLetterPdf({ ...award, financeType: 'deficit', sharePercent: null }, 'de'));
    expect(deficit).toContain('Fehlbedarfsfinanzierung, höchstens 15.000,00 €');
    expect(deficit).toContain('deckt den Betrag, um den die zuwendungsfähigen Ausgaben die Eigen- und Drittmittel übersteigen');
    const fixed = await pdfText(await renderAwardLetterPdf({ ...award, financeType: 'fixed', sharePercent: null, amountCents: 340_000 }, 'de'));
    expect(fixed).toContain('Festbetragsfinanzierung: 3.400,00 €');
    expect(fixed).toContain('(in Worten: dreitausendvierhundert Euro)');
    expect(fixed).not.toContain('bleibt hinter dem beantragten zurück');
    const oneMonth = await pdfText(await renderAwardLetterPdf({ ...award, paymentWindowMonths: 1 }, 'de'));
    expect(oneMonth).toContain('innerhalb eines Monats nach der Auszahlung');
    await expect(renderAwardLetterPdf({ ...award, sharePercent: null }, 'de')).rejects.toThrow('share percent');
  });

  it('marks only the draft, on every page', async () => {
    const draft = await pdfPages(await renderAwardLetterPdf(award, 'de', { draft: true }));
    expect(draft[0]).toContain('ENTWURF – Vorschau der Geschäftsstelle. Dieser Bescheid ist noch nicht verschickt');
    for (const page of draft) expect(page).toContain('ENTWURF');
    const sent = await pdfText(await renderAwardLetterPdf(award, 'de', { draft: false }));
    expect(sent).not.toContain('ENTWURF');
  });

  it('writes English as a courtesy translation', async () => {
    const pdf = await renderAwardLetterPdf(award, 'en');
    const text = await checkedPdf(pdf, 'award-en');
    const last = (await pdfPages(pdf)).at(-1)!;
    expect(last).toContain('Reply to the grant decision');
    expect(last).toContain('We waive all legal remedies against this decision.');
    expect(text).toContain('Grant decision – call for proposals 2026: Zusammenleben in der Nachbarschaft, reference NE-2026-0042');
    expect(text).toContain('€3,001.00');
    expect(text).toContain('(in words: three thousand and one euros)');
    expect(text).toContain('Proportional financing: 80 % of the eligible expenditure, at most €15,000.00');
    expect(text).toContain('01/02/2027 to 30/11/2027');
    expect(text).toContain('Administrative Court of Düsseldorf');
    expect(text).toContain('Reply to the grant decision');
    expect(text).toContain('only the German version');
  });
});

describe('rejection after the round table (Ablehnungsbescheid)', () => {
  it('gives the round table’s vote as the reason, with the legal remedy', async () => {
    const text = await checkedPdf(await renderDecisionRejectionPdf(rejection, 'de'), 'decision-rejection');
    expect(text).toContain('Ablehnungsbescheid – Förderaufruf 2026: Zusammenleben in der Nachbarschaft, Aktenzeichen NE-2026-0042');
    expect(text).toContain('Ihren Antrag vom 12.09.2026');
    expect(text).toContain('„Sprachcafé Erfttal“');
    expect(text).toContain('3.400,00 €');
    expect(text).toContain('12.01.2027');
    expect(text).toContain('lehne ich ab');
    expect(text).toContain('hat Ihren Antrag in seiner Sitzung beraten und nicht zur Förderung empfohlen');
    expect(text).not.toContain('höherem Rang');
    expect(text).toContain('ein Rechtsanspruch auf eine Zuwendung besteht nicht');
    expect(text).toContain('Verwaltungsgericht Düsseldorf, Bastionstraße 39, 40213 Düsseldorf');
    expect(text).toContain('02131 90-2417');
    expect(text).toContain('Im Auftrag Jonas Becker');
    expect(text).toContain('Seite 1 von 1');
    expect(text).not.toContain('ENTWURF');
  });

  it('explains a rank below the budget and adds the clerk’s note', async () => {
    const note = 'Ihr Vorhaben steht auf Rang 14; die Mittel reichten bis Rang 11.';
    const text = await checkedPdf(await renderDecisionRejectionPdf({ ...rejection, reason: 'below_budget', reasonNote: note }, 'de'), 'decision-rejection-budget');
    expect(text).toContain('hat Ihr Vorhaben zur Förderung empfohlen');
    expect(text).toContain('durch die Vorhaben mit höherem Rang vollständig gebunden');
    expect(text).toContain(note);
    expect(text).not.toContain('nicht zur Förderung empfohlen');
  });

  it('marks the draft and writes English', async () => {
    const draft = await pdfText(await renderDecisionRejectionPdf(rejection, 'de', { draft: true }));
    expect(draft).toContain('ENTWURF – Vorschau der Geschäftsstelle');
    const english = await checkedPdf(await renderDecisionRejectionPdf({ ...rejection, reason: 'below_budget' }, 'en', { draft: true }), 'decision-rejection-en');
    expect(english).toContain('DRAFT – Preview for the office.');
    expect(english).toContain('fully committed to projects ranked higher');
    expect(english).toContain('Administrative Court of Düsseldorf');
    expect(english).toContain('only the German version');
  });
});

describe('render jobs', () => {
  it('render both letters by name, as the worker threads do', async () => {
    const awardPdf = Buffer.from(await renderDocument({ kind: 'award', args: [award, 'de'] }));
    expect(await pdfText(awardPdf)).toContain('dreitausendeins Euro');
    const rejectionPdf = Buffer.from(await renderDocument({ kind: 'decisionRejection', args: [rejection, 'de', { draft: true }] }));
    expect(await pdfText(rejectionPdf)).toContain('ENTWURF');
  });
});
