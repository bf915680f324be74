import type pg from 'pg';
import { currentCorrelationId } from '../../src/common/request-context.js';
import type { TestApp } from './app.js';

/**
 * The statements the service sends on its pool's connections for the request with this correlation
 * id, in order (background work, such as jobs, is not counted).
 */
export async function statementsOf(t: TestApp, correlationId: string, fn: () => Promise<unknown>): Promise<string[]> {
  const pool = (t.dataSource.driver as unknown as { master: pg.Pool }).master;
  const sent: string[] = [];
  const wrapped = new WeakSet<pg.PoolClient>();
  const count = (client: pg.PoolClient) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (counting && currentCorrelationId() === correlationId) sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
      return query(...args);
    };
  };
  let counting = true;
  pool.on('acquire', count);
  try {
    await fn();
  } finally {
    counting = false;
    pool.off('acquire', count);
  }
  return sent;
}
