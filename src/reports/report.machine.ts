import { setup } from 'xstate';

export type ReportEvent =
  | { type: 'SUBMIT' }
  | { type: 'START_CHECK' }
  | { type: 'REQUEST_CLARIFICATION' }
  | { type: 'ACCEPT' }
  | { type: 'SETTLE_WITH_CLAIM' };

export const REPORT_MACHINE_VERSION = 1;

/**
 * A usage report (Verwendungsnachweis): due at the award's deadline, submitted by the grantee,
 * checked by the office, sent back for clarification as often as needed, and finally accepted, or
 * settled with a repayment claim when the admitted figures leave less due than was paid.
 */
export const reportMachine = setup({
  types: { events: {} as ReportEvent },
}).createMachine({
  id: 'report',
  initial: 'due',
  states: {
    due: { on: { SUBMIT: 'submitted' } },
    submitted: { on: { START_CHECK: 'in_check' } },
    in_check: { on: { REQUEST_CLARIFICATION: 'clarification_requested', ACCEPT: 'accepted', SETTLE_WITH_CLAIM: 'settled_with_claim' } },
    clarification_requested: { on: { SUBMIT: 'submitted' } },
    accepted: { type: 'final' },
    settled_with_claim: { type: 'final' },
  },
});

export const REPORT_STATUSES = ['due', 'submitted', 'in_check', 'clarification_requested', 'accepted', 'settled_with_claim'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** States in which the grantee may change the report. */
export const REPORT_EDITABLE: ReportStatus[] = ['due', 'clarification_requested'];
