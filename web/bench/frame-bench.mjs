// Browser benchmark: the work per animation frame (simulation plus Yew render, measured
// inside the page from the start of each requestAnimationFrame callback to the end of
// the render it caused) and the page's weight, on the release build in Debian's
// chromium. Not a test: it prints figures for the README.
//
//   node web/bench/frame-bench.mjs [--nodes 7] [--speed 1] [--seconds 20]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, dist } from '../tests/harness.mjs';
import { arg, pct } from './figures.mjs';

const nodes = arg('nodes', '7');
const speed = arg('speed', '1');
const seconds = Number(arg('seconds', '20'));

const weight = {};
for (const f of fs.readdirSync(dist)) {
  if (!/\.(wasm|js|css|html)$/.test(f)) continue;
  const data = fs.readFileSync(path.join(dist, f));
  weight[f] = { raw: data.length, gzip: zlib.gzipSync(data, { level: 9 }).length };
}
const sum = (pred, key) => Object.entries(weight).filter(([f]) => pred(f)).reduce((a, [, w]) => a + w[key], 0);

const server = await serve();
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
await page.goto(`${server.base}?nodes=${nodes}&speed=${speed}&seed=11${process.env.EXTRA || ""}`);
await page.waitForSelector('g.server');
await page.waitForTimeout(3000);
await page.evaluate(() => window.wasmBindings.reset_frame_times());
await page.waitForTimeout(seconds * 1000);
const times = await page.evaluate(() => Array.from(window.wasmBindings.frame_times()));
const messages = await page.$$eval('g.msg', (m) => m.length);
await browser.close();
await server.close();

const result = {
  nodes: Number(nodes), speed, seconds, frames: times.length,
  frame_ms: {
    p50: pct(times, 0.5), p95: pct(times, 0.95), p99: pct(times, 0.99),
    max: Math.max(...times), mean: times.reduce((a, b) => a + b, 0) / times.length,
  },
  messages_on_screen_at_end: messages,
  weight_gzip: { wasm_plus_js: sum((f) => /\.(wasm|js)$/.test(f), 'gzip'), all: sum(() => true, 'gzip') },
  weight_raw: { wasm_plus_js: sum((f) => /\.(wasm|js)$/.test(f), 'raw') },
  files: weight, errors,
};
console.log(JSON.stringify(result, null, 2));
if (errors.length) process.exit(1);
