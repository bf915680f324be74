import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { APP_CONFIG } from '../common/config.token.js';
import { PROJECT_ROOT } from '../common/paths.js';
import type { AppConfig } from '../config/app-config.js';
import type { DocumentKind, RenderArgs, RenderJob } from '../documents/render-jobs.js';

/**
 * The compiled worker entry point (`documents/render-jobs.js`). The service runs from dist/ and finds
 * it beside this file; under jest this file is TypeScript, which a worker thread cannot load, so the
 * workers run the build in dist/ (`npm test` builds it first).
 */
function workerFile(): string {
  const beside = fileURLToPath(new URL('../documents/render-jobs.js', import.meta.url));
  if (existsSync(beside)) return beside;
  const built = join(PROJECT_ROOT, 'dist', 'src', 'documents', 'render-jobs.js');
  if (!existsSync(built)) throw new Error(`PDF worker ${built} is missing: run "npm run build" first`);
  return built;
}

/** The old-generation heap of one render thread. */
export const RENDER_HEAP_MB = 96;

/**
 * Renders every PDF in a pool of worker threads (piscina), so that a long document never holds up
 * other requests: the services gather the plain data on the request thread, a worker lays it out.
 * The threads run at a lower priority (see documents/render-jobs.ts) with a capped heap.
 * Threads start with the first PDF and end after a minute without work; the pool closes with the
 * application, after the PDFs under way.
 */
@Injectable()
export class DocumentRenderer implements OnModuleDestroy {
  private readonly pool: Piscina<RenderJob, Uint8Array>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Piscina({
      filename: workerFile(),
      minThreads: 0,
      maxThreads: config.pdfWorkers,
      idleTimeout: 60_000,
      // A thread's own heap, capped: left to V8's defaults it grows as the main thread's would,
      // which doubles the service's memory under a rush of receipts. The longest minutes need far less.
      resourceLimits: { maxOldGenerationSizeMb: RENDER_HEAP_MB, maxYoungGenerationSizeMb: 8 },
    });
  }

  async render<K extends DocumentKind>(kind: K, ...args: RenderArgs<K>): Promise<Buffer> {
    const bytes = await this.pool.run({ kind, args } as RenderJob);
    // The bytes arrive as a plain Uint8Array (structured clone); a Buffer over the same memory.
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The worker threads now running (for the tests). */
  get threadIds(): number[] {
    return this.pool.threads.map((thread) => thread.threadId);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }
}
