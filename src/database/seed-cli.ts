import 'reflect-metadata';
import { openDatabase, startDatabase } from '../bootstrap.js';
import { loadConfig } from '../config/app-config.js';
import { DEMO_LOGINS, DEMO_PASSWORD, isEmpty, seedDemo } from './seed-demo.js';

/** `npm run seed:demo`: loads the demo data into an empty database (embedded or DATABASE_URL). */
const config = loadConfig();
const database = await startDatabase(config);
const dataSource = await openDatabase(database.url);
try {
  if (!(await isEmpty(dataSource))) {
    console.log('The database already holds data; demo data is loaded only into an empty database.');
  } else {
    await seedDemo(dataSource, config);
    console.log(`Demo data loaded. Password for every demo login: ${DEMO_PASSWORD}`);
    for (const login of DEMO_LOGINS) console.log(`  ${login.label.padEnd(30)} ${login.email}`);
  }
} finally {
  await dataSource.destroy();
  await database.stop?.();
}
