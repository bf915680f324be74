/** svg-to-pdfkit ships no types; the monitoring report draws its charts into the PDF with it. */
declare module 'svg-to-pdfkit' {
  export default function SVGtoPDF(
    doc: PDFKit.PDFDocument,
    svg: string,
    x: number,
    y: number,
    options?: { width?: number; height?: number; assumePt?: boolean; fontCallback?: (family: string, bold: boolean, italic: boolean, options: object) => string; warningCallback?: (message: string) => void },
  ): void;
}
