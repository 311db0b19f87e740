// Browser benchmark of time travel: one hour of simulated time at the playground's
// default settings, then 200 seeks to pseudo-random moments, measured inside the page
// (wasm in Debian's chromium). Prints the memory growth and the seek times. It first
// makes a release build with the `bench` feature (the measuring hook the page itself
// leaves out) into dist-bench.
//
//   node web/bench/timeline-bench.mjs [--hours 1] [--seeks 200] [--servers 5]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { serve, launch, root } from '../tests/harness.mjs';
import { numberArg, pct } from './figures.mjs';

const hours = numberArg('hours', 1);
const seeks = numberArg('seeks', 200);
const servers = numberArg('servers', 5);

const distBench = path.join(root, 'dist-bench');
const build = spawnSync('trunk', ['build', '--release', '--features', 'bench', '--dist', distBench], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    PATH: `${path.join(root, 'web', 'node_modules', '.bin')}:${process.env.PATH}`,
    TRUNK_SKIP_VERSION_CHECK: 'true',
  },
});
if (build.status !== 0) throw new Error('trunk build --features bench failed');

const server = await serve(distBench);
const browser = await launch();
const page = await browser.newPage();
await page.goto(`${server.base}?autoplay=0`);
await page.waitForSelector('g.server');
const r = await page.evaluate(([h, n, s]) => window.wasmBindings.bench_timeline(h, n, s), [hours, seeks, servers]);
await browser.close();
await server.close();
const mb = (b) => Math.round((b / 1048576) * 10) / 10;
console.log(JSON.stringify({
  simulated_hours: hours,
  servers,
  checkpoints: r.checkpoints,
  run_seconds: Math.round(r.runMs) / 1000,
  wasm_memory_mb: { before: mb(r.memoryBefore), after: mb(r.memoryAfter), growth: mb(r.memoryAfter - r.memoryBefore) },
  seek_ms: { n: r.seekMs.length, p50: pct(r.seekMs, 0.5), p95: pct(r.seekMs, 0.95), max: Math.max(...r.seekMs) },
}, null, 2));
