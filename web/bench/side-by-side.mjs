// Browser benchmark, side by side with RaftScope (issue 16's method): the shared
// frame-cost probe, run on the playground (7 servers, real time) and on RaftScope
// (5 servers, 1x), interleaved, a few runs each; prints the medians of the main
// thread's cost per frame (script, then script plus style, layout and paint) at p95,
// the time to the first frame, and the ratios. Not a test: figures for the README.
//
//   node web/bench/side-by-side.mjs [--runs 5] [--seconds 20]
//       [--raftscope ../shared/anchors/raftscope] [--probe ../shared/tools/frame-cost]
//
// RaftScope (ISC licence) is served from where it is, for measuring only; nothing of it
// is copied into the project. The probe is copied next to this file at run time so
// that it finds playwright-core in web/node_modules.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { serve, dist, root } from '../tests/harness.mjs';
import { arg, median } from './figures.mjs';

const runs = Number(arg('runs', '5'));
const seconds = arg('seconds', '20');
const raftscope = path.resolve(arg('raftscope', path.join(root, '..', 'shared', 'anchors', 'raftscope')));
const probeDir = path.resolve(arg('probe', path.join(root, '..', 'shared', 'tools', 'frame-cost')));
for (const [what, p] of [['RaftScope', path.join(raftscope, 'index.html')], ['the probe', path.join(probeDir, 'frame-cost.mjs')]]) {
  if (!fs.existsSync(p)) {
    console.error(`${what} is not at ${p} (see --raftscope and --probe)`);
    process.exit(2);
  }
}
const probe = path.join(root, 'web', 'bench', '.frame-cost.mjs');
fs.copyFileSync(path.join(probeDir, 'frame-cost.mjs'), probe);

const mine = await serve(dist);
const theirs = await serve(raftscope);
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'side-by-side-'));
// (Asynchronously: the pages are served by this process.)
const run = promisify(execFile);
const measure = async (url, name, extra = []) => {
  const file = path.join(out, `${name}.json`);
  await run('node', [probe, url, '--seconds', seconds, '--warmup', '3', '--out', file, ...extra],
    { maxBuffer: 64 << 20 });
  return JSON.parse(fs.readFileSync(file, 'utf8'));
};
const results = { playground: [], raftscope: [] };
for (let k = 0; k < runs; k++) {
  results.playground.push(await measure(`${mine.base}?nodes=7&speed=1&seed=11`, `playground-${k}`));
  results.raftscope.push(await measure(`${theirs.base}index.html`, `raftscope-${k}`,
    ['--eval', "$('#speed').slider('setValue', 0); 1"]));
}
await mine.close();
await theirs.close();
fs.rmSync(probe);

const figures = (rs) => ({
  script_p95_ms: median(rs.map((r) => r.plus_script_ms.p95)),
  main_p95_ms: median(rs.map((r) => r.plus_main_ms.p95)),
  main_p50_ms: median(rs.map((r) => r.plus_main_ms.p50)),
  first_frame_ms: median(rs.map((r) => r.first_frame_ms)),
  fps: median(rs.map((r) => r.fps)),
  gzip_bytes: median(rs.map((r) => r.bytes_gzip9)),
  errors: rs.flatMap((r) => r.errors || []).filter((e) => !e.ignorable),
});
const a = figures(results.playground);
const b = figures(results.raftscope);
const ratio = (k) => Math.round((a[k] / b[k]) * 100) / 100;
console.log(JSON.stringify({
  runs, seconds: Number(seconds), playground: a, raftscope: b,
  ratios: { script_p95: ratio('script_p95_ms'), main_p95: ratio('main_p95_ms'), first_frame: ratio('first_frame_ms') },
  per_run: {
    playground: results.playground.map((r) => [r.plus_script_ms.p95, r.plus_main_ms.p95, r.first_frame_ms]),
    raftscope: results.raftscope.map((r) => [r.plus_script_ms.p95, r.plus_main_ms.p95, r.first_frame_ms]),
  },
}, null, 2));
