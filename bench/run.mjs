// Runs every bench/*.bench.mjs one after another (each in its own process, so that one's memory and
// pools do not weigh on the next) and fails when any of them misses its goal.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(dir).filter((file) => file.endsWith('.bench.mjs') && (only.length === 0 || only.some((name) => file.includes(name)))).sort();
const failed = [];
for (const file of benches) {
  console.log(`\n## ${file}`);
  const { status } = spawnSync(process.execPath, [join(dir, file)], { stdio: 'inherit' });
  if (status !== 0) failed.push(file);
}
if (failed.length > 0) {
  console.log(`\nMissed their goal or failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
