// The page's weight budget: the release build's wasm plus its JavaScript glue, each
// compressed with gzip -9 (as the shared frame-cost probe counts it), stays under
// 200 KB. A change that adds weight past it fails here, not in a later benchmark.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { dist } from './harness.mjs';

const BUDGET = 200 * 1000;

test('the release wasm plus JS weigh less than 200 KB gzipped', () => {
  const files = ['raft-playground_bg.wasm', 'raft-playground.js'];
  const sizes = files.map((f) => zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  console.log(`wasm ${sizes[0]} B + JS ${sizes[1]} B = ${total} B gzipped (budget ${BUDGET} B)`);
  assert.ok(total < BUDGET, `${total} B gzipped is over the ${BUDGET} B budget`);
});
