// Browser benchmark: long logs. A 5-server cluster at real-time speed gets N client
// commands (sent one by one through the page's own handle, as a course page's buttons
// or a student holding a key would), lets them commit, then plays for a while; the
// page measures each frame's work (its rAF callback plus the Yew render it causes).
// Printed beside the same run with an empty log. Not a test: figures for the README.
//
//   node web/bench/long-log-bench.mjs [--entries 10000] [--seconds 10]
import { serve, launch } from '../tests/harness.mjs';
import { numberArg, pct } from './figures.mjs';

const entries = numberArg('entries', 10000);
const seconds = numberArg('seconds', 10);

async function run(browser, base, n) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${base}?seed=11&speed=1&autoplay=0`);
  await page.waitForSelector('g.server');
  const fill = await page.evaluate(async (count) => {
    const pg = window.raftPlayground;
    for (let t = 0; t < 3000 && !pg.state().leader; t += 10) pg.advance(10);
    const leader = pg.state().leader;
    const start = performance.now();
    for (let k = 0; k < count; k += 1) pg.send(leader, `Add ${k % 7}`);
    const sent = performance.now() - start;
    // Let them all commit (in simulated time, as fast as the page can).
    const c0 = performance.now();
    for (let t = 0; t < 60000; t += 50) {
      pg.advance(50);
      const s = pg.state();
      if (s.servers.every((x) => x.commitIndex >= count)) break;
    }
    const committed = Math.min(...pg.state().servers.map((x) => x.commitIndex));
    return { sendMs: sent, commitMs: performance.now() - c0, committed };
  }, n);
  await page.evaluate(() => window.raftPlayground.play());
  await page.waitForTimeout(1000);
  await page.evaluate(() => window.wasmBindings.reset_frame_times());
  await page.waitForTimeout(seconds * 1000);
  const times = await page.evaluate(() => Array.from(window.wasmBindings.frame_times()));
  await page.close();
  return {
    entries: n, ...fill, frames: times.length,
    frame_ms: { p50: pct(times, 0.5), p95: pct(times, 0.95), p99: pct(times, 0.99), max: Math.max(...times) },
    errors,
  };
}

const server = await serve();
const browser = await launch();
const empty = await run(browser, server.base, 0);
const long = await run(browser, server.base, entries);
await browser.close();
await server.close();
console.log(JSON.stringify({ empty, long, p95_difference_ms: long.frame_ms.p95 - empty.frame_ms.p95 }, null, 2));
if (empty.errors.length || long.errors.length) process.exit(1);
