import { describe, expect, it } from '@jest/globals';
import { Conflict } from '../common/errors.js';
import { advance, eventsIn } from '../common/workflow.js';
import { callMachine } from '../calls/call.machine.js';
import { applicationMachine } from './application.machine.js';

describe('application machine', () => {
  it('submits in time, goes through the check and can be asked for changes', () => {
    expect(advance(applicationMachine, 'draft', { type: 'SUBMIT', inTime: true }).status).toBe('submitted');
    expect(advance(applicationMachine, 'submitted', { type: 'START_CHECK' }).status).toBe('in_formal_check');
    expect(advance(applicationMachine, 'in_formal_check', { type: 'REQUEST_CHANGES' }).status).toBe('changes_requested');
    expect(advance(applicationMachine, 'changes_requested', { type: 'SUBMIT', inTime: true }).status).toBe('submitted');
    expect(advance(applicationMachine, 'in_formal_check', { type: 'MARK_ELIGIBLE' }).status).toBe('eligible');
  });

  it('refuses a late submission with a 409 that names the state', () => {
    expect(() => advance(applicationMachine, 'draft', { type: 'SUBMIT', inTime: false })).toThrow(Conflict);
    try {
      advance(applicationMachine, 'ineligible', { type: 'WITHDRAW' });
    } catch (error) {
      expect((error as Conflict).status).toBe(409);
      expect((error as Conflict).details).toEqual({ status: 'ineligible', event: 'WITHDRAW', allowedEvents: [] });
    }
  });

  it('allows withdrawal until the end of the check, not after ineligibility', () => {
    for (const status of ['submitted', 'in_formal_check', 'changes_requested', 'eligible']) {
      expect(advance(applicationMachine, status, { type: 'WITHDRAW' }).status).toBe('withdrawn');
    }
    expect(eventsIn(applicationMachine, 'withdrawn')).toEqual([]);
  });

  it('allows withdrawal after the table decided either way: the applicant learns the decision only with the award', () => {
    for (const status of ['on_agenda', 'approved', 'rejected']) {
      expect(advance(applicationMachine, status, { type: 'WITHDRAW' }).status).toBe('withdrawn');
    }
  });

  it('does not withdraw a draft: a draft is deleted instead', () => {
    expect(() => advance(applicationMachine, 'draft', { type: 'WITHDRAW' })).toThrow(Conflict);
    expect(eventsIn(applicationMachine, 'draft')).toEqual(['SUBMIT']);
  });
});

describe('call machine', () => {
  it('publishes only before the deadline and closes only after it', () => {
    expect(() => advance(callMachine, 'draft', { type: 'PUBLISH', deadlinePassed: true })).toThrow(Conflict);
    expect(advance(callMachine, 'draft', { type: 'PUBLISH', deadlinePassed: false }).status).toBe('published');
    expect(() => advance(callMachine, 'published', { type: 'CLOSE', deadlinePassed: false })).toThrow(Conflict);
    expect(advance(callMachine, 'published', { type: 'CLOSE', deadlinePassed: true }).status).toBe('closed');
    expect(advance(callMachine, 'closed', { type: 'START_REVIEW' }).status).toBe('in_review');
  });

  it('after the table: a released award makes it awarded, then final; a released rejection ends it', () => {
    expect(advance(applicationMachine, 'approved', { type: 'AWARD' }).status).toBe('awarded');
    expect(advance(applicationMachine, 'awarded', { type: 'BECOME_FINAL' }).status).toBe('final');
    expect(advance(applicationMachine, 'rejected', { type: 'NOTIFY_REJECTION' }).status).toBe('rejection_notified');
    // Approved but left below the budget when the call is decided.
    expect(advance(applicationMachine, 'approved', { type: 'NOTIFY_REJECTION' }).status).toBe('rejection_notified');
    expect(() => advance(applicationMachine, 'rejected', { type: 'AWARD' })).toThrow(Conflict);
    expect(() => advance(applicationMachine, 'eligible', { type: 'AWARD' })).toThrow(Conflict);
    // A grantee may decline a released award; a final one or a notified rejection ends the workflow.
    expect(advance(applicationMachine, 'awarded', { type: 'WITHDRAW' }).status).toBe('withdrawn');
    expect(eventsIn(applicationMachine, 'final')).toEqual([]);
    expect(eventsIn(applicationMachine, 'rejection_notified')).toEqual([]);
  });
});
