import { describe, expect, it } from '@jest/globals';
import { addMonths, nextDueOn, partsDue, personalDataDueOn, receiptsDueOn } from './retention.rules.js';

const DEFAULTS = { personalDataMonths: 12, receiptsYears: 5 };

describe('retention rules', () => {
  it('adds months, ending on the last day of a shorter month', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2027-12-15', 1)).toBe('2028-01-15');
    expect(addMonths('2027-03-31', 12)).toBe('2028-03-31');
    expect(addMonths('2028-02-29', 60)).toBe('2033-02-28');
  });

  it('keeps personal data through the day twelve months after acceptance and deletes it the next day', () => {
    expect(personalDataDueOn('2027-09-30', DEFAULTS)).toBe('2028-10-01');
    expect(personalDataDueOn('2027-12-31', DEFAULTS)).toBe('2029-01-01');
    expect(personalDataDueOn('2027-01-31', { ...DEFAULTS, personalDataMonths: 1 })).toBe('2027-03-01');
    const facts = { acceptedOn: '2027-09-30', lastSubmittedOn: '2027-07-01', personalDataDeleted: false, receiptsDeleted: false };
    expect(partsDue(facts, '2028-09-30', DEFAULTS)).toEqual([]);
    expect(partsDue(facts, '2028-10-01', DEFAULTS)).toEqual(['personal_data']);
  });

  it('keeps receipts five years after the last submission, a leap day ending on 28 February', () => {
    expect(receiptsDueOn('2027-07-15', DEFAULTS)).toBe('2032-07-16');
    expect(receiptsDueOn('2028-02-29', DEFAULTS)).toBe('2033-03-01');
    expect(receiptsDueOn('2027-12-31', DEFAULTS)).toBe('2033-01-01');
    const facts = { acceptedOn: '2027-09-30', lastSubmittedOn: '2027-07-15', personalDataDeleted: true, receiptsDeleted: false };
    expect(partsDue(facts, '2032-07-15', DEFAULTS)).toEqual([]);
    expect(partsDue(facts, '2032-07-16', DEFAULTS)).toEqual(['receipts']);
  });

  it('never keeps receipts shorter than five years, longer when set', () => {
    expect(receiptsDueOn('2027-07-15', { ...DEFAULTS, receiptsYears: 3 })).toBe('2032-07-16');
    expect(receiptsDueOn('2027-07-15', { ...DEFAULTS, receiptsYears: 10 })).toBe('2037-07-16');
  });

  it('deletes nothing twice and names the next deletion ahead', () => {
    const both = { acceptedOn: '2027-09-30', lastSubmittedOn: '2027-07-15', personalDataDeleted: false, receiptsDeleted: false };
    expect(partsDue(both, '2040-01-01', DEFAULTS)).toEqual(['personal_data', 'receipts']);
    expect(partsDue({ ...both, personalDataDeleted: true, receiptsDeleted: true }, '2040-01-01', DEFAULTS)).toEqual([]);
    expect(nextDueOn(both, DEFAULTS)).toEqual({ part: 'personal_data', dueOn: '2028-10-01' });
    expect(nextDueOn({ ...both, personalDataDeleted: true }, DEFAULTS)).toEqual({ part: 'receipts', dueOn: '2032-07-16' });
    expect(nextDueOn({ ...both, personalDataDeleted: true, receiptsDeleted: true }, DEFAULTS)).toBeNull();
  });
});
