import { describe, expect, it } from '@jest/globals';
import { isWorkingDay } from './calendar-days.js';
import { decisionDates, DEFAULT_NOTIFICATION_DAYS } from './decision-dates.js';

const days = (sentOn: string, waivedOn?: string | null, notificationDays = DEFAULT_NOTIFICATION_DAYS) =>
  decisionDates({ sentOn, notificationDays, waivedOn });

describe('notification day (§ 41 Abs. 2 VwVfG)', () => {
  it('is the fourth day after sending by default, counted across a weekend', () => {
    expect(DEFAULT_NOTIFICATION_DAYS).toBe(4);
    // Friday 4 June 2027 → Tuesday 8 June.
    expect(days('2027-06-04')).toEqual({ notifiedOn: '2027-06-08', remedyPeriodEndsOn: '2027-07-08', finalOn: '2027-07-09' });
  });

  it('stays on a Sunday or a holiday: the fiction fixes a day, it is not a period', () => {
    // Wednesday 2 June 2027 → Sunday 6 June; the month then ends on Tuesday 6 July.
    expect(days('2027-06-02')).toEqual({ notifiedOn: '2027-06-06', remedyPeriodEndsOn: '2027-07-06', finalOn: '2027-07-07' });
    // Monday 28 December 2026 → New Year's Day; the month ends on Monday 1 February 2027.
    expect(days('2026-12-28')).toEqual({ notifiedOn: '2027-01-01', remedyPeriodEndsOn: '2027-02-01', finalOn: '2027-02-02' });
  });

  it('follows the setting: the third day where the state law still says so', () => {
    // Sent Wednesday 9 June 2027: third day Saturday 12 June, fourth day Sunday 13 June.
    expect(days('2027-06-09', null, 3)).toEqual({ notifiedOn: '2027-06-12', remedyPeriodEndsOn: '2027-07-12', finalOn: '2027-07-13' });
    expect(days('2027-06-09', null, 4)).toEqual({ notifiedOn: '2027-06-13', remedyPeriodEndsOn: '2027-07-13', finalOn: '2027-07-14' });
  });
});

describe('period for an action (§ 74 VwGO, §§ 187, 188 BGB, § 222 ZPO)', () => {
  it('moves off New Year\'s Day and the weekend after it', () => {
    // Notified Tuesday 1 December 2026; 1 January 2027 is a Friday and a holiday, then Saturday and Sunday.
    expect(days('2026-11-27')).toEqual({ notifiedOn: '2026-12-01', remedyPeriodEndsOn: '2027-01-04', finalOn: '2027-01-05' });
  });

  it('ends on the last day of a shorter month, and moves off it when that is a Sunday', () => {
    // Notified 31 January 2027 → end of February, Sunday 28 February 2027 → Monday 1 March.
    expect(days('2027-01-27')).toEqual({ notifiedOn: '2027-01-31', remedyPeriodEndsOn: '2027-03-01', finalOn: '2027-03-02' });
    // In a leap year the month has a 29th: Tuesday 29 February 2028.
    expect(days('2028-01-27')).toEqual({ notifiedOn: '2028-01-31', remedyPeriodEndsOn: '2028-02-29', finalOn: '2028-03-01' });
  });

  it('moves off holidays of North Rhine-Westphalia that other states do not have', () => {
    // Corpus Christi, Thursday 27 May 2027 (not a holiday in Berlin or Lower Saxony) → Friday 28 May.
    expect(days('2027-04-23')).toEqual({ notifiedOn: '2027-04-27', remedyPeriodEndsOn: '2027-05-28', finalOn: '2027-05-29' });
    // All Saints' Day, Monday 1 November 2027 → Tuesday 2 November.
    expect(days('2027-09-27')).toEqual({ notifiedOn: '2027-10-01', remedyPeriodEndsOn: '2027-11-02', finalOn: '2027-11-03' });
  });

  it('moves over Easter', () => {
    // Ends on Easter Sunday 28 March 2027; Easter Monday is a holiday too → Tuesday 30 March.
    expect(days('2027-02-24')).toEqual({ notifiedOn: '2027-02-28', remedyPeriodEndsOn: '2027-03-30', finalOn: '2027-03-31' });
    // Ends on Good Friday 26 March 2027: Friday to Monday are all off → Tuesday 30 March.
    expect(days('2027-02-22')).toEqual({ notifiedOn: '2027-02-26', remedyPeriodEndsOn: '2027-03-30', finalOn: '2027-03-31' });
  });
});

describe('finality (Bestandskraft)', () => {
  const sentOn = '2027-04-23'; // notified 27 April, period ends Friday 28 May 2027

  it('comes on the day after the period ends without a waiver', () => {
    expect(days(sentOn).finalOn).toBe('2027-05-29');
    expect(days(sentOn, undefined).finalOn).toBe('2027-05-29');
  });

  it('comes on the day of a waiver made before the period ends, the last day included', () => {
    expect(days(sentOn, '2027-05-03')).toEqual({ notifiedOn: '2027-04-27', remedyPeriodEndsOn: '2027-05-28', finalOn: '2027-05-03' });
    expect(days(sentOn, '2027-05-28').finalOn).toBe('2027-05-28');
  });

  it('is not brought forward by a waiver after the period, nor before the notification day', () => {
    expect(days(sentOn, '2027-06-15').finalOn).toBe('2027-05-29');
    expect(days(sentOn, '2027-04-24').finalOn).toBe('2027-04-27');
  });

  it('refuses a waiver dated before the decision was sent', () => {
    expect(() => days(sentOn, '2027-04-22')).toThrow(RangeError);
  });
});

describe('input', () => {
  it('refuses days that do not exist and notification days that are not whole positive numbers', () => {
    expect(() => days('2027-02-30')).toThrow(RangeError);
    expect(() => days('27.01.2027')).toThrow(RangeError);
    expect(() => days('2027-01-27', '2027-13-01')).toThrow(RangeError);
    expect(() => days('2027-01-27', null, 0)).toThrow(RangeError);
    expect(() => days('2027-01-27', null, 2.5)).toThrow(RangeError);
  });
});

describe('working days in North Rhine-Westphalia', () => {
  it('are Monday to Friday except the state\'s public holidays', () => {
    expect(isWorkingDay('2027-05-28')).toBe(true);
    expect(isWorkingDay('2027-05-29')).toBe(false); // Saturday
    expect(isWorkingDay('2027-05-30')).toBe(false); // Sunday
    expect(isWorkingDay('2027-05-27')).toBe(false); // Corpus Christi
    expect(isWorkingDay('2027-11-01')).toBe(false); // All Saints' Day
    expect(isWorkingDay('2027-12-24')).toBe(true); // Christmas Eve is not a public holiday
    // Holidays of other states only: Epiphany (Bavaria, Baden-Württemberg, Saxony-Anhalt), Repentance Day (Saxony).
    expect(isWorkingDay('2027-01-06')).toBe(true);
    expect(isWorkingDay('2027-11-17')).toBe(true);
  });
});
