import { setup } from 'xstate';

/** Facts the service loads into the events; the machine itself reads no clock and no database. */
export type CallEvent =
  | { type: 'PUBLISH'; deadlinePassed: boolean }
  | { type: 'CLOSE'; deadlinePassed: boolean }
  | { type: 'START_REVIEW' }
  | { type: 'DECIDE' }
  | { type: 'ARCHIVE' };

export const CALL_MACHINE_VERSION = 1;

/** A call for proposals: draft → published → closed (at the deadline) → in review → decided → archived. */
export const callMachine = setup({
  types: { events: {} as CallEvent },
  guards: {
    deadlineAhead: ({ event }) => event.type === 'PUBLISH' && !event.deadlinePassed,
    deadlinePassed: ({ event }) => event.type === 'CLOSE' && event.deadlinePassed,
  },
}).createMachine({
  id: 'call',
  initial: 'draft',
  states: {
    draft: { on: { PUBLISH: { target: 'published', guard: 'deadlineAhead' } } },
    published: { on: { CLOSE: { target: 'closed', guard: 'deadlinePassed' } } },
    closed: { on: { START_REVIEW: 'in_review' } },
    in_review: { on: { DECIDE: 'decided' } },
    decided: { on: { ARCHIVE: 'archived' } },
    archived: { type: 'final' },
  },
});

export const CALL_STATUSES = ['draft', 'published', 'closed', 'in_review', 'decided', 'archived'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];
