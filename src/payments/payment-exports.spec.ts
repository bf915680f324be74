import { describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import {
  DEFAULT_PAYMENT_CSV_COLUMNS, parsePaymentCsvColumns, paymentOrderCsv, sepaCreditTransfer, type Debtor, type PayoutLine,
} from './payment-exports.js';

const CITY: Debtor = { name: 'Stadt Neuss', iban: 'DE02 1203 0000 0000 2020 51', bic: 'BYLADEM1001' };

function line(overrides: Partial<PayoutLine>): PayoutLine {
  return {
    payoutId: '00000000-0000-4000-8000-000000000001',
    creditorName: 'Verein für Integration e.V.',
    iban: 'DE89370400440532013000',
    bic: 'COBADEFFXXX',
    amountCents: 123456,
    dueOn: '2027-01-31',
    budgetLine: '1.05.01/5318000',
    reference: 'NE-2027-0001',
    purpose: 'Zuwendung Integrationsförderung, 1. Rate',
    ...overrides,
  };
}

const A = line({ payoutId: '6f1c2b9a-1111-4aaa-8bbb-000000000001', amountCents: 1, reference: 'NE-2027-0003', dueOn: '2027-02-15' });
const B = line({
  payoutId: '6f1c2b9a-2222-4aaa-8bbb-000000000002', amountCents: 10, reference: 'NE-2027-0001',
  creditorName: 'Kultur; "Brücke" Neuss', iban: 'DE02500105170137075030', bic: null,
});
const C = line({ payoutId: '6f1c2b9a-3333-4aaa-8bbb-000000000003', amountCents: 20, reference: 'NE-2027-0002', purpose: '=Sprachkurs' });
const D = line({
  payoutId: '6f1c2b9a-4444-4aaa-8bbb-000000000004', amountCents: 99_999_999, reference: 'NE-2027-0004', dueOn: '2027-02-15',
  creditorName: 'Österreichischer Partnerverein', iban: 'AT61 1904 3002 3457 3201', bic: 'BKAUATWW',
});
const BATCH = [D, C, B, A];

/** RFC 4180 with semicolons: quoted cells may hold ";", '""' and line breaks. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ';') { row.push(cell); cell = ''; }
    else if (char === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += char;
  }
  return rows;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name) => ['PmtInf', 'CdtTrfTxInf'].includes(name),
});

function parsePain(xml: string) {
  const doc = parser.parse(xml).Document;
  return { doc, root: doc.CstmrCdtTrfInitn };
}

const transfer = (lines: PayoutLine[] = BATCH, messageId = 'NE-AUSZ-2027-0001') =>
  sepaCreditTransfer({ messageId, createdAt: new Date('2027-01-15T09:30:05Z'), debtor: CITY, lines });

describe('payment-order CSV', () => {
  it('has German headers, German amounts and dates, one row per payout in a fixed order', () => {
    const rows = parseCsv(paymentOrderCsv(BATCH));
    expect(rows[0]).toEqual(['Zahlungsempfänger', 'IBAN', 'Betrag (EUR)', 'Fällig am', 'Haushaltsstelle', 'Aktenzeichen', 'Verwendungszweck']);
    expect(rows).toHaveLength(5);
    // by due date, then Aktenzeichen
    expect(rows.slice(1).map((r) => r[5])).toEqual(['NE-2027-0001', 'NE-2027-0002', 'NE-2027-0003', 'NE-2027-0004']);
    expect(rows[1]).toEqual(['Kultur; "Brücke" Neuss', 'DE02500105170137075030', '0,10', '31.01.2027', '1.05.01/5318000', 'NE-2027-0001', 'Zuwendung Integrationsförderung, 1. Rate']);
    expect(rows[2][2]).toBe('0,20');
    expect(rows[2][6]).toBe("'=Sprachkurs");
    expect(rows[3][2]).toBe('0,01');
    expect(rows[3][3]).toBe('15.02.2027');
    expect(rows[4][0]).toBe('Österreichischer Partnerverein');
    expect(rows[4][1]).toBe('AT611904300234573201');
    expect(rows[4][2]).toBe('999.999,99');
    expect(parseCsv(paymentOrderCsv([line({ amountCents: 123456 })]))[1][2]).toBe('1.234,56');
  });

  it('takes its columns from the setting, in the order given', () => {
    const columns = parsePaymentCsvColumns(' payoutId, amount ,bic');
    expect(columns).toEqual(['payoutId', 'amount', 'bic']);
    const rows = parseCsv(paymentOrderCsv(BATCH, columns));
    expect(rows[0]).toEqual(['Auszahlungs-ID', 'Betrag (EUR)', 'BIC']);
    expect(rows[1]).toEqual(['6f1c2b9a-2222-4aaa-8bbb-000000000002', '0,10', '']);
    expect(rows[4]).toEqual(['6f1c2b9a-4444-4aaa-8bbb-000000000004', '999.999,99', 'BKAUATWW']);
    const all = parsePaymentCsvColumns('creditor,iban,bic,amount,dueOn,budgetLine,reference,purpose,payoutId');
    expect(parseCsv(paymentOrderCsv(BATCH, all))[0]).toEqual(['Zahlungsempfänger', 'IBAN', 'BIC', 'Betrag (EUR)', 'Fällig am', 'Haushaltsstelle', 'Aktenzeichen', 'Verwendungszweck', 'Auszahlungs-ID']);
  });

  it('uses the default columns without a setting and refuses unknown or repeated names', () => {
    expect(parsePaymentCsvColumns(undefined)).toEqual(['creditor', 'iban', 'amount', 'dueOn', 'budgetLine', 'reference', 'purpose']);
    expect(parsePaymentCsvColumns('  ')).toEqual([...DEFAULT_PAYMENT_CSV_COLUMNS]);
    expect(() => parsePaymentCsvColumns('creditor,amout,Betrag')).toThrow(/amout, Betrag/);
    expect(() => parsePaymentCsvColumns('amount,iban,amount')).toThrow(/amount/);
  });
});

describe('SEPA credit transfer (pain.001.001.09)', () => {
  it('holds the group header, one block per due date, and each payout with its amount, account and texts', () => {
    const xml = transfer();
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const { doc, root } = parsePain(xml);
    expect(doc['@xmlns']).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');

    expect(root.GrpHdr.MsgId).toBe('NE-AUSZ-2027-0001');
    expect(root.GrpHdr.CreDtTm).toBe('2027-01-15T10:30:05'); // Neuss time
    expect(root.GrpHdr.NbOfTxs).toBe('4');
    expect(root.GrpHdr.CtrlSum).toBe('1000000.30'); // 0,01 + 0,10 + 0,20 + 999.999,99
    expect(root.GrpHdr.InitgPty.Nm).toBe('Stadt Neuss');

    expect(root.PmtInf).toHaveLength(2);
    const [january, february] = root.PmtInf;
    expect(january.PmtInfId).toBe('NE-AUSZ-2027-0001-20270131');
    expect(january.PmtMtd).toBe('TRF');
    expect(january.ReqdExctnDt.Dt).toBe('2027-01-31');
    expect(january.NbOfTxs).toBe('2');
    expect(january.CtrlSum).toBe('0.30');
    expect(february.ReqdExctnDt.Dt).toBe('2027-02-15');
    expect(february.NbOfTxs).toBe('2');
    expect(february.CtrlSum).toBe('1000000.00');
    for (const block of root.PmtInf) {
      expect(block.Dbtr.Nm).toBe('Stadt Neuss');
      expect(block.DbtrAcct.Id.IBAN).toBe('DE02120300000000202051');
      expect(block.DbtrAgt.FinInstnId.BICFI).toBe('BYLADEM1001');
    }

    const [b, c] = january.CdtTrfTxInf;
    expect(b.PmtId.EndToEndId).toBe('6f1c2b9a22224aaa8bbb000000000002');
    expect(b.PmtId.InstrId).toBe('6f1c2b9a22224aaa8bbb000000000002');
    expect(b.Amt.InstdAmt['#text']).toBe('0.10');
    expect(b.Amt.InstdAmt['@Ccy']).toBe('EUR');
    expect(b.Cdtr.Nm).toBe("Kultur, 'Brücke' Neuss"); // SEPA's character set
    expect(b.CdtrAcct.Id.IBAN).toBe('DE02500105170137075030');
    expect(b.CdtrAgt).toBeUndefined(); // no BIC known: the bank finds it from the IBAN
    expect(b.RmtInf.Ustrd).toBe('NE-2027-0001 Zuwendung Integrationsförderung, 1. Rate');
    expect(c.Amt.InstdAmt['#text']).toBe('0.20');
    expect(c.CdtrAgt.FinInstnId.BICFI).toBe('COBADEFFXXX');
    expect(c.RmtInf.Ustrd).toBe('NE-2027-0002 Sprachkurs');

    const [a, d] = february.CdtTrfTxInf;
    expect(a.Amt.InstdAmt['#text']).toBe('0.01');
    expect(a.PmtId.EndToEndId).toBe('6f1c2b9a11114aaa8bbb000000000001');
    expect(d.Amt.InstdAmt['#text']).toBe('999999.99');
    expect(d.Cdtr.Nm).toBe('Österreichischer Partnerverein');
    expect(d.CdtrAcct.Id.IBAN).toBe('AT611904300234573201');
    expect(d.CdtrAgt.FinInstnId.BICFI).toBe('BKAUATWW');
  });

  it('adds up many small amounts exactly', () => {
    const lines = Array.from({ length: 30 }, (_, i) => line({ payoutId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, amountCents: 10 }));
    lines.push(line({ payoutId: '00000000-0000-4000-8000-100000000000', amountCents: 20 }));
    const { root } = parsePain(transfer(lines));
    expect(root.GrpHdr.NbOfTxs).toBe('31');
    expect(root.GrpHdr.CtrlSum).toBe('3.20');
    expect(root.PmtInf[0].CtrlSum).toBe('3.20');
    const sum = root.PmtInf[0].CdtTrfTxInf.reduce((cents: number, tx: any) => cents + Number(tx.Amt.InstdAmt['#text'].replace('.', '')), 0);
    expect(sum).toBe(320);
  });

  it('writes the same bytes for the same batch, in any order and in any server time zone', () => {
    const first = transfer();
    expect(transfer()).toBe(first);
    expect(transfer([A, B, C, D])).toBe(first);
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      expect(transfer()).toBe(first);
      process.env.TZ = 'Asia/Tokyo';
      expect(transfer()).toBe(first);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect(paymentOrderCsv([A, B, C, D])).toBe(paymentOrderCsv(BATCH));
  });

  it('keeps the Aktenzeichen and cuts the text to 140 characters the banks take', () => {
    const long = line({ purpose: `Zuwendung für das Café „Begegnung“ – 50 € Miete\nund ${'Material '.repeat(30)}` });
    const { root } = parsePain(transfer([long]));
    const text: string = root.PmtInf[0].CdtTrfTxInf[0].RmtInf.Ustrd;
    expect(text.length).toBeLessThanOrEqual(140);
    expect(text.startsWith("NE-2027-0001 Zuwendung für das Cafe 'Begegnung' - 50 EUR Miete und Material Material")).toBe(true);
    expect(text).toBe(text.trim());
    expect(text).toMatch(/^[A-Za-z0-9 '/:?,\-(+.)ÄÖÜäöüß&*$%]+$/);
  });

  it('keeps payment information ids within 35 characters for a long message id', () => {
    const messageId = 'NE-AUSZAHLUNG-2027-01-15-LAUF-00001';
    expect(messageId).toHaveLength(35);
    const { root } = parsePain(transfer(BATCH, messageId));
    expect(root.GrpHdr.MsgId).toBe(messageId);
    expect(root.PmtInf.map((block: any) => block.PmtInfId)).toEqual(['NE-AUSZAHLUNG-2027-01-15-L-20270131', 'NE-AUSZAHLUNG-2027-01-15-L-20270215']);
  });
});

describe('bad batches', () => {
  it('refuses an empty batch, amounts that are not positive integer cents, bad accounts and dates', () => {
    for (const run of [(lines: PayoutLine[]) => transfer(lines), (lines: PayoutLine[]) => paymentOrderCsv(lines)]) {
      expect(() => run([])).toThrow(/No payouts/);
      expect(() => run([line({ amountCents: 0 })])).toThrow(/amount/);
      expect(() => run([line({ amountCents: -500 })])).toThrow(/amount/);
      expect(() => run([line({ amountCents: 10.5 })])).toThrow(/amount/);
      expect(() => run([line({ amountCents: Number.NaN })])).toThrow(/amount/);
      expect(() => run([line({ iban: 'DE89370400440532013001' })])).toThrow(/IBAN/);
      expect(() => run([line({ iban: 'DE8937040044053201300' })])).toThrow(/IBAN/);
      expect(() => run([line({ bic: 'COBA' })])).toThrow(/BIC/);
      expect(() => run([line({ dueOn: '2027-02-30' })])).toThrow(/due date/);
      expect(() => run([line({ dueOn: '31.01.2027' })])).toThrow(/due date/);
      expect(() => run([line({ payoutId: 'not-a-uuid' })])).toThrow(/payoutId/);
      expect(() => run([line({}), line({})])).toThrow(/twice/);
      expect(() => run([line({ reference: ' ' })])).toThrow(/reference/);
    }
  });

  it('refuses a bad message id, creation time or debtor account', () => {
    const batch = { messageId: 'NE-1', createdAt: new Date('2027-01-15T09:30:05Z'), debtor: CITY, lines: [line({})] };
    expect(() => sepaCreditTransfer(batch)).not.toThrow();
    expect(() => sepaCreditTransfer({ ...batch, messageId: 'X'.repeat(36) })).toThrow(/messageId/);
    expect(() => sepaCreditTransfer({ ...batch, messageId: '/NE-1' })).toThrow(/messageId/);
    expect(() => sepaCreditTransfer({ ...batch, messageId: 'NE_1' })).toThrow(/messageId/);
    expect(() => sepaCreditTransfer({ ...batch, createdAt: new Date('nonsense') })).toThrow(/createdAt/);
    expect(() => sepaCreditTransfer({ ...batch, debtor: { ...CITY, iban: 'DE02120300000000202052' } })).toThrow(/debtor: invalid IBAN/);
    expect(() => sepaCreditTransfer({ ...batch, debtor: { ...CITY, bic: '' } })).toThrow(/debtor: invalid BIC/);
  });
});
