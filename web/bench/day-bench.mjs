// Browser benchmark: a school day in the page itself (issue 16, goal 3). The release
// build, 7 servers, driven faster than real time through its JavaScript handle (one
// simulated minute per call, each followed by a drawn frame) for 8 simulated hours;
// every simulated half hour it records the wasm memory, the JavaScript heap after a
// garbage collection, and the number of elements in the document. Then it seeks with
// the timeline's slider to pseudo-random moments of the whole day, the first second
// included, and times each seek from the slider's input event to the end of the
// render it causes. Not a test: it prints figures for the README.
//
//   node web/bench/day-bench.mjs [--hours 8] [--servers 7] [--seeks 200]
import { serve, launch, dist } from '../tests/harness.mjs';
import { numberArg, pct } from './figures.mjs';

const hours = numberArg('hours', 8);
const servers = numberArg('servers', 7);
const seeks = numberArg('seeks', 200);
const mb = (b) => Math.round((b / 1048576) * 10) / 10;

const server = await serve(dist);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
// The module's memory, whatever its export is called: kept when the wasm is instantiated.
await page.addInitScript(() => {
  const keep = (result) => {
    const instance = result.instance ?? result;
    for (const v of Object.values(instance.exports ?? {})) {
      if (v instanceof WebAssembly.Memory) window.benchWasmMemory = v;
    }
    return result;
  };
  const streaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = (...a) => streaming(...a).then(keep);
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiate = (...a) => plain(...a).then(keep);
});
await page.goto(`${server.base}?nodes=${servers}&seed=11&autoplay=0`);
await page.waitForSelector('g.server');
const cdp = await page.context().newCDPSession(page);
await cdp.send('HeapProfiler.enable');

const sample = async () => {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const page_ = await page.evaluate(() => ({
    simMs: window.raftPlayground.state().timeMs,
    wasm: window.benchWasmMemory?.buffer.byteLength ?? 0,
    elements: document.getElementsByTagName('*').length,
  }));
  return { hour: Math.round((page_.simMs / 3_600_000) * 100) / 100, wasmMb: mb(page_.wasm),
    jsHeapMb: mb(usedSize), elements: page_.elements };
};

const samples = [await sample()];
const started = Date.now();
const minutes = Math.round(hours * 60);
for (let m = 1; m <= minutes; m++) {
  await page.evaluate(() => new Promise((resolve) => {
    window.raftPlayground.advance(60_000);
    requestAnimationFrame(() => resolve());
  }));
  if (m % 30 === 0 || m === minutes) samples.push(await sample());
}
const driveSeconds = (Date.now() - started) / 1000;

// Seeks by the slider, as a student drags it: the simulated moment asked for is the one shown.
const seekMs = await page.evaluate(async (n) => {
  const slider = document.querySelector('[data-control="timeline"]');
  const [min, max] = [Number(slider.min), Number(slider.max)];
  const afterMicrotasks = () => new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });
  const out = [];
  let x = 0x2545f491;
  for (let k = 0; k < n; k++) {
    // A fixed pseudo-random walk over the day (xorshift), the first moment included.
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const target = k === 0 ? min : min + (x % (max - min + 1));
    const t0 = performance.now();
    slider.value = String(target);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await afterMicrotasks();
    out.push(performance.now() - t0);
    const shown = Number(document.querySelector('output.clock').dataset.now);
    if (shown !== target) throw new Error(`asked for ${target}, shown ${shown}`);
  }
  return { out, min, max };
}, seeks);
samples.push({ ...(await sample()), after: 'seeks' });
await browser.close();
await server.close();

const first = samples[1] ?? samples[0];
const last = samples[samples.length - 2];
console.log(JSON.stringify({
  simulated_hours: hours,
  servers,
  drive_seconds: Math.round(driveSeconds),
  slider: { from_ms: seekMs.min / 1000, to_ms: seekMs.max / 1000 },
  seek_ms: { n: seekMs.out.length, p50: +pct(seekMs.out, 0.5).toFixed(1), p95: +pct(seekMs.out, 0.95).toFixed(1),
    max: +Math.max(...seekMs.out).toFixed(1) },
  wasm_mb: { start: samples[0].wasmMb, half_hour: first.wasmMb, end: last.wasmMb, max: Math.max(...samples.map((s) => s.wasmMb)) },
  js_heap_mb: { start: samples[0].jsHeapMb, half_hour: first.jsHeapMb, end: last.jsHeapMb,
    max: Math.max(...samples.map((s) => s.jsHeapMb)) },
  elements: { start: samples[0].elements, end: last.elements },
  samples,
  errors,
}, null, 2));
