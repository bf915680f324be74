// Cold start: the service process started on a database that is already migrated and holds data,
// until /health answers. Floor: a bare NestJS application with a database pool on the same server.
// Goal (issue 8): < 3 s.
import { fmt, report, startFloor, startPostgres, startService, finish } from './support/harness.mjs';

const postgres = await startPostgres();
let met;
try {
  const url = await postgres.createDatabase('bench_cold_start');
  // The first start migrates and loads the demo data; the second is the one measured.
  await (await startService(url)).stop();
  const service = await startService(url);
  await service.stop();
  const floor = await startFloor(url);
  await floor.stop();
  met = report('Cold start (process start until /health answers; database migrated)', [
    { name: 'cold start', figure: fmt.ms(service.startMs), floor: fmt.ms(floor.startMs), ratio: fmt.ratio(service.startMs / floor.startMs), goal: '< 3000 ms', ok: service.startMs < 3000 },
  ]);
} finally {
  await postgres.stop();
}
await finish(met);
