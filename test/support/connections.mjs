// Ports and PostgreSQL clients for tests and benchmarks. Plain JavaScript (types in
// connections.d.mts), so that the benchmarks (plain node against dist/), jest's global setup (which
// runs outside jest's module system) and the TypeScript tests all load this one copy.
import { createServer } from 'node:net';
import pg from 'pg';

/** A TCP port that is free on 127.0.0.1 at the moment of asking. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs `fn` with a client connected to `url`, and closes the client afterwards. */
export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
