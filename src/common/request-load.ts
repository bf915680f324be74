import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The requests being answered right now. Background work (the job queue) yields to them: while
 * people wait for an answer, jobs such as receipt mails wait a little, so that a rush of submissions
 * is answered first and its receipts follow moments later.
 */
@Injectable()
export class RequestLoad {
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  begin(): void {
    this.inFlight++;
  }

  end(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  get quiet(): boolean {
    return this.inFlight === 0;
  }

  /** Resolves when no request is in flight (at once if none is). */
  whenQuiet(): Promise<void> {
    if (this.quiet) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Waits for a moment without requests, at most `ms`. The timer is cleared, so that a run ended
   * early leaves nothing pending (a shutdown would wait for it).
   */
  async quietOrAfter(ms: number): Promise<void> {
    if (this.quiet) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.whenQuiet(), new Promise((resolve) => { timer = setTimeout(resolve, ms); })]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Makes `RequestLoad` available everywhere: the pipeline counts requests, the job queue reads it. */
@Global()
@Module({ providers: [RequestLoad], exports: [RequestLoad] })
export class RequestLoadModule {}
