import { setup } from 'xstate';

/** Facts the service loads into the events: whether a submission is in time. */
export type ApplicationEvent =
  | { type: 'SUBMIT'; inTime: boolean }
  | { type: 'START_CHECK' }
  | { type: 'REQUEST_CHANGES' }
  | { type: 'MARK_ELIGIBLE' }
  | { type: 'MARK_INELIGIBLE' }
  | { type: 'WITHDRAW' }
  | { type: 'ADD_TO_AGENDA' }
  | { type: 'APPROVE' }
  | { type: 'REJECT' }
  | { type: 'DEFER' }
  | { type: 'TAKE_OFF_AGENDA' }
  | { type: 'AWARD' }
  | { type: 'NOTIFY_REJECTION' }
  | { type: 'BECOME_FINAL' };

export const APPLICATION_MACHINE_VERSION = 3;

/**
 * An application through the office's formal check, the round table's decision and the city's decision (Bescheid). Submission is
 * accepted in time only (the call's deadline, or the reply-by date of a change request); the applicant can withdraw a submitted
 * application until the award is final. A draft is not withdrawn but deleted. After the table: a released award makes it
 * `awarded`, final (bestandskräftig) once the period for an action has passed or the remedy was waived; a released rejection
 * (voted down, or approved but left below the budget) makes it `rejection_notified`. Approved items on the waiting list stay
 * `approved` until money is freed for them or the call is decided.
 */
export const applicationMachine = setup({
  types: { events: {} as ApplicationEvent },
  guards: {
    inTime: ({ event }) => event.type === 'SUBMIT' && event.inTime,
  },
}).createMachine({
  id: 'application',
  initial: 'draft',
  states: {
    draft: { on: { SUBMIT: { target: 'submitted', guard: 'inTime' } } },
    submitted: {
      on: { START_CHECK: 'in_formal_check', REQUEST_CHANGES: 'changes_requested', MARK_ELIGIBLE: 'eligible', MARK_INELIGIBLE: 'ineligible', WITHDRAW: 'withdrawn' },
    },
    in_formal_check: { on: { REQUEST_CHANGES: 'changes_requested', MARK_ELIGIBLE: 'eligible', MARK_INELIGIBLE: 'ineligible', WITHDRAW: 'withdrawn' } },
    changes_requested: { on: { SUBMIT: { target: 'submitted', guard: 'inTime' }, WITHDRAW: 'withdrawn' } },
    eligible: { on: { ADD_TO_AGENDA: 'on_agenda', WITHDRAW: 'withdrawn' } },
    // The round table's decision; deferred items, and those of a cancelled session, return to eligible for a later session.
    on_agenda: { on: { APPROVE: 'approved', REJECT: 'rejected', DEFER: 'eligible', TAKE_OFF_AGENDA: 'eligible', WITHDRAW: 'withdrawn' } },
    approved: { on: { AWARD: 'awarded', NOTIFY_REJECTION: 'rejection_notified', WITHDRAW: 'withdrawn' } },
    // Until the letter the applicant does not know the table's decision, so withdrawing stays possible either way.
    rejected: { on: { NOTIFY_REJECTION: 'rejection_notified', WITHDRAW: 'withdrawn' } },
    // Withdrawing a released award (the grantee declines it) frees its money.
    awarded: { on: { BECOME_FINAL: 'final', WITHDRAW: 'withdrawn' } },
    final: { type: 'final' },
    rejection_notified: { type: 'final' },
    ineligible: { type: 'final' },
    withdrawn: { type: 'final' },
  },
});

export const APPLICATION_STATUSES = [
  'draft', 'submitted', 'in_formal_check', 'changes_requested', 'eligible', 'ineligible', 'on_agenda', 'approved', 'rejected',
  'awarded', 'final', 'rejection_notified', 'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** States in which the applicant may change the application's content. */
export const EDITABLE_STATUSES: ApplicationStatus[] = ['draft', 'changes_requested'];
