// Shared helpers for the browser tests: a static server that serves the release build
// under a sub-path (as a teacher's course site would), Debian's chromium driven by
// playwright-core, and readers of the cluster's state from the page's data-* hooks.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const dist = process.env.DIST_DIR || path.join(root, 'dist');
/** The page with everything: exercises, membership changes (`trunk build --release
 * --features full --dist dist-full`). */
export const distFull = process.env.FULL_DIST_DIR || path.join(root, 'dist-full');
export const shots = path.join(here, 'screenshots');
export const PREFIX = '/course/raft/';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** Serves `dir` under PREFIX on a free port; everything else is a 404. */
export function serve(dir = dist) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir} is not built (see scripts/test.sh, stage build)`);
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(PREFIX)) { res.writeHead(404); res.end('not here'); return; }
    let rel = decodeURIComponent(url.pathname.slice(PREFIX.length)) || 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end('missing'); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ base: `http://127.0.0.1:${port}${PREFIX}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** A page that records every console error and uncaught exception. The playground
 * starts paused (`autoplay=0` unless the address says otherwise): tests move it with
 * `advance` and `runUntil`, in simulated time, never by waiting. */
export async function open(browser, url, viewport = { width: 1280, height: 800 }, options = {}) {
  const page = await browser.newPage({ viewport, ...options });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(paused(url));
  await page.waitForSelector('g.server');
  return { page, errors };
}

/** `url` with `autoplay=0`, unless it sets autoplay itself. */
export function paused(url) {
  if (/[?&]autoplay=/.test(url)) return url;
  return url + (url.includes('?') ? '&' : '?') + 'autoplay=0';
}

/** Lets `ms` of simulated time pass in the page (through its JavaScript handle), and
 * waits for the view to show the new time. */
export async function advance(page, ms) {
  const t = await page.evaluate((d) => {
    window.raftPlayground.advance(d);
    return Math.round(window.raftPlayground.state().timeMs * 1000);
  }, ms);
  await page.waitForFunction((v) => Number(document.querySelector('main').dataset.simTime) >= v, t);
}

/** Steps simulated time by `step` ms until `pred(state)` holds, at most `limit` ms of
 * simulated time; returns that state. */
export async function runUntil(page, pred, what, limit = 5000, step = 5) {
  let last = await cluster(page);
  const end = last.now + limit * 1000;
  while (!pred(last)) {
    if (last.now >= end) {
      throw new Error(`not within ${limit} simulated ms: ${what}; last state: ${JSON.stringify({
        now: last.now, servers: last.servers, status: last.status })}`);
    }
    await advance(page, step);
    last = await cluster(page);
  }
  return last;
}

/** The tour's scene state (`playing`, `reached`…), from its panel. */
export function sceneState(page) {
  return page.$eval('section.tour', (t) => t.dataset.sceneState);
}

/** Plays the tour's scene `step` simulated ms at a time until it reaches its
 * checkpoint, calling `each()` after every step; fails past `limit` simulated ms. */
export async function playScene(page, { step = 20, limit = 6000, each } = {}) {
  for (let t = 0; (await sceneState(page)) !== 'reached'; t += step) {
    if (t >= limit) throw new Error(`the scene did not reach its checkpoint within ${limit} simulated ms`);
    await advance(page, step);
    await each?.();
  }
}

/** The number of events the simulation has processed. */
export function events(page) {
  return page.evaluate(() => window.raftPlayground.state().events);
}

/** Waits for the page to draw `n` more animation frames (not a clock: frames). */
export function frames(page, n = 3) {
  return page.evaluate((k) => new Promise((resolve) => {
    const tick = (left) => (left === 0 ? resolve() : requestAnimationFrame(() => tick(left - 1)));
    tick(k);
  }), n);
}

/** The cluster as the page shows it, read only from data-* attributes. */
export function cluster(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const servers = [...document.querySelectorAll('g.server')].map((g) => ({
      id: Number(g.dataset.server), role: g.dataset.role, term: Number(g.dataset.term),
      alive: g.dataset.alive === 'true',
    }));
    const cells = [...document.querySelectorAll('td.entry')].map((td) => ({
      server: Number(td.dataset.server), index: Number(td.dataset.index), term: Number(td.dataset.term),
      committed: td.dataset.committed === 'true', command: td.dataset.command,
    }));
    const messages = [...document.querySelectorAll('g.msg.live')].map((m) => ({
      kind: m.dataset.kind, from: Number(m.dataset.from), to: Number(m.dataset.to),
    }));
    const log = (id) => cells.filter((c) => c.server === id).sort((a, b) => a.index - b.index);
    const leaders = servers.filter((s) => s.alive && s.role === 'leader');
    return {
      now: Number(main.dataset.simTime), seed: Number(main.dataset.seed), servers, cells, messages,
      leaders, log: Object.fromEntries(servers.map((s) => [s.id, log(s.id)])),
      status: document.querySelector('[data-status]')?.textContent ?? '',
      feedback: document.querySelector('[data-feedback]')?.textContent ?? '',
    };
  });
}

/** The leader of the highest term. */
export function leaderOf(state) {
  return [...state.leaders].sort((a, b) => b.term - a.term)[0];
}

export async function screenshot(page, name) {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

/** Opens a server's menu by clicking it. */
export async function clickServer(page, id) {
  await page.click(`g.server[data-server="${id}"]`);
  await page.waitForSelector(`[data-menu="${id}"]`);
}

/** Clicks and lets the page draw what the click did. */
export async function click(page, selector) {
  await page.click(selector);
  await frames(page, 2);
}

export async function sendCommand(page, id, command) {
  await clickServer(page, id);
  await page.fill(`[data-menu="${id}"] [data-control="command"]`, command);
  await click(page, `[data-menu="${id}"] [data-action="send"]`);
}
