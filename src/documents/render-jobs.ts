import { renderAgendaPdf } from './agenda.pdf.js';
import { renderCallPdf } from './call.pdf.js';
import { renderMinutesPdf } from './minutes.pdf.js';
import { renderRankingPdf } from './ranking.pdf.js';
import { renderReceiptPdf } from './receipt.pdf.js';
import { renderRejectionLetterPdf } from './rejection-letter.pdf.js';

/** Every document by name, so that a worker thread can render it from plain data sent to it. */
const RENDERERS = {
  agenda: renderAgendaPdf,
  call: renderCallPdf,
  minutes: renderMinutesPdf,
  ranking: renderRankingPdf,
  receipt: renderReceiptPdf,
  rejection: renderRejectionLetterPdf,
} as const;

export type DocumentKind = keyof typeof RENDERERS;
export type RenderArgs<K extends DocumentKind> = Parameters<(typeof RENDERERS)[K]>;

/** A document to render: its kind and the renderer's arguments (plain data, copied to the worker). */
export interface RenderJob<K extends DocumentKind = DocumentKind> {
  kind: K;
  args: RenderArgs<K>;
}

/** The worker threads' entry point (see renderer/document-renderer.ts): the PDF's bytes. */
export default async function renderDocument(job: RenderJob): Promise<Uint8Array> {
  const render = RENDERERS[job.kind] as (...args: unknown[]) => Promise<Buffer>;
  return render(...job.args);
}
