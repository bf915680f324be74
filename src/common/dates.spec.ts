import { describe, expect, it } from '@jest/globals';
import { berlinDay, berlinInstant, berlinTime, endOfBerlinDay } from './dates.js';

describe('Berlin dates', () => {
  it('turns wall-clock times into instants in summer and in winter', () => {
    expect(berlinInstant('2026-09-30', '23:59').toISOString()).toBe('2026-09-30T21:59:00.000Z');
    expect(berlinInstant('2026-01-31', '23:59').toISOString()).toBe('2026-01-31T22:59:00.000Z');
  });

  it('handles the nights the clocks change', () => {
    expect(berlinInstant('2026-03-29', '03:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(berlinInstant('2026-10-25', '12:00').toISOString()).toBe('2026-10-25T11:00:00.000Z');
  });

  it('reads the Berlin day and time of an instant', () => {
    const at = new Date('2026-09-30T22:30:00Z');
    expect(berlinDay(at)).toBe('2026-10-01');
    expect(berlinTime(at)).toBe('00:30');
  });

  it('the end of a day is its last millisecond in Berlin', () => {
    expect(endOfBerlinDay('2026-12-15').toISOString()).toBe('2026-12-15T22:59:59.999Z');
    expect(endOfBerlinDay('2026-07-15').toISOString()).toBe('2026-07-15T21:59:59.999Z');
  });
});
