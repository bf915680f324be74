import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Email } from 'postal-mime';
import { addDays } from '../../src/awards/calendar-days.js';
import { berlinDay } from '../../src/common/dates.js';
import { OrganisationsRepository } from '../../src/organisations/organisations.repository.js';
import { REMINDERS_CRON, REMINDERS_QUEUE, ReportRemindersService } from '../../src/reports/report-reminders.service.js';
import { DEMO, eventually, startTestApp, type TestApp } from '../support/app.js';
import { releasedAward } from '../support/awards.js';
import { startService, tempDir } from '../support/service.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

let t: TestApp;
let smtp: TestSmtp;
let reminders: ReportRemindersService;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, JOB_RETRY_DELAY_SECONDS: '1' } });
  reminders = t.app.get(ReportRemindersService);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await t.dataSource.query(sql, params))[0];

const completedRuns = async () =>
  (await one<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [REMINDERS_QUEUE])).n;

/** Every mail job settled (sent or given up): whatever a run queued has arrived by now. */
const mailsSettled = () =>
  eventually(async () => (await one<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND state IN ('created', 'retry', 'active')`)).n === 0, 45_000, 'mail queue empty');

/** The real path: a job in the reminders queue, taken by a worker; waits until it is done and its mails are out. */
async function runReminders(): Promise<void> {
  const before = await completedRuns();
  await reminders.runSoon();
  await eventually(async () => (await completedRuns()) > before, 45_000, 'reminder run completed');
  await mailsSettled();
}

const reminderMails = (referenceNumber: string): Email[] =>
  smtp.messages.filter((mail) => mail.subject?.includes(referenceNumber) && /Verwendungsnachweis|usage report/i.test(mail.subject));

describe('usage report reminders', () => {
  it('four weeks before, on the day and two weeks overdue, each once, also across a restart; none for a submitted report', async () => {
    const { award } = await releasedAward(t);
    const report = await one<{ id: string; organisationId: string; applicationId: string; referenceNumber: string; title: string }>(
      `SELECT r.id, r.organisation_id AS "organisationId", a.id AS "applicationId", a.reference_number AS "referenceNumber", a.title
         FROM usage_report r JOIN decision d ON d.id = r.decision_id JOIN application a ON a.id = d.application_id WHERE r.decision_id = $1`,
      [award.id],
    );
    const recipients = await t.app.get(OrganisationsRepository).mailRecipients(t.dataSource.manager, report.organisationId);
    expect(recipients.map((r) => r.email)).toContain(DEMO.applicant);
    const addresses = recipients.map((r) => r.email).sort();
    const today = berlinDay(new Date());
    const setDueOn = (day: string) => t.dataSource.query(`UPDATE usage_report SET due_on = $2 WHERE id = $1`, [report.id, day]);
    /** The reminder mails so far, as the addresses they went to, one list per subject pattern. */
    const mailsMatching = (subject: RegExp) => reminderMails(report.referenceNumber).filter((mail) => subject.test(mail.subject!));
    const to = (mails: Email[]) => mails.map((mail) => mail.to![0].address!).sort();

    // The daily run is a schedule in the database, 07:00 Berlin.
    const schedule = await one<{ cron: string; timezone: string }>(`SELECT cron, timezone FROM pgboss.schedule WHERE name = $1`, [REMINDERS_QUEUE]);
    expect(schedule).toEqual({ cron: REMINDERS_CRON, timezone: 'Europe/Berlin' });

    // Five weeks before: nothing yet.
    await setDueOn(addDays(today, 35));
    await runReminders();
    expect(reminderMails(report.referenceNumber)).toHaveLength(0);

    // Exactly four weeks before: one mail to each address of the organisation.
    const dueOn = addDays(today, 28);
    await setDueOn(dueOn);
    await runReminders();
    const first = mailsMatching(/^Erinnerung: Verwendungsnachweis/);
    expect(to(first)).toEqual(addresses);
    expect(reminderMails(report.referenceNumber)).toHaveLength(addresses.length);
    const mail = first.find((m) => m.to![0].address === DEMO.applicant)!;
    const germanDue = dueOn.split('-').reverse().join('.');
    expect(mail.subject).toBe(`Erinnerung: Verwendungsnachweis ${report.referenceNumber} bis ${germanDue}`);
    expect(mail.text).toContain(`„${report.title}" (${report.referenceNumber}`);
    expect(mail.text).toContain(`bis zum ${germanDue} einzureichen`);
    for (const part of ['Sachbericht', 'zahlenmäßige Nachweis', 'Belegliste', 'Zahl der Teilnehmenden']) expect(mail.text).toContain(part);
    expect(mail.text).toContain(`${t.config.baseUrl}/reports/${report.id}`);
    expect(mail.text).not.toContain(`/applications/${report.applicationId}`);
    expect(await reminders.remindersSent(report.id)).toEqual([{ kind: 'four_weeks_before', sentOn: today }]);

    // Run again the same day: the row is there, no second mail.
    await runReminders();
    expect(reminderMails(report.referenceNumber)).toHaveLength(addresses.length);

    // Another instance starts on the same database (as after a restart): its start-up run sends nothing again.
    const runsBefore = await completedRuns();
    const service = await startService({
      DATABASE_URL: (t.dataSource.options as { url: string }).url,
      SMTP_URL: smtp.url,
      DATA_DIR: await tempDir('foerdertisch-reminders-'),
      JOB_RETRY_DELAY_SECONDS: '1',
    });
    try {
      await service.healthy();
      await eventually(async () => (await completedRuns()) > runsBefore, 20_000, 'start-up run completed');
      await mailsSettled();
    } finally {
      await service.stop();
    }
    expect(service.stderr()).not.toMatch(/error/i);
    expect(reminderMails(report.referenceNumber)).toHaveLength(addresses.length);

    // On the day: one more each, also when three runs race (the primary key decides, not the read before it).
    await setDueOn(today);
    const racing = await Promise.all([reminders.sendDue(), reminders.sendDue(), reminders.sendDue()]);
    expect(racing.reduce((sum, n) => sum + n, 0)).toBe(1);
    await mailsSettled();
    await runReminders();
    const onTheDay = mailsMatching(/ist heute fällig$/);
    expect(to(onTheDay)).toEqual(addresses);
    expect(onTheDay[0].text).toContain('heute fällig');

    // Two weeks overdue: one more each, and then no more.
    await setDueOn(addDays(today, -14));
    await runReminders();
    await runReminders();
    const overdue = mailsMatching(/fehlt noch/);
    expect(to(overdue)).toEqual(addresses);
    expect(overdue[0].text).toContain('Bei uns ist er noch nicht eingegangen');
    expect(reminderMails(report.referenceNumber)).toHaveLength(3 * addresses.length);
    expect((await reminders.remindersSent(report.id)).map((r) => r.kind)).toEqual(['four_weeks_before', 'due_today', 'two_weeks_overdue']);
    const audited = await one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'report.reminder_sent' AND entity_id = $1`, [report.id]);
    expect(audited.n).toBe(3);

    // A submitted report (and one back with the grantee for clarification) is not reminded of its deadline.
    await t.dataSource.query(`DELETE FROM report_reminder WHERE report_id = $1`, [report.id]);
    await t.dataSource.query(`UPDATE usage_report SET status = 'submitted', submitted_at = now(), first_submitted_at = now(), submission_count = 1, due_on = $2 WHERE id = $1`, [report.id, today]);
    await runReminders();
    await t.dataSource.query(`UPDATE usage_report SET status = 'clarification_requested', clarification_request = 'Belege fehlen', clarification_requested_at = now() WHERE id = $1`, [report.id]);
    await runReminders();
    expect(reminderMails(report.referenceNumber)).toHaveLength(3 * addresses.length);
    expect(await reminders.remindersSent(report.id)).toEqual([]);

    // Found three weeks overdue with nothing sent (the service was down, or the award predates the
    // reminders): all three are recorded, and the organisation gets one mail saying it is overdue.
    await t.dataSource.query(`UPDATE usage_report SET status = 'due', due_on = $2 WHERE id = $1`, [report.id, addDays(today, -21)]);
    await runReminders();
    expect((await reminders.remindersSent(report.id)).map((r) => r.kind)).toEqual(['four_weeks_before', 'due_today', 'two_weeks_overdue']);
    expect(reminderMails(report.referenceNumber)).toHaveLength(4 * addresses.length);
    expect(mailsMatching(/fehlt noch/)).toHaveLength(2 * addresses.length);
  }, 120_000);
});
