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

/** A figure of the PDF's structure tree: its page, alternative text and how many marked-content parts it holds. */
export interface PdfFigure {
  page: number;
  alt: string | undefined;
  content: number;
}

/** The Figure elements of the PDF's tagged structure tree, read by pdf.js as assistive technology does. */
export async function pdfFigures(pdf: Buffer): Promise<PdfFigure[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  try {
    const figures: PdfFigure[] = [];
    type Node = { role?: string; alt?: string; type?: string; children?: Node[] };
    const walk = (node: Node, page: number) => {
      if (node.role === 'Figure') figures.push({ page, alt: node.alt, content: (node.children ?? []).filter((child) => child.type === 'content').length });
      for (const child of node.children ?? []) walk(child, page);
    };
    for (let page = 1; page <= document.numPages; page++) {
      const tree = await (await document.getPage(page)).getStructTree();
      if (tree) walk(tree as Node, page);
    }
    return figures;
  } finally {
    await document.destroy();
  }
}
