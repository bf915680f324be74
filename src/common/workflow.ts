import { transition, type AnyStateMachine, type EventObject } from 'xstate';
import { Conflict } from './errors.js';

/** What is stored per row for a workflow: the state as text, and the machine's snapshot. */
export interface WorkflowStep {
  status: string;
  snapshot: { value: string; context: Record<string, unknown> };
}

/** The event types the machine's current state reacts to (guards aside). */
export function eventsIn(machine: AnyStateMachine, status: string): string[] {
  return Object.keys(machine.root.states[status]?.on ?? {});
}

/**
 * Computes the next state of a pure XState machine from the stored state. A refused event is a 409
 * naming the current state and the events it allows.
 */
export function advance<E extends EventObject>(machine: AnyStateMachine, status: string, event: E, context: Record<string, unknown> = {}): WorkflowStep {
  const snapshot = machine.resolveState({ value: status, context });
  if (!snapshot.can(event)) {
    throw new Conflict('workflow.refused', { status, event: event.type, allowedEvents: eventsIn(machine, status) });
  }
  const [next] = transition(machine, snapshot, event);
  return { status: String(next.value), snapshot: { value: String(next.value), context: next.context } };
}

export function initialStep(machine: AnyStateMachine): WorkflowStep {
  const value = String(machine.config.initial);
  return { status: value, snapshot: { value, context: {} } };
}

/** A workflow row as the API shows it: the machine's own bookkeeping stays inside the service. */
export function withoutMachineState<T extends { machineSnapshot?: unknown; machineVersion?: unknown }>(row: T): Omit<T, 'machineSnapshot' | 'machineVersion'> {
  const { machineSnapshot: _snapshot, machineVersion: _version, ...shown } = row;
  return shown;
}
