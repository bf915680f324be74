import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { requireRole, requireStaff } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { APP_CONFIG } from '../common/config.token.js';
import { BERLIN, berlinDay } from '../common/dates.js';
import { RequestLoad } from '../common/request-load.js';
import { Transactions } from '../common/transactions.js';
import type { AppConfig } from '../config/app-config.js';
import { JobsService } from '../notifications/jobs.service.js';
import { PrivacyRepository, type RetentionDeletion, type RetentionReport } from './privacy.repository.js';
import { nextDueOn, partsDue, personalDataDueOn, receiptsDueOn, type RetentionPart, type RetentionSettings } from './retention.rules.js';

export const RETENTION_QUEUE = 'privacy.retention';
/** Every night in Berlin, when nobody works. */
export const RETENTION_CRON = '30 2 * * *';
/** A run over many reports may take a while; a repeat after expiry deletes nothing twice anyway. */
const RUN_EXPIRE_SECONDS = 600;
/** Between two reports the run waits for a quiet moment, at most this long (as the job loops do). */
const YIELD_TO_REQUESTS_MS = 15_000;
const RECENT_DELETIONS = 50;

/** A grant whose data is still (partly) held, with what is held and when it goes. */
export interface RetentionDue {
  reportId: string;
  organisationName: string;
  referenceNumber: string;
  title: string;
  listFiles: number;
  photos: number;
  visitNotes: number;
  receipts: number;
  personalDataDueOn: string;
  personalDataDeletedAt: Date | null;
  receiptsDueOn: string;
  receiptsDeletedAt: Date | null;
  nextDueOn: string;
}

export interface RetentionOverview {
  settings: RetentionSettings;
  schedule: { cron: string; timeZone: string };
  due: RetentionDue[];
  recentlyDeleted: RetentionDeletion[];
}

/**
 * The retention job (DSGVO): deletes a grant's personal data a while after its usage report was
 * accepted and its receipts and figures after the legal five years (`retention.rules.ts`).
 *
 * A daily pg-boss schedule (02:30 Berlin, kept in the database) and one run shortly after each start
 * queue the run, so a service that was down at night catches up. Each part of each report is deleted
 * in its own transaction with its audit row: the report row is locked and read again, so a second
 * instance (or a repeated run) finds the part marked deleted and does nothing.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionService.name);
  private readonly settings: RetentionSettings;

  constructor(
    private readonly db: Transactions,
    private readonly privacy: PrivacyRepository,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly load: RequestLoad,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.settings = { personalDataMonths: config.retentionPersonalDataMonths, receiptsYears: config.retentionReceiptsYears };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work(RETENTION_QUEUE, () => this.deleteDue().then(() => undefined), { expireInSeconds: RUN_EXPIRE_SECONDS });
    await this.jobs.schedule(RETENTION_QUEUE, RETENTION_CRON, BERLIN);
    await this.runSoon();
  }

  /** Queues a run (taken by the next free worker of any instance). */
  async runSoon(): Promise<void> {
    await this.jobs.enqueue(this.db.manager, RETENTION_QUEUE, {});
  }

  /** An administrator asks for a run now; the request is audited with the job it queues. */
  async requestRun(actor: Actor): Promise<{ queued: true }> {
    requireRole(actor, ['admin']);
    await this.db.run(async (manager) => {
      await this.jobs.enqueue(manager, RETENTION_QUEUE, {});
      await this.audit.record(manager, actor, { action: 'retention.run_requested', entityType: 'system', after: { queue: RETENTION_QUEUE } });
    });
    return { queued: true };
  }

  /** Deletes every part due on `today` (a Berlin day) and not yet deleted; the number of parts deleted. */
  async deleteDue(today: string = berlinDay(new Date())): Promise<number> {
    let deleted = 0;
    for (const report of await this.privacy.pending()) {
      if (partsDue(facts(report), today, this.settings).length === 0) continue;
      await this.load.quietOrAfter(YIELD_TO_REQUESTS_MS);
      deleted += await this.deleteReport(report.id, today);
    }
    if (deleted > 0) this.logger.log(`retention: ${deleted} deletion(s)`);
    return deleted;
  }

  /** What is held and when it goes, soonest first; the deletions of late; the settings. */
  async overview(actor: Actor): Promise<RetentionOverview> {
    requireStaff(actor);
    const [pending, recentlyDeleted] = await Promise.all([this.privacy.pending(), this.privacy.recentDeletions(RECENT_DELETIONS)]);
    const due = pending.map((report) => ({
      reportId: report.id,
      organisationName: report.organisationName,
      referenceNumber: report.referenceNumber,
      title: report.title,
      listFiles: report.listFiles,
      photos: report.photos,
      visitNotes: report.visitNotes,
      receipts: report.receipts,
      personalDataDueOn: personalDataDueOn(report.acceptedOn, this.settings),
      personalDataDeletedAt: report.personalDataDeletedAt,
      receiptsDueOn: receiptsDueOn(report.lastSubmittedOn, this.settings),
      receiptsDeletedAt: report.receiptsDeletedAt,
      nextDueOn: nextDueOn(facts(report), this.settings)!.dueOn,
    }));
    due.sort((a, b) => (a.nextDueOn < b.nextDueOn ? -1 : a.nextDueOn > b.nextDueOn ? 1 : a.referenceNumber.localeCompare(b.referenceNumber)));
    return { settings: this.settings, schedule: { cron: RETENTION_CRON, timeZone: BERLIN }, due, recentlyDeleted };
  }

  private deleteReport(reportId: string, today: string): Promise<number> {
    return this.db.run(async (manager) => {
      await this.privacy.allowRetentionWrites(manager);
      const report = await this.privacy.lock(manager, reportId);
      if (!report) return 0;
      const parts = partsDue(facts(report), today, this.settings);
      for (const part of parts) {
        const deleted = part === 'personal_data'
          ? await this.privacy.deletePersonalData(manager, report.id, report.decisionId)
          : await this.privacy.deleteReceipts(manager, report.id);
        await this.audit.record(manager, null, {
          action: 'retention.deleted',
          entityType: 'usage_report',
          entityId: report.id,
          after: { part, ...deleted, referenceNumber: report.referenceNumber, dueOn: this.dueOn(report, part), settings: this.settings },
        });
      }
      return parts.length;
    });
  }

  private dueOn(report: RetentionReport, part: RetentionPart): string {
    return part === 'personal_data' ? personalDataDueOn(report.acceptedOn, this.settings) : receiptsDueOn(report.lastSubmittedOn, this.settings);
  }
}

function facts(report: RetentionReport) {
  return {
    acceptedOn: report.acceptedOn,
    lastSubmittedOn: report.lastSubmittedOn,
    personalDataDeleted: report.personalDataDeletedAt !== null,
    receiptsDeleted: report.receiptsDeletedAt !== null,
  };
}
