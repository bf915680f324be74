import { addDays } from '../awards/calendar-days.js';

export type ReminderKind = 'four_weeks_before' | 'due_today' | 'two_weeks_overdue';

/**
 * When a usage report's reminders go out: four weeks before its deadline, on the day, and two
 * weeks after it while the report is still missing. Calendar days in Europe/Berlin.
 */
export function reminderDays(dueOn: string): { kind: ReminderKind; on: string }[] {
  return [
    { kind: 'four_weeks_before', on: addDays(dueOn, -28) },
    { kind: 'due_today', on: dueOn },
    { kind: 'two_weeks_overdue', on: addDays(dueOn, 14) },
  ];
}

/** The reminders still to send on `today`: those whose day has come and that were not sent yet. */
export function remindersDue(dueOn: string, today: string, sent: readonly ReminderKind[]): ReminderKind[] {
  return reminderDays(dueOn).filter((reminder) => reminder.on <= today && !sent.includes(reminder.kind)).map((reminder) => reminder.kind);
}
