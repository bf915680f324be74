import { describe, expect, it } from '@jest/globals';
import { reminderDays, remindersDue } from './reminders.js';

describe('usage report reminders', () => {
  it('four weeks before, on the day, two weeks overdue, across a month and a year', () => {
    expect(reminderDays('2028-01-10')).toEqual([
      { kind: 'four_weeks_before', on: '2027-12-13' },
      { kind: 'due_today', on: '2028-01-10' },
      { kind: 'two_weeks_overdue', on: '2028-01-24' },
    ]);
    // Across the leap day.
    expect(reminderDays('2028-03-10')[0].on).toBe('2028-02-11');
  });

  it('sends each reminder once, and those missed while the service was down on the next run', () => {
    expect(remindersDue('2028-01-10', '2027-12-12', [])).toEqual([]);
    expect(remindersDue('2028-01-10', '2027-12-13', [])).toEqual(['four_weeks_before']);
    expect(remindersDue('2028-01-10', '2027-12-14', ['four_weeks_before'])).toEqual([]);
    expect(remindersDue('2028-01-10', '2028-01-30', ['four_weeks_before'])).toEqual(['due_today', 'two_weeks_overdue']);
    expect(remindersDue('2028-01-10', '2028-02-28', ['four_weeks_before', 'due_today', 'two_weeks_overdue'])).toEqual([]);
  });
});
