// Time travel, shared runs, the space-time diagram and the safety panel, in Debian's
// chromium on the release build served under a sub-path; each test starts paused and
// moves the run in simulated time.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  serve, launch, open, cluster, runUntil, advance, leaderOf, screenshot, clickServer, sendCommand, click,
} from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const clock = (page) => page.$eval('output.clock', (o) => ({ now: Number(o.dataset.now), head: Number(o.dataset.head) }));

async function seek(page, t) {
  await page.$eval('[data-control="timeline"]', (el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, t);
  await page.waitForFunction((v) => Number(document.querySelector('output.clock').dataset.now) === v, t);
}

/** The logs as text, server by server, from the log table. */
function logsOf(s) {
  return s.servers.map((x) => s.log[x.id].map((c) => `${c.index}:${c.command}@${c.term}${c.committed ? '' : '*'}`).join(' '));
}

test('dragging the slider back shows the earlier cluster; acting there forks, and the fork can be undone', async () => {
  const { page, errors } = await open(browser, `${server.base}?seed=2`);
  const first = leaderOf(await runUntil(page, (s) => s.leaders.length === 1, 'a first leader'));
  await sendCommand(page, first.id, 'Set 1');
  await runUntil(page, (s) => s.servers.every((x) => s.log[x.id][0]?.committed), 'Set 1 committed');
  const before = await cluster(page);
  const then = before.now;
  await advance(page, 50); // the leader stops a little later
  await page.keyboard.press('Escape');
  await clickServer(page, first.id);
  await click(page, `[data-menu="${first.id}"] [data-action="stop"]`);
  await runUntil(page, (s) => s.leaders.some((l) => l.term > first.term), 'a new leader');
  const { head } = await clock(page);
  // Back to when the first leader led: everything shows as it was.
  await seek(page, then);
  const past = await cluster(page);
  assert.equal(leaderOf(past).id, first.id);
  assert.equal(leaderOf(past).term, first.term);
  assert.ok(past.servers.every((x) => x.alive), 'nobody stopped yet');
  assert.deepEqual(logsOf(past), logsOf(before));
  await screenshot(page, 'tt-1-back-in-time');
  // Forward again: the recorded future plays back (the leader stops again).
  await seek(page, head);
  const again = await cluster(page);
  assert.equal(again.servers.find((x) => x.id === first.id).alive, false);
  // Acting in the past forks: stop another server back then.
  await seek(page, then);
  const other = (first.id % 5) + 1;
  await clickServer(page, other);
  await click(page, `[data-menu="${other}"] [data-action="stop"]`);
  const forked = await clock(page);
  assert.equal(forked.head, forked.now, 'the old future is gone');
  assert.equal((await cluster(page)).servers.find((x) => x.id === other).alive, false);
  await page.keyboard.press('Escape');
  await click(page, '[data-action="undo-fork"]');
  const undone = await clock(page);
  assert.equal(undone.head, head, 'the old future is back');
  assert.equal(undone.now, then);
  assert.ok((await cluster(page)).servers.every((x) => x.alive));
  // Step back and forward by single events.
  const t0 = (await clock(page)).now;
  await page.keyboard.press(',');
  await page.waitForFunction((v) => Number(document.querySelector('output.clock').dataset.now) < v, t0);
  const back = (await clock(page)).now;
  await page.keyboard.press('.');
  await page.waitForFunction((v) => Number(document.querySelector('output.clock').dataset.now) >= v, back);
  await screenshot(page, 'tt-2-undo');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a shared link reproduces the same run at the same moment in a fresh page', async () => {
  const { page, errors } = await open(browser, `${server.base}?seed=9`);
  const l = leaderOf(await runUntil(page, (s) => s.leaders.length === 1, 'a leader'));
  await sendCommand(page, l.id, 'Set 4');
  await sendCommand(page, l.id, 'Add 3');
  await page.keyboard.press('Escape');
  await click(page, '[data-action="split"]');
  await click(page, 'g.server[data-server="4"]');
  await click(page, '[data-action="apply-split"]');
  await runUntil(page, (s) => s.now > 1_500_000, 'some time after the split', 3000, 50);
  await click(page, '[data-action="copy-link"]');
  const link = await page.$eval('[data-control="share-link"]', (i) => i.value);
  assert.match(link, /[?&]run=[A-Za-z0-9_-]+/);
  const original = await cluster(page);

  const fresh = await open(browser, link);
  const copy = await cluster(fresh.page);
  assert.equal(copy.now, original.now, 'the same moment');
  assert.deepEqual(logsOf(copy), logsOf(original), 'identical logs');
  assert.deepEqual(copy.servers, original.servers);
  const islands = await fresh.page.$$eval('path.island', (p) => p.length);
  assert.equal(islands, 2, 'the partition too');
  await screenshot(fresh.page, 'tt-3-shared-link');
  assert.deepEqual(fresh.errors, []);
  await fresh.page.close();

  // A damaged link: a clear message, and a working playground.
  const broken = await open(browser, `${link.slice(0, link.length - 40)}`);
  assert.match(await broken.page.textContent('[data-feedback]'), /cannot be opened/);
  await runUntil(broken.page, (s) => s.leaders.length >= 1, 'a playground that still works');
  await broken.page.close();
  // Not base64url, or bytes that are not text: named in the message.
  for (const [bad, why] of [['a+b/', 'not base64url'], ['__8', 'not text']]) {
    const other = await open(browser, `${server.base}?run=${encodeURIComponent(bad)}`);
    assert.match(await other.page.textContent('[data-feedback]'), new RegExp(`damaged \\(${why}\\)`));
    assert.deepEqual(other.errors, []);
    await other.page.close();
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('export and import a run as a file; a bad file leaves the current run untouched', async () => {
  const { page, errors } = await open(browser, `${server.base}?seed=12`);
  await runUntil(page, (s) => s.leaders.length === 1 && s.now > 600_000, 'a leader');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="export"]')]);
  const text = await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString());
  const trace = JSON.parse(text);
  assert.equal(trace.format, 'raft-playground-trace');
  assert.equal(trace.version, 1);
  const original = await cluster(page);

  const other = await open(browser, `${server.base}?seed=77`);
  await runUntil(other.page, (s) => s.now > 300_000, 'its own run');
  const untouched = async (file, message) => {
    const beforeSeed = (await cluster(other.page)).seed;
    const t = (await clock(other.page)).now;
    await other.page.setInputFiles('[data-control="import"]', { name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await other.page.waitForFunction((m) => document.querySelector('[data-feedback]')?.textContent.includes(m), message);
    assert.equal((await cluster(other.page)).seed, beforeSeed);
    assert.equal((await clock(other.page)).now, t, 'the current run is untouched');
  };
  await untouched('{"format": "raft-playground-trace", "version": 2}', 'newer version');
  await untouched(text.slice(0, 200), 'not a valid trace file');
  await untouched(text.replace('"seed": 12', '"seed": 13'), 'cannot be opened');
  await other.page.setInputFiles('[data-control="import"]', { name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await other.page.waitForFunction(() => document.querySelector('[data-feedback]')?.textContent.includes('Run opened'));
  const imported = await cluster(other.page);
  assert.equal(imported.now, original.now);
  assert.deepEqual(imported.servers, original.servers);
  assert.deepEqual(other.errors, []);
  await other.page.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the space-time diagram follows the run, highlights with the ring, and the safety panel shows evidence', async () => {
  const { page, errors } = await open(browser, `${server.base}?seed=3`);
  await runUntil(page, (s) => s.leaders.length === 1, 'a leader', 5000, 2);
  await page.waitForSelector('[data-diagram] .trip');
  await page.waitForSelector('[data-diagram] .mark.leader');
  // Hover a message in flight in the diagram: the same message lights up in the ring.
  const id = await page.$eval('[data-diagram] .trip.live', (g) => g.dataset.id);
  const line = page.locator(`[data-diagram] .trip.live[data-id="${id}"]`);
  await line.scrollIntoViewIfNeeded();
  // A point of the line itself that nothing else covers (its bounding box also holds
  // the arrowhead, and other arrows may cross it).
  const mid = await line.evaluate((l) => {
    const svg = l.ownerSVGElement;
    for (let k = 1; k < 20; k += 1) {
      const f = k / 20;
      let p = svg.createSVGPoint();
      p.x = l.x1.baseVal.value + (l.x2.baseVal.value - l.x1.baseVal.value) * f;
      p.y = l.y1.baseVal.value + (l.y2.baseVal.value - l.y1.baseVal.value) * f;
      p = p.matrixTransform(l.getScreenCTM());
      if (document.elementFromPoint(p.x, p.y) === l) return { x: p.x, y: p.y };
    }
    return null;
  });
  assert.ok(mid, 'a visible point on the arrow');
  await page.mouse.move(mid.x, mid.y);
  await page.waitForSelector(`g.msg.hover[data-id="${id}"]`);
  // Safety: Figure 3's five badges and linearizable reads, all holding; evidence on demand.
  const badges = await page.$$eval('[data-property]', (b) => b.map((x) => [x.dataset.property, x.dataset.holds]));
  assert.deepEqual(badges.map((b) => b[0]), ['ElectionSafety', 'LeaderAppendOnly', 'LogMatching', 'LeaderCompleteness', 'StateMachineSafety', 'LinearizableReads']);
  assert.ok(badges.every((b) => b[1] === 'true'));
  await click(page, '[data-property="ElectionSafety"]');
  const ev = await page.$$eval('[data-evidence="ElectionSafety"] li', (l) => l.map((x) => x.textContent));
  assert.match(ev.join(' '), /term 1: S\d/);
  await click(page, '[data-property="LogMatching"]');
  assert.equal((await page.$$('[data-evidence="LogMatching"] li')).length, 10, 'one line per pair of servers');
  await screenshot(page, 'tt-4-diagram-safety');
  assert.deepEqual(errors, []);
  await page.close();
});
