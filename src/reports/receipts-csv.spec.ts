import { describe, expect, it } from '@jest/globals';
import { decodeReceiptCsv, parseReceiptCsv, receiptTemplateCsv } from './receipts-csv.js';

const HEADER = 'Belegdatum;Empfänger;Zweck;Betrag (EUR);Kostenposition;Bezahlt am';

describe('receipt list from CSV', () => {
  it('reads the downloadable template back, BOM and German numbers included', () => {
    const { lines, problems } = parseReceiptCsv(receiptTemplateCsv(), 3);
    expect(problems).toEqual([]);
    expect(lines).toEqual([{ date: '2027-02-15', payee: 'Muster-Druckerei GmbH', purpose: 'Flyer für das Sprachcafé', amountCents: 12_345, costLine: 2, paidOn: '2027-02-20' }]);
  });

  it('reads a spreadsheet export with quotes, thousands and ISO dates', () => {
    const csv = `${HEADER}\r\n01.03.2027;"Raum; Miete GmbH";Saalmiete März;1.200,00;1;2027-03-05\r\n2.3.2027;Kursleitung A.;Honorar;450;2;03.03.2027\r\n`;
    const { lines, problems } = parseReceiptCsv(csv, 2);
    expect(problems).toEqual([]);
    expect(lines.map((l) => [l.date, l.payee, l.amountCents, l.costLine, l.paidOn])).toEqual([
      ['2027-03-01', 'Raum; Miete GmbH', 120_000, 1, '2027-03-05'],
      ['2027-03-02', 'Kursleitung A.', 45_000, 2, '2027-03-03'],
    ]);
  });

  it('names the line and column of every cell it cannot read, and takes nothing', () => {
    const csv = [
      HEADER,
      '31.02.2027;Druckerei;Flyer;12,50;1;01.03.2027',
      '01.03.2027;;Flyer;-3,00;9;01.03.2027',
      '01.03.2027;Druckerei;Flyer;12,505;1;gestern',
      '01.03.2027;Druckerei;Flyer',
      '01.03.2027;Druckerei;Flyer;10,00;1;01.03.2027',
    ].join('\n');
    const { lines, problems } = parseReceiptCsv(csv, 2);
    expect(lines).toEqual([]);
    expect(problems).toEqual([
      { line: 2, column: 'Belegdatum', code: 'date' },
      { line: 3, column: 'Empfänger', code: 'missing' },
      { line: 3, column: 'Betrag (EUR)', code: 'amount' },
      { line: 3, column: 'Kostenposition', code: 'costLine' },
      { line: 4, column: 'Bezahlt am', code: 'date' },
      { line: 4, column: 'Betrag (EUR)', code: 'amount' },
      { line: 5, column: '', code: 'columns' },
    ]);
  });

  it('reads Excel\'s export: empty columns after the six, rows of only semicolons, Windows-1252; lines named as in the file', () => {
    const csv = `${HEADER};;\r\n01.03.2027;Druckerei;Flyer;12,50;1;01.03.2027;;\r\n;;;;;;;\r\n\r\n02.03.2027;Müller;Flyer;7,50;1;02.03.2027\r\n;;;;;\r\n`;
    const text = decodeReceiptCsv(Buffer.from(csv, 'latin1'));
    expect(text).toBe(csv);
    expect(parseReceiptCsv(text!, 1)).toEqual({ problems: [], lines: [
      { date: '2027-03-01', payee: 'Druckerei', purpose: 'Flyer', amountCents: 1250, costLine: 1, paidOn: '2027-03-01' },
      { date: '2027-03-02', payee: 'Müller', purpose: 'Flyer', amountCents: 750, costLine: 1, paidOn: '2027-03-02' },
    ] });
    expect(parseReceiptCsv(`${HEADER}\n;;;;;\n\n01.03.2027;;Flyer;12,50;1;01.03.2027;\n01.03.2027;Druckerei;Flyer;12,50;1;x;wer\n`, 1).problems).toEqual([
      { line: 4, column: 'Empfänger', code: 'missing' },
      { line: 5, column: '', code: 'columns' },
    ]);
    expect(decodeReceiptCsv(Buffer.from(`\uFEFF${HEADER}`, 'utf16le'))).toBeNull();
  });

  it('reads a comma-separated file with the amounts quoted', () => {
    const csv = `${HEADER.replaceAll(';', ',')}\n01.03.2027,Druckerei,Flyer,"1.234,56",1,02.03.2027\n`;
    expect(parseReceiptCsv(csv, 1).lines.map((l) => l.amountCents)).toEqual([123_456]);
  });

  it('refuses a file without the template header, an empty one and broken quoting', () => {
    expect(parseReceiptCsv('Datum;Betrag\n01.03.2027;5,00', 1).problems).toEqual([{ line: 1, column: '', code: 'header' }]);
    expect(parseReceiptCsv('', 1).problems).toEqual([{ line: 1, column: '', code: 'empty' }]);
    expect(parseReceiptCsv(`${HEADER}\n`, 1).problems).toEqual([{ line: 2, column: '', code: 'empty' }]);
    expect(parseReceiptCsv(`${HEADER}\n01.03.2027;"Druckerei;Flyer;5,00;1;01.03.2027`, 1).problems[0].code).toBe('unreadable');
  });
});
