// Runs every bench/*.bench.mjs one after another, each in its own process, and sums up.
// `npm run bench` builds first; `npm run bench -- worklist submissions` runs only those whose file
// name contains one of the words. BENCH_SCALE=0.1 runs the load benches at a tenth of their size.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.mjs'))
  .filter((file) => wanted.length === 0 || wanted.some((word) => file.includes(word)))
  .sort();

const results = [];
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const started = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, file)], { stdio: 'inherit' });
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  results.push({ file, code, seconds: (Date.now() - started) / 1000 });
}

console.log('\n=== summary');
for (const { file, code, seconds } of results) console.log(`  ${code === 0 ? 'met ' : 'MISS'} ${file} (${seconds.toFixed(0)} s)`);
process.exitCode = results.every((result) => result.code === 0) ? 0 : 1;
