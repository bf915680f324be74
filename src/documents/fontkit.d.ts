/** fontkit (pdfkit's font parser) ships no types; pdf.ts parses the fonts with it once per process. */
declare module 'fontkit' {
  export function create(buffer: Uint8Array, postscriptName?: string): object;
}
