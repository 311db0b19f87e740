// The page's weight budget: everything the page loads (wasm, JavaScript glue and its
// snippet, HTML, CSS, icon, and the texts of the language it shows: the larger of the
// language files, since a page loads only one), each file compressed with gzip -9 as
// the shared frame-cost probe counts it, stays at or under 250 KB. A change that adds
// weight past it fails here, not in a later benchmark.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { dist, distFull } from './harness.mjs';

const BUDGET = 250 * 1000;
const PAGE = ['index.html', 'raft-playground_bg.wasm', 'raft-playground.js', 'style.css', 'favicon.svg'];

const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length;

/** Every file below `dir` (relative to dist). */
function files(dir) {
  return fs.readdirSync(path.join(dist, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test('everything the page loads weighs at most 250 KB gzipped', () => {
  const languages = files('i18n').map((f) => [f, gz(f)]).sort((a, b) => b[1] - a[1]);
  assert.ok(languages.length >= 2, 'the language files are in dist/i18n');
  const sizes = [...PAGE, ...files('snippets')].map((f) => [f, gz(f)]).concat([languages[0]]);
  const total = sizes.reduce((a, [, n]) => a + n, 0);
  console.log(`${sizes.map(([f, n]) => `${f} ${n} B`).join(' + ')} = ${total} B gzipped (budget ${BUDGET} B)`);
  console.log(`language files: ${languages.map(([f, n]) => `${f} ${n} B`).join(', ')}`);
  assert.ok(total <= BUDGET, `${total} B gzipped is over the ${BUDGET} B budget`);
});

// The page with everything (dist-full: the tour's questions, puzzles, membership
// changes): what they add is in its wasm and glue only, so that the page without them
// keeps the budget above; its own weight is printed for the README.
test('the page with everything adds to the wasm only; its weight', () => {
  const ex = distFull;
  assert.ok(fs.existsSync(path.join(ex, 'raft-playground_bg.wasm')), `${ex} is built by the test command`);
  for (const f of ['style.css', 'favicon.svg', ...files('i18n')]) {
    assert.ok(fs.readFileSync(path.join(dist, f)).equals(fs.readFileSync(path.join(ex, f))), `${f} differs`);
  }
  const gzEx = (f) => zlib.gzipSync(fs.readFileSync(path.join(ex, f)), { level: 9 }).length;
  const language = Math.max(...files('i18n').map(gz));
  const snippets = files('snippets').reduce((a, f) => a + gz(f), 0);
  const total = PAGE.reduce((a, f) => a + gzEx(f), 0) + snippets + language;
  const extra = gzEx('raft-playground_bg.wasm') - gz('raft-playground_bg.wasm');
  console.log(`with everything: wasm ${gzEx('raft-playground_bg.wasm')} B (+${extra} B), everything ${total} B gzipped`);
  assert.ok(extra > 0, 'the extras are in the wasm of dist-full');
});
