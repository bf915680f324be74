// Times ranking and allocation of 10,000 applications (target: under 100 ms on the project's
// machine, 2 cores). Run with `npm run bench` (it builds first). Prints the median of 20 runs, and
// beside it the floor: sorting the same items by one precomputed number.
import { performance } from 'node:perf_hooks';
import { allocate, rank } from '../dist/src/ranking/ranking.js';

const COUNT = 10_000;
const TARGET_MS = 100;
const fields = ['Antirassismus', 'Interreligiöser Dialog', 'Extremismusprävention', 'Diversität', 'Politische Bildung', 'Sprachförderung'];

// A fixed pseudo-random sequence, so that every run measures the same input.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const items = Array.from({ length: COUNT }, (_, i) => ({
  id: `a-${i}`,
  importance: 1 + random() * 4,
  urgency: 1 + random() * 4,
  submittedAt: new Date(Date.UTC(2026, 7, 1) + Math.floor(random() * 60 * 86400_000)).toISOString(),
  referenceNumber: `NE-2026-${String(i + 1).padStart(5, '0')}`,
  recommendedCents: 50_000 + Math.floor(random() * 450_000),
  fieldOfAction: fields[i % fields.length],
}));
const options = { budgetCents: 300_000_000, partialFunding: true, fieldCapsCents: Object.fromEntries(fields.map((f) => [f, 80_000_000])) };

const timings = [];
for (let run = 0; run < 20; run++) {
  const started = performance.now();
  const result = allocate(rank(items, { importance: 2, urgency: 1 }), options);
  timings.push(performance.now() - started);
  if (result.funded.length + result.waitingList.length !== COUNT) throw new Error('allocation lost items');
}
timings.sort((a, b) => a - b);
const median = timings[Math.floor(timings.length / 2)];

const floors = [];
for (let run = 0; run < 20; run++) {
  const started = performance.now();
  items.map((item) => ({ item, key: item.importance * 2 + item.urgency })).sort((a, b) => b.key - a.key);
  floors.push(performance.now() - started);
}
floors.sort((a, b) => a - b);
const floor = floors[Math.floor(floors.length / 2)];
console.log(`ranking + allocation of ${COUNT} applications: median ${median.toFixed(1)} ms, fastest ${timings[0].toFixed(1)} ms, slowest ${timings.at(-1).toFixed(1)} ms  floor ${floor.toFixed(1)} ms  ratio ${(median / floor).toFixed(2)}×  (target < ${TARGET_MS} ms)`);
process.exitCode = median < TARGET_MS ? 0 : 1;
