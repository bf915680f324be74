import { create as parseFont } from 'fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { DocumentLanguage } from './document-types.js';
import { letterText } from './texts.js';
import { formatRating } from '../common/ratings.js';

const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
/**
 * Read and parsed once per process (per worker thread), and shared by every document: pdfkit takes
 * a parsed fontkit font as the source, keeps its subset per document, and the tables fontkit decodes
 * on first use (glyph shapes, kerning, ligatures) stay decoded for the next document. Registered
 * under a path, pdfkit would read and parse the 740 KB file again on almost every switch to the font.
 */
const FONTS = {
  Regular: parseFont(readFileSync(join(FONT_DIR, 'DejaVuSans.ttf'))) as PDFKit.Mixins.PDFFontSource,
  Bold: parseFont(readFileSync(join(FONT_DIR, 'DejaVuSans-Bold.ttf'))) as PDFKit.Mixins.PDFFontSource,
};
/** Shaped runs kept per font; far more than the words of any document, few enough to stay small. */
const MAX_SHAPED_RUNS = 20_000;
let shaped = 0;

/** How many runs of text fontkit has shaped in this thread so far (for the tests). */
export function shapedRunCount(): number {
  return shaped;
}

/**
 * fontkit shapes every word anew (ligatures, kerning) for each document, and that shaping was most
 * of a receipt's rendering time. The words of letters repeat from one document to the next (labels,
 * names, amounts), so each font keeps the runs it shaped. A run goes out as a copy with its own
 * positions, because pdfkit scales a run's positions in place.
 */
function keepShapedRuns(font: PDFKit.Mixins.PDFFontSource): void {
  type Run = { positions: object[] };
  const target = font as unknown as { layout: (...args: unknown[]) => Run };
  const layout = target.layout.bind(target);
  const runs = new Map<string, Run>();
  target.layout = (...args: unknown[]) => {
    const key = args.length > 1 ? JSON.stringify(args) : String(args[0]);
    let run = runs.get(key);
    if (!run) {
      if (runs.size >= MAX_SHAPED_RUNS) runs.clear();
      run = layout(...args);
      shaped += 1;
      runs.set(key, run);
    }
    return Object.assign(Object.create(Object.getPrototypeOf(run) as object) as Run, run, { positions: run.positions.map((position) => ({ ...position })) });
  };
}
for (const font of Object.values(FONTS)) keepShapedRuns(font);

const FONT_NAMES = new Map<unknown, keyof typeof FONTS>([
  [FONTS.Regular, 'Regular'],
  [FONTS.Bold, 'Bold'],
]);

const LOCALE = { de: 'de-DE', en: 'en-GB' } as const;
const BERLIN = 'Europe/Berlin';

/** Millimetres in PDF points. */
const mm = (value: number) => (value * 72) / 25.4;

const PAGE_WIDTH = mm(210);
const MARGINS = { top: mm(20), bottom: mm(27), left: mm(25), right: mm(20) };
const TEXT_WIDTH = PAGE_WIDTH - MARGINS.left - MARGINS.right;
const GREY = '#555555';
const SIZE = { small: 7, label: 8, body: 10 };
const HEADING_SIZE = { 1: 15, 2: 11.5, 3: 10 };

type Params = Record<string, unknown>;

export interface Pdf {
  readonly doc: PDFKit.PDFDocument;
  readonly lang: DocumentLanguage;
  /** Root of the structure tree: every text is tagged below it, so screen readers get headings, lists and tables. */
  readonly root: PDFKit.PDFStructureElement;
  /** A text of the letter templates in the document's language. */
  t(key: string, params?: Params): string;
}

export function createDocument(options: { title: string; lang: DocumentLanguage }): Pdf {
  const { title, lang } = options;
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    subset: 'PDF/A-2b',
    pdfVersion: '1.7',
    tagged: true,
    lang: lang === 'de' ? 'de-DE' : 'en-GB',
    displayTitle: true,
    info: { Title: title, Author: 'Stadt Neuss – Integrationsamt' },
    bufferPages: true,
    // No start font: pdfkit's default is Helvetica, a standard 14 font that PDF/A forbids (not
    // embedded). The first font set is 'Regular', so pdfkit caches each font under the name used
    // afterwards; a start font given otherwise would be cached under another key and set up again on
    // every doc.font('Regular').
    font: '',
  });
  doc.registerFont('Regular', FONTS.Regular).registerFont('Bold', FONTS.Bold);
  // pdfkit restores a font after a table cell by its source (the parsed font), which it does not
  // cache: mapped back to the registered name, every switch finds the font set up for this document.
  const select = doc.font.bind(doc) as (src: PDFKit.Mixins.PDFFontSource, family?: string | number, size?: number) => PDFKit.PDFDocument;
  doc.font = ((src: PDFKit.Mixins.PDFFontSource, family?: string | number, size?: number) => select(FONT_NAMES.get(src) ?? src, family, size)) as typeof doc.font;
  doc.font('Regular').fontSize(SIZE.body);
  const root = doc.struct('Document');
  doc.addStructure(root);
  return { doc, lang, root, t: (key, params) => letterText(lang, key, params) };
}

export function toBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** One formatter per language and kind, made once: building an Intl formatter costs more than using it. */
const perLanguage = <T>(make: (locale: string) => T): Record<DocumentLanguage, T> => ({ de: make(LOCALE.de), en: make(LOCALE.en) });
const EURO = perLanguage((locale) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }));
const DECIMAL = perLanguage((locale) => new Intl.NumberFormat(locale));
const DAY = perLanguage((locale) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }));
const TIME = perLanguage((locale) => new Intl.DateTimeFormat(locale, { timeZone: BERLIN, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }));
/** The Swedish format is ISO (YYYY-MM-DD). */
const ISO_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: BERLIN });

/** "1.234,56 €" or "€1,234.56"; the no-break space keeps the amount and € on one line. */
export function euro(cents: number, lang: DocumentLanguage): string {
  return EURO[lang].format(cents / 100);
}

export function decimal(value: number, lang: DocumentLanguage): string {
  return DECIMAL[lang].format(value);
}

/** A calendar day "2026-09-30" as "30.09.2026" or "30/09/2026". */
export function day(ymd: string, lang: DocumentLanguage): string {
  return DAY[lang].format(new Date(`${ymd}T00:00:00Z`));
}

/** The calendar day of an instant in Neuss, as YYYY-MM-DD. */
export function dayOf(iso: string): string {
  return ISO_DAY.format(new Date(iso));
}

/** An instant as "30.09.2026, 23:59 Uhr" or "30/09/2026, 23:59", in Neuss time. */
export function instant(iso: string, lang: DocumentLanguage): string {
  return letterText(lang, 'format.instant', { date: day(dayOf(iso), lang), time: TIME[lang].format(new Date(iso)) });
}

/** Starts a new page unless `height` points still fit, so headings and closings stay with what follows. */
export function keepTogether(pdf: Pdf, height: number): void {
  if (pdf.doc.y + height > pdf.doc.page.maxY()) pdf.doc.addPage();
}

export function heading(pdf: Pdf, text: string, level: 1 | 2 | 3 = 2): void {
  const { doc } = pdf;
  if (level > 1) {
    doc.moveDown(level === 2 ? 0.8 : 0.3);
    keepTogether(pdf, 60);
  }
  doc.font('Bold').fontSize(HEADING_SIZE[level]).fillColor('black');
  doc.text(text, MARGINS.left, doc.y, { width: TEXT_WIDTH, structParent: pdf.root, structType: `H${level}`, paragraphGap: 5 });
  doc.font('Regular').fontSize(SIZE.body);
}

export function paragraph(pdf: Pdf, text: string, options: { gap?: number; small?: boolean } = {}): void {
  const { doc } = pdf;
  doc.font('Regular').fontSize(options.small ? SIZE.label : SIZE.body).fillColor(options.small ? GREY : 'black');
  doc.text(text, MARGINS.left, doc.y, {
    width: TEXT_WIDTH,
    lineGap: 1.5,
    paragraphGap: options.gap ?? 8,
    structParent: pdf.root,
    structType: 'P',
  });
  doc.fontSize(SIZE.body).fillColor('black');
}

/** Label and value side by side, tagged as a table of row headers and cells. */
export function fields(pdf: Pdf, rows: [label: string, value: string][]): void {
  const { doc } = pdf;
  // As wide as the longest label, so that no label breaks inside a word.
  const longest = Math.max(...rows.map(([label]) => doc.font('Bold').fontSize(SIZE.body).widthOfString(label)));
  const labelWidth = Math.min(longest + mm(5), TEXT_WIDTH * 0.4);
  const valueWidth = TEXT_WIDTH - labelWidth;
  const table = doc.struct('Table');
  pdf.root.add(table);
  for (const [label, value] of rows) {
    const labelHeight = doc.font('Bold').heightOfString(label, { width: labelWidth - mm(4) });
    const valueHeight = doc.font('Regular').heightOfString(value, { width: valueWidth, lineGap: 1.5 });
    keepTogether(pdf, Math.min(Math.max(labelHeight, valueHeight), 80));
    const row = doc.struct('TR');
    table.add(row);
    const y = doc.y;
    const page = doc.page;
    doc.font('Bold').text(label, MARGINS.left, y, { width: labelWidth - mm(4), structParent: row, structType: 'TH' });
    doc.font('Regular').text(value, MARGINS.left + labelWidth, y, { width: valueWidth, lineGap: 1.5, structParent: row, structType: 'TD' });
    row.end();
    // A long value may have moved on to the next page; otherwise the taller of the two sets the next row.
    if (doc.page === page) doc.y = Math.max(doc.y, y + labelHeight);
    doc.y += 4;
  }
  table.end();
  doc.x = MARGINS.left;
  doc.moveDown(0.4);
}

export function list(pdf: Pdf, items: string[]): void {
  const { doc } = pdf;
  if (items.length === 0) return paragraph(pdf, '–');
  const element = doc.struct('L');
  pdf.root.add(element);
  doc.font('Regular').fontSize(SIZE.body).fillColor('black');
  doc.list(items, MARGINS.left + mm(1), doc.y, {
    width: TEXT_WIDTH - mm(1),
    bulletRadius: 1.6,
    textIndent: mm(5),
    lineGap: 1.5,
    paragraphGap: 3,
    structParent: element,
  });
  element.end();
  doc.x = MARGINS.left;
  doc.moveDown(0.4);
}

/**
 * A table whose last column holds amounts (right-aligned); `totals` rows are bold, their label
 * spanning the first two columns. When the table breaks, its header row starts every further page.
 */
export function amountTable(pdf: Pdf, table: { header: string[]; rows: string[][]; totals: [string, string][] }): void {
  const { doc } = pdf;
  const bold = { src: 'Bold' };
  const rule = (width: number) => ({ top: 0, right: 0, bottom: width, left: 0 });
  keepTogether(pdf, 60);
  headedTable(pdf, {
    layout: {
      maxWidth: TEXT_WIDTH,
      columnStyles: [mm(58), '*', { width: mm(32), align: { x: 'right', y: 'top' } }],
      defaultStyle: { border: rule(0.4), borderColor: '#9a9a9a', padding: [3, 4] },
    },
    fontSize: SIZE.body - 0.5,
    header: table.header.map((text) => ({ text, type: 'TH' as const, font: bold, border: rule(1), borderColor: 'black' })),
    rows: [
      ...table.rows,
      ...table.totals.map(([label, amount]) => [
        { text: label, colSpan: 2, font: bold, border: rule(1), borderColor: 'black' },
        { text: amount, font: bold, border: rule(1), borderColor: 'black' },
      ]),
    ],
  });
  doc.x = MARGINS.left;
  doc.font('Regular').fontSize(SIZE.body).moveDown(0.8);
}

/**
 * A tagged table at the left margin whose header row starts every page it breaks onto (pdfkit 0.20
 * draws a header once). The copies are untagged artifacts, so the structure tree has the header
 * once. pdfkit moves a row that does not fit to the page's top margin; the margin of each page the
 * table reaches is therefore lowered by the header's height while the table is drawn, and the
 * copy fills the space above.
 */
export function headedTable(pdf: Pdf, table: { layout: PDFKit.Mixins.TableOptions; fontSize: number; header: Cell[]; rows: Cell[][] }): void {
  const { doc } = pdf;
  const { layout, fontSize, header } = table;
  const top = doc.page.margins.top;
  const setFont = () => doc.font('Regular').fontSize(fontSize).fillColor('black');
  setFont();
  // pdfkit tags tables under structParent; @types/pdfkit does not know the option yet.
  const tagging = { structParent: pdf.root };
  const start = doc.y;
  const rows = doc.table({ ...tagging, ...layout, position: { x: MARGINS.left, y: start } }).row(header);
  const height = doc.y - start;
  const reached = [doc.page];
  doc.page.margins.top = top + height;
  const repeatHeader = () => {
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.table({ ...layout, position: { x: MARGINS.left, y: top }, data: [header] });
    doc.endMarkedContent();
    setFont();
    doc.page.margins.top = top + height;
    reached.push(doc.page);
  };
  doc.on('pageAdded', repeatHeader);
  try {
    for (const row of table.rows) rows.row(row);
    rows.end();
  } finally {
    doc.off('pageAdded', repeatHeader);
    for (const page of reached) page.margins.top = top;
  }
}

/**
 * The first page of an official letter after DIN 5008 form B: the office's name where a printed
 * letterhead would carry the logo, the return address and the recipient in the envelope window
 * (field 20 mm from the left, 45 mm from the top), the information block on the right, fold and
 * hole marks, then the subject.
 */
export function letterhead(
  pdf: Pdf,
  letter: { recipient: string[]; reference: string; date: string; contact: string; phone?: string; email?: string; subject: string },
): void {
  const { doc, t, lang } = pdf;
  const tagged = { structParent: pdf.root, structType: 'P' };
  const infoX = mm(125);
  const infoWidth = PAGE_WIDTH - MARGINS.right - infoX;

  doc.font('Bold').fontSize(17).text(t('office.city'), infoX, mm(16), { width: infoWidth, ...tagged });
  doc.font('Regular').fontSize(SIZE.body).text(`${t('office.mayor')}\n${t('office.department')}`, { width: infoWidth, ...tagged });

  addressWindow(pdf, t('office.sender'), letter.recipient);

  doc.y = mm(50);
  const info: [string, string][] = [
    [t('info.reference'), letter.reference],
    [t('info.date'), day(letter.date, lang)],
    [t('info.contact'), letter.contact],
    ...(letter.phone ? [[t('info.phone'), letter.phone] as [string, string]] : []),
    ...(letter.email ? [[t('info.email'), letter.email] as [string, string]] : []),
  ];
  for (const [label, value] of info) {
    doc.fontSize(SIZE.label).fillColor(GREY).text(label, infoX, doc.y, { width: infoWidth, ...tagged });
    doc.fontSize(SIZE.body).fillColor('black').text(value, infoX, doc.y, { width: infoWidth, paragraphGap: 5, ...tagged });
  }
  const infoBottom = doc.y;

  doc.markContent('Artifact', { type: 'Layout' });
  for (const [y, length] of [[105, 5], [148.5, 7], [210, 5]]) {
    doc.moveTo(mm(4), mm(y)).lineTo(mm(4 + length), mm(y));
  }
  doc.lineWidth(0.4).strokeColor(GREY).stroke();
  doc.endMarkedContent();

  subjectLine(pdf, letter.subject, infoBottom + mm(8));
}

/**
 * The return address and the recipient in the envelope window (DIN 5008: 20 mm from the left, 45 mm
 * from the top); the return address shrinks to fit the window in one line, as the post expects.
 */
export function addressWindow(pdf: Pdf, sender: string, recipient: string[]): void {
  const { doc } = pdf;
  const tagged = { structParent: pdf.root, structType: 'P' };
  const addressX = mm(25);
  const addressWidth = mm(80);
  const senderSize = Math.min(SIZE.small, (SIZE.small * addressWidth) / doc.font('Regular').fontSize(SIZE.small).widthOfString(sender));
  doc.fontSize(senderSize).fillColor(GREY).text(sender, addressX, mm(57), { width: addressWidth, lineBreak: false, ...tagged });
  doc.fontSize(SIZE.body).fillColor('black').text(recipient.join('\n'), addressX, mm(63), { width: addressWidth, ...tagged });
}

/** The subject below the address field (DIN 5008 form B), or lower when `minY` says so. */
export function subjectLine(pdf: Pdf, subject: string, minY = 0): void {
  const { doc } = pdf;
  doc.font('Bold').fontSize(12).fillColor('black');
  doc.text(subject, MARGINS.left, Math.max(mm(103.5), minY), { width: TEXT_WIDTH, structParent: pdf.root, structType: 'H1' });
  doc.font('Regular').fontSize(SIZE.body).moveDown(1.5);
}

/**
 * Lines to sign on, side by side, each with its label below (place and date, signature); drawn
 * lines are layout artifacts, the labels tagged text.
 */
export function signatureLines(pdf: Pdf, labels: string[]): void {
  const { doc } = pdf;
  const gap = mm(10);
  const width = (TEXT_WIDTH - gap * (labels.length - 1)) / labels.length;
  keepTogether(pdf, mm(30));
  const lineY = doc.y + mm(15);
  doc.markContent('Artifact', { type: 'Layout' });
  labels.forEach((_, index) => {
    const x = MARGINS.left + index * (width + gap);
    doc.moveTo(x, lineY).lineTo(x + width, lineY);
  });
  doc.lineWidth(0.6).strokeColor('black').stroke();
  doc.endMarkedContent();
  let bottom = lineY;
  labels.forEach((label, index) => {
    const x = MARGINS.left + index * (width + gap);
    doc.font('Regular').fontSize(SIZE.label).fillColor(GREY).text(label, x, lineY + 3, { width, structParent: pdf.root, structType: 'P' });
    bottom = Math.max(bottom, doc.y);
  });
  doc.fontSize(SIZE.body).fillColor('black');
  doc.x = MARGINS.left;
  doc.y = bottom + mm(4);
}

const DRAFT_RED = '#b00020';

/**
 * Marks an unsent letter (the office's preview) as a draft: a tagged note where it is called, for
 * screen readers, and with `watermark` large diagonal text across every page.
 */
export function draftNote(pdf: Pdf): void {
  const { doc, t } = pdf;
  doc.font('Bold').fillColor(DRAFT_RED);
  doc.text(`${t('letter.draft_mark')} – ${t('letter.draft_note')}`, MARGINS.left, doc.y, { width: TEXT_WIDTH, structParent: pdf.root, structType: 'P', paragraphGap: 8 });
  doc.font('Regular').fillColor('black');
}

/** The draft mark across every page so far, as a layout artifact; call it when the content is complete. */
export function watermark(pdf: Pdf): void {
  const { doc, t } = pdf;
  const { x, y } = doc;
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    const { width, height } = doc.page;
    doc.save();
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.rotate(-45, { origin: [width / 2, height / 2] });
    doc.font('Bold').fontSize(72).fillColor(DRAFT_RED).fillOpacity(0.15);
    doc.text(t('letter.draft_mark'), 0, height / 2 - 36, { width, align: 'center', lineBreak: false });
    doc.endMarkedContent();
    doc.restore();
  }
  doc.switchToPage(start + count - 1);
  doc.font('Regular').fontSize(SIZE.body).fillColor('black').fillOpacity(1);
  doc.x = x;
  doc.y = y;
}

/** Adds page numbers and the office's address to every page, ends the document and returns its bytes. */
export async function finish(pdf: Pdf): Promise<Buffer> {
  const { doc, t } = pdf;
  if (pdf.lang !== 'de') {
    doc.moveDown(1);
    paragraph(pdf, t('courtesy'), { small: true });
  }
  pdf.root.end();
  const bytes = toBuffer(doc);
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    // Text below the bottom margin would otherwise start a new page.
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font('Regular').fontSize(SIZE.label).fillColor(GREY);
    doc.text(t('page.number', { page: index + 1, pages: count }), MARGINS.left, mm(275), { width: TEXT_WIDTH, align: 'right', lineBreak: false });
    doc.moveTo(MARGINS.left, mm(280)).lineTo(PAGE_WIDTH - MARGINS.right, mm(280)).lineWidth(0.4).strokeColor(GREY).stroke();
    doc.fontSize(SIZE.small).text(t('office.footer'), MARGINS.left, mm(282), { width: TEXT_WIDTH, align: 'center', lineBreak: false });
    doc.endMarkedContent();
  }
  doc.end();
  return bytes;
}

/** A rating or score rounded like on the ranking page and in its CSV: "4,47" or "4.47". */
export function rating(value: number, lang: DocumentLanguage): string {
  return formatRating(value, lang);
}

/** A table cell as pdfkit's table takes it. */
export type Cell = string | { text: string; type?: 'TH' | 'TD'; font?: { src?: string; size?: number }; colSpan?: number };

/**
 * Widths that fit each listed column's longest line (header, cells and totals alike), so that amounts
 * and reference numbers never break whatever the data; the other columns get '*', the rest of the line.
 */
export function fitColumns(doc: PDFKit.PDFDocument, data: Cell[][], fitted: number[], options: { size: number; padding: number }): (number | '*')[] {
  const widths: (number | '*')[] = data[0].map(() => '*');
  for (const column of fitted) widths[column] = 0;
  for (const row of data) {
    let column = 0;
    for (const cell of row) {
      const { text, font, colSpan = 1 } = typeof cell === 'string' ? { text: cell } : cell;
      const width = widths[column];
      if (colSpan === 1 && typeof width === 'number') {
        doc.font(font?.src === 'Bold' ? 'Bold' : 'Regular').fontSize(font?.size ?? options.size);
        const longest = Math.max(...text.split('\n').map((line) => doc.widthOfString(line)));
        // A point to spare: pdfkit wraps a line that fills the width exactly.
        widths[column] = Math.max(width, longest + 2 * options.padding + 1);
      }
      column += colSpan;
    }
  }
  return widths;
}
