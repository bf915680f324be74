import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request facts that deep layers (audit trail, error filter) need without threading them through. */
export interface RequestContext {
  correlationId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentCorrelationId(): string | undefined {
  return requestContext.getStore()?.correlationId;
}
