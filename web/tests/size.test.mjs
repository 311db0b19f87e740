// The page's weight budget: everything the page loads (wasm, JavaScript glue, HTML,
// CSS, icon), each file compressed with gzip -9 as the shared frame-cost probe counts
// it, stays at or under 250 KB. A change that adds weight past it fails here, not in a
// later benchmark.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { dist } from './harness.mjs';

const BUDGET = 250 * 1000;
const PAGE = ['index.html', 'raft-playground_bg.wasm', 'raft-playground.js', 'style.css', 'favicon.svg'];

test('everything the page loads weighs at most 250 KB gzipped', () => {
  const sizes = PAGE.map((f) => [f, zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length]);
  const total = sizes.reduce((a, [, n]) => a + n, 0);
  console.log(`${sizes.map(([f, n]) => `${f} ${n} B`).join(' + ')} = ${total} B gzipped (budget ${BUDGET} B)`);
  assert.ok(total <= BUDGET, `${total} B gzipped is over the ${BUDGET} B budget`);
});
