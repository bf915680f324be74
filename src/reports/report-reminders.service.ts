import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { BERLIN, berlinDay } from '../common/dates.js';
import { RequestLoad } from '../common/request-load.js';
import { Transactions } from '../common/transactions.js';
import { JobsService } from '../notifications/jobs.service.js';
import { MailService } from '../notifications/mail.service.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import { remindersDue } from './reminders.js';
import { ReportRemindersRepository, type ReminderSent } from './report-reminders.repository.js';

export const REMINDERS_QUEUE = 'report.reminders';
/** Every morning in Berlin, before the office opens. */
export const REMINDERS_CRON = '0 7 * * *';
/** A long run (many reports) may take a while; a repeat after expiry sends nothing twice anyway. */
const RUN_EXPIRE_SECONDS = 300;
/** Between two reports the run waits for a quiet moment, at most this long (as the job loops do). */
const YIELD_TO_REQUESTS_MS = 15_000;

/** Application statuses in which the award stands and its report is asked for. */
const AWARD_STANDS = ['awarded', 'final'];

/**
 * The usage-report reminders: four weeks before the deadline, on the day and two weeks overdue
 * (`reminders.ts`), mailed to the organisation's accounts and contacts.
 *
 * A daily pg-boss schedule (07:00 Berlin, kept in the database) and one run shortly after each
 * start queue the run, so a service that was down at 07:00 catches up; a reminder missed for
 * days goes out on the next run (several caught up at once make one mail). Each reminder goes out once: its row in `report_reminder` (primary
 * key report and kind) and its mails are written in one transaction, the mails only when the row
 * was new. A repeated run, a restart or a second instance therefore finds the row and sends nothing.
 * Only reports still due are reminded: once submitted (also while the office asks for
 * clarification) the deadline has been met.
 */
@Injectable()
export class ReportRemindersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportRemindersService.name);

  constructor(
    private readonly db: Transactions,
    private readonly reminders: ReportRemindersRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly jobs: JobsService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly load: RequestLoad,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work(REMINDERS_QUEUE, () => this.sendDue().then(() => undefined), { expireInSeconds: RUN_EXPIRE_SECONDS });
    await this.jobs.schedule(REMINDERS_QUEUE, REMINDERS_CRON, BERLIN);
    await this.runSoon();
  }

  /** Queues a run of the reminders (taken by the next free worker of any instance). */
  async runSoon(): Promise<void> {
    await this.jobs.enqueue(this.db.manager, REMINDERS_QUEUE, {});
  }

  /** Sends the reminders due on `today` that were not sent yet; the number of reminders sent. */
  async sendDue(today: string = berlinDay(new Date())): Promise<number> {
    let sent = 0;
    for (const reportId of await this.reminders.candidates(today)) {
      await this.load.quietOrAfter(YIELD_TO_REQUESTS_MS);
      sent += await this.remind(reportId, today);
    }
    if (sent > 0) this.logger.log(`${sent} usage report reminder(s) sent`);
    return sent;
  }

  /** The reminders sent for a report, for the report pages (which check that the actor may see the report). */
  remindersSent(reportId: string): Promise<ReminderSent[]> {
    return this.reminders.sent(reportId);
  }


  private remind(reportId: string, today: string): Promise<number> {
    return this.db.run(async (manager) => {
      const report = await this.reminders.lockForReminders(manager, reportId);
      if (!report || report.status !== 'due' || !AWARD_STANDS.includes(report.applicationStatus)) return 0;
      const kinds = remindersDue(report.dueOn, today, report.sent);
      if (kinds.length === 0) return 0;
      const recipients = await this.organisations.mailRecipients(manager, report.organisationId);
      // The mail speaks of the deadline as it stands today: a reminder caught up late says so.
      const timing = today < report.dueOn ? 'before' : today === report.dueOn ? 'today' : 'overdue';
      // Several reminders caught up at once (a service down for weeks) are recorded each, but the
      // organisation gets one mail per run: the latest one, which says how things stand today.
      const recorded: string[] = [];
      for (const kind of kinds) if (await this.reminders.insertSent(manager, report.id, kind, today)) recorded.push(kind);
      if (recorded.length === 0) return 0;
      for (const recipient of recipients) {
        await this.mail.queue(manager, {
          to: recipient.email,
          template: 'report-reminder',
          lang: recipient.lang,
          context: {
            name: recipient.name,
            referenceNumber: report.referenceNumber,
            title: report.title,
            callYear: report.callYear,
            dueOn: report.dueOn,
            timing,
            participantListsRequired: report.participantListsRequired,
            link: `/reports/${report.id}`,
          },
        });
      }
      for (const kind of recorded) {
        await this.audit.record(manager, null, {
          action: 'report.reminder_sent',
          entityType: 'usage_report',
          entityId: report.id,
          after: { kind, sentOn: today, dueOn: report.dueOn, recipients: recipients.length, mailed: kind === recorded[recorded.length - 1] },
        });
      }
      return recorded.length;
    });
  }
}
