import { describe, expect, it } from '@jest/globals';
import { checkedPdf, pdfText } from '../../test/support/pdf.js';
import { renderCallPdf } from './call.pdf.js';
import type { CallDocument } from '../calls/call.types.js';
import type { ReceiptDocument, RejectionDocument } from './document-types.js';
import { amountTable, createDocument, day, euro, fields, finish, heading, instant, paragraph, shapedRunCount } from './pdf.js';
import { renderReceiptPdf } from './receipt.pdf.js';
import { renderRejectionLetterPdf } from './rejection-letter.pdf.js';
import { letterKeys, letterText } from './texts.js';

const call: CallDocument = {
  year: 2026,
  title: 'Zusammenleben in der Nachbarschaft',
  description:
    'Der Runde Tisch Integrationsförderung fördert Vorhaben, die Begegnung, Teilhabe und Mehrsprachigkeit in den Neusser Stadtteilen stärken.',
  budgetCents: 12_000_000,
  fieldsOfAction: ['Sprache und Bildung', 'Begegnung und Nachbarschaft', 'Teilhabe am Arbeitsmarkt'],
  submissionDeadline: '2026-09-30T21:59:59.000Z',
  fundingPeriodStart: '2027-01-01',
  fundingPeriodEnd: '2027-12-31',
  financeType: 'share',
  sharePercent: 80,
  maxAmountCents: 1_500_000,
  minOwnContributionPercent: 10,
  costCategories: ['Honorare', 'Sachkosten', 'Raummiete', 'Öffentlichkeitsarbeit'],
  requiredAttachments: ['Satzung', 'Freistellungsbescheid des Finanzamts', 'Kosten- und Finanzierungsplan'],
  declarations: ['Mit dem Vorhaben wurde noch nicht begonnen.', 'Die Angaben sind vollständig und richtig.'],
  reportDueMonths: 3,
};

const organisation = { name: 'Raum der Kulturen Neuss e.V.', street: 'Further Straße 21', postalCode: '41462', city: 'Neuss' };

const receipt: ReceiptDocument = {
  referenceNumber: 'NE-2026-0042',
  submittedAt: '2026-09-12T08:15:00.000Z',
  submissionNumber: 2,
  callTitle: call.title,
  callYear: 2026,
  organisation,
  applicantName: 'Aylin Demir',
  title: 'Sprachcafé Erfttal',
  fieldOfAction: 'Sprache und Bildung',
  targetGroup: 'Neu zugewanderte Erwachsene und ihre Nachbarinnen und Nachbarn',
  district: 'Erfttal',
  startDate: '2027-02-01',
  endDate: '2027-11-30',
  description:
    'Wöchentliches Sprachcafé im Bürgerhaus Erfttal: Ehrenamtliche üben mit neu Zugewanderten Deutsch im Alltag, ' +
    'begleitet von einer Sprachlehrerin. Dazu kommen vier Ausflüge zu Einrichtungen im Stadtteil.',
  goals: 'Alltagsdeutsch verbessern, Kontakte in der Nachbarschaft knüpfen, Angebote im Stadtteil bekannt machen.',
  methods: 'Gesprächsrunden in kleinen Gruppen, Tandems, Ausflüge, ein Abschlussfest mit allen Beteiligten.',
  expectedParticipants: 45,
  openness: 'Offen für alle Interessierten, unabhängig von Herkunft und Religion; ohne Anmeldung.',
  costLines: [
    { category: 'Honorare', description: 'Sprachlehrerin, 40 Termine à 2 Stunden', amountCents: 320_000 },
    { category: 'Raummiete', description: 'Bürgerhaus Erfttal, 40 Nachmittage', amountCents: 120_000 },
    { category: 'Sachkosten', description: 'Lernmaterial und Getränke', amountCents: 45_000 },
  ],
  ownFundsCents: 60_000,
  thirdPartyFunding: [
    { source: 'Bürgerstiftung Neuss', amountCents: 50_000, status: 'granted' },
    { source: 'Sparkassenstiftung', amountCents: 35_000, status: 'applied' },
  ],
  requestedCents: 340_000,
  totalCostsCents: 485_000,
  attachments: [
    { filename: 'Satzung.pdf', kind: 'Satzung', sha256: '3f2a9c0d41b7e8f65a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a' },
    { filename: 'Freistellungsbescheid-2025.pdf', kind: 'Freistellungsbescheid', sha256: 'b41c7e2f90a3d5c6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e' },
  ],
  declarations: ['Mit dem Vorhaben wurde noch nicht begonnen.', 'Die Angaben sind vollständig und richtig.'],
};

const rejection: RejectionDocument = {
  referenceNumber: 'NE-2026-0042',
  date: '2026-10-15',
  organisation,
  contactName: 'Aylin Demir',
  applicationTitle: 'Sprachcafé Erfttal',
  callTitle: call.title,
  callYear: 2026,
  submittedAt: '2026-09-12T08:15:00.000Z',
  requestedCents: 485_000,
  reason:
    'Der Freistellungsbescheid des Finanzamts ist am 31.12.2024 abgelaufen; die Gemeinnützigkeit des Trägers ist damit nicht nachgewiesen.',
  clerkName: 'Jonas Becker',
};


describe('letter texts', () => {
  it('have the same keys in German and English', () => {
    expect(letterKeys('en').sort()).toEqual(letterKeys('de').sort());
  });

  it('refuse unknown keys and missing parameters', () => {
    expect(() => letterText('de', 'no.such.key')).toThrow();
    expect(() => letterText('de', 'receipt.subject')).toThrow();
  });
});

describe('formatting', () => {
  it('writes amounts, days and instants the German and the British way', () => {
    expect(euro(123_456, 'de')).toBe('1.234,56\u00a0€');
    expect(euro(123_456, 'en')).toBe('€1,234.56');
    expect(day('2026-09-30', 'de')).toBe('30.09.2026');
    expect(day('2026-09-30', 'en')).toBe('30/09/2026');
    expect(instant('2026-09-30T21:59:59.000Z', 'de')).toBe('30.09.2026, 23:59 Uhr');
    expect(instant('2026-09-30T21:59:59.000Z', 'en')).toBe('30/09/2026, 23:59');
    expect(instant('2026-12-31T23:30:00.000Z', 'de')).toBe('01.01.2027, 00:30 Uhr');
  });
});

describe('PDF documents', () => {
  it('renders the call for proposals', async () => {
    const text = await checkedPdf(await renderCallPdf(call, 'de'), 'call');
    expect(text).toContain('Förderaufruf 2026: Zusammenleben in der Nachbarschaft');
    expect(text).toContain('120.000,00 €');
    expect(text).toContain('15.000,00 €');
    expect(text).toContain('30.09.2026, 23:59 Uhr');
    expect(text).toContain('01.01.2027 bis 31.12.2027');
    expect(text).toContain('Anteilfinanzierung');
    expect(text).toContain('80 %');
    expect(text).toContain('Verwendungsnachweis');
    expect(text).toContain('3 Monate nach Ende des Förderzeitraums');
    for (const item of [...call.fieldsOfAction, ...call.costCategories, ...call.requiredAttachments]) expect(text).toContain(item);
    expect(text).toContain('Seite 1 von');
  });

  it('renders the receipt with the application as submitted', async () => {
    const text = await checkedPdf(await renderReceiptPdf(receipt, 'de'), 'receipt');
    expect(text).toContain('Eingangsbestätigung Ihres Antrags NE-2026-0042');
    expect(text).toContain('(erneute Einreichung Nr. 2)');
    expect(text).toContain('12.09.2026, 10:15 Uhr');
    expect(text).toContain('Raum der Kulturen Neuss e.V.');
    for (const line of receipt.costLines) {
      expect(text).toContain(line.description);
      expect(text).toContain(euro(line.amountCents, 'de').replace('\u00a0', ' '));
    }
    expect(text).toContain('4.850,00 €');
    expect(text).toContain('3.400,00 €');
    expect(text).toContain('Bürgerstiftung Neuss');
    expect(text).toContain('bewilligt');
    expect(text).toContain('beantragt');
    expect(text).toContain('Satzung.pdf');
    expect(text).toContain('3f2a9c0d41b7e8f6');
    expect(text).not.toContain('3f2a9c0d41b7e8f65');
    expect(text).toContain('Mit dem Vorhaben wurde noch nicht begonnen.');
    expect(text).toContain('Seite 1 von');
  });

  it('renders the rejection letter', async () => {
    const text = await checkedPdf(await renderRejectionLetterPdf(rejection, 'de'), 'rejection');
    expect(text).toContain('Ihr Antrag NE-2026-0042 auf Förderung aus dem Förderaufruf 2026: Ablehnung');
    expect(text).toContain('Guten Tag Aylin Demir,');
    expect(text).toContain('4.850,00 €');
    expect(text).toContain('12.09.2026');
    expect(text).toContain('15.10.2026');
    expect(text).toContain(rejection.reason);
    expect(text).toContain('Verwaltungsgericht Düsseldorf');
    expect(text).toContain('Mit freundlichen Grüßen');
    expect(text).toContain('Im Auftrag');
    expect(text).toContain('Jonas Becker');
    expect(text).toContain('Seite 1 von 1');
  });

  it('marks the preview of a rejection letter as a draft on every page, in both languages; the letter sent carries no mark', async () => {
    const long = { ...rejection, reason: Array.from({ length: 40 }, () => rejection.reason).join(' ') };
    const draft = await checkedPdf(await renderRejectionLetterPdf(long, 'de', { draft: true }), 'rejection-draft');
    expect(draft).toContain('ENTWURF – Vorschau der Geschäftsstelle. Dieser Bescheid ist noch nicht verschickt');
    expect(draft).toContain('Seite 2 von');
    expect(draft.match(/ENTWURF/g)!.length).toBeGreaterThanOrEqual(3);
    const english = await checkedPdf(await renderRejectionLetterPdf(rejection, 'en', { draft: true }), 'rejection-draft-en');
    expect(english).toContain('DRAFT – Preview for the office.');
    expect(english).toContain('only the German version');
    expect(await pdfText(await renderRejectionLetterPdf(rejection, 'de'))).not.toContain('ENTWURF');
  });

  it('greets without a contact person and writes English as a courtesy translation', async () => {
    const german = await pdfText(await renderRejectionLetterPdf({ ...rejection, contactName: null }, 'de'));
    expect(german).toContain('Sehr geehrte Damen und Herren,');
    const english = await checkedPdf(await renderRejectionLetterPdf(rejection, 'en'), 'rejection-en');
    expect(english).toContain('€4,850.00');
    expect(english).toContain('Page 1 of 1');
    expect(english).toContain('only the German version');
  });
});

describe('fonts', () => {
  it('sets up each font once per document, however often the text switches between them', async () => {
    const pdf = createDocument({ title: 'Fonts', lang: 'de' });
    for (let n = 0; n < 20; n++) {
      heading(pdf, `Abschnitt ${n}`);
      paragraph(pdf, 'Regular text after a bold heading.');
      fields(pdf, [['Label', 'Value']]);
      // A table's bold cells switch fonts, and pdfkit switches back after each cell.
      amountTable(pdf, { header: ['Posten', '', 'Betrag'], rows: [['Honorare', '', euro(1000, 'de')]], totals: [['Summe', euro(1000, 'de')]] });
    }
    const text = await checkedPdf(await finish(pdf), 'fonts');
    expect(text).toContain('Abschnitt 19');
    // pdfkit numbers every font it opens (F1, F2, …): two fonts, Regular and Bold, opened once each.
    expect((pdf.doc as unknown as { _fontCount: number })._fontCount).toBe(2);
  });

  it('shapes the words of a document once: the next document of the same kind reuses them and reads the same', async () => {
    const first = await pdfText(await renderReceiptPdf(receipt, 'de'));
    const before = shapedRunCount();
    const second = await pdfText(await renderReceiptPdf(receipt, 'de'));
    expect(shapedRunCount()).toBe(before);
    expect(second).toBe(first);
    expect(second).toContain(receipt.referenceNumber);
  });
});
