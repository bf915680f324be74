import { describe, expect, it } from '@jest/globals';
import { Conflict } from '../common/errors.js';
import { advance, eventsIn } from '../common/workflow.js';
import { reportMachine } from './report.machine.js';

describe('usage report machine', () => {
  it('goes from due through the check, as often as clarification is asked for, to accepted', () => {
    expect(advance(reportMachine, 'due', { type: 'SUBMIT' }).status).toBe('submitted');
    expect(advance(reportMachine, 'submitted', { type: 'START_CHECK' }).status).toBe('in_check');
    expect(advance(reportMachine, 'in_check', { type: 'REQUEST_CLARIFICATION' }).status).toBe('clarification_requested');
    expect(advance(reportMachine, 'clarification_requested', { type: 'SUBMIT' }).status).toBe('submitted');
    expect(advance(reportMachine, 'in_check', { type: 'ACCEPT' }).status).toBe('accepted');
    expect(advance(reportMachine, 'in_check', { type: 'SETTLE_WITH_CLAIM' }).status).toBe('settled_with_claim');
  });

  it('refuses what does not follow: accepting unchecked, changing an accepted report', () => {
    expect(() => advance(reportMachine, 'submitted', { type: 'ACCEPT' })).toThrow(Conflict);
    expect(() => advance(reportMachine, 'accepted', { type: 'SUBMIT' })).toThrow(Conflict);
    expect(eventsIn(reportMachine, 'accepted')).toEqual([]);
    expect(eventsIn(reportMachine, 'settled_with_claim')).toEqual([]);
  });
});
