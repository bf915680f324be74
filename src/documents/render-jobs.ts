import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { renderAgendaPdf } from './agenda.pdf.js';
import { renderAwardLetterPdf } from './award-letter.pdf.js';
import { renderCallPdf } from './call.pdf.js';
import { renderDecisionRejectionPdf } from './decision-rejection.pdf.js';
import { renderMinutesPdf } from './minutes.pdf.js';
import { renderMonitoringReportPdf } from './monitoring-report.pdf.js';
import { renderRankingPdf } from './ranking.pdf.js';
import { renderReceiptPdf } from './receipt.pdf.js';
import { renderRejectionLetterPdf } from './rejection-letter.pdf.js';
import { renderRepaymentClaimPdf } from './repayment-claim.pdf.js';
import { renderVisitReportPdf } from './visit-report.pdf.js';

/** Every document by name, so that a worker thread can render it from plain data sent to it. */
const RENDERERS = {
  agenda: renderAgendaPdf,
  award: renderAwardLetterPdf,
  call: renderCallPdf,
  decisionRejection: renderDecisionRejectionPdf,
  minutes: renderMinutesPdf,
  monitoringReport: renderMonitoringReportPdf,
  ranking: renderRankingPdf,
  receipt: renderReceiptPdf,
  rejection: renderRejectionLetterPdf,
  repaymentClaim: renderRepaymentClaimPdf,
  visitReport: renderVisitReportPdf,
} as const;

export type DocumentKind = keyof typeof RENDERERS;
export type RenderArgs<K extends DocumentKind> = Parameters<(typeof RENDERERS)[K]>;

/** A document to render: its kind and the renderer's arguments (plain data, copied to the worker). */
export interface RenderJob<K extends DocumentKind = DocumentKind> {
  kind: K;
  args: RenderArgs<K>;
}

/**
 * The nice value of a render thread. PDFs are background work (receipt mails, downloads a person
 * waits a second for): on a busy machine the requests and the database come first, and the
 * threads use whatever CPU is left. Linux keeps the nice value per thread, so this lowers only the
 * worker thread, found by its own id in /proc/thread-self.
 */
export const RENDER_NICENESS = 10;

if (!isMainThread) {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), RENDER_NICENESS);
  } catch {
    // Not Linux, or no /proc: the thread renders at normal priority.
  }
}

/** The worker threads' entry point (see renderer/document-renderer.ts): the PDF's bytes. */
export default async function renderDocument(job: RenderJob): Promise<Uint8Array> {
  const render = RENDERERS[job.kind] as (...args: unknown[]) => Promise<Buffer>;
  return render(...job.args);
}
