import { expect } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';

/** The text of a PDF with single plain spaces: lines wrap anywhere and amounts carry no-break spaces. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

/** The text of each page, in order, with single plain spaces as pdfText. */
export async function pdfPages(pdf: Buffer): Promise<string[]> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).pages.map((page) => page.text.replace(/\s+/g, ' '));
  } finally {
    await parser.destroy();
  }
}

/** A well-formed PDF/A with embedded fonts; with PDF_OUT_DIR set, also written there for a look. */
export async function checkedPdf(pdf: Buffer, name: string): Promise<string> {
  if (process.env.PDF_OUT_DIR) await writeFile(join(process.env.PDF_OUT_DIR, `${name}.pdf`), pdf);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const raw = pdf.toString('latin1');
  expect(raw).toContain('/FontFile2');
  expect(raw).toContain('pdfaid');
  expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
  return pdfText(pdf);
}
