// The Raft options beyond Figure 2 in the page (issue 12): the options panel, reads
// from a server's menu, handing leadership over, PreVote's pre-candidates and message
// kinds, the options in the address. Every page starts paused and moves in simulated
// time.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  serve, launch, open, cluster, runUntil, advance, frames, click, leaderOf, clickServer, screenshot,
} from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const url = (query) => `${server.base}?${query}`;
const checked = (page, option) => page.$eval(`[data-option="${option}"]`, (i) => i.checked ?? i.value);

test('the options panel: each switch says what it does; PreVote restarts the run and shows pre-candidates and their messages', async () => {
  const { page, errors } = await open(browser, url('seed=21'));
  await click(page, '[data-panel="options"] summary');
  const why = await page.$$eval('[data-panel="options"] .why', (w) => w.map((x) => x.textContent));
  assert.equal(why.length, 5, 'no-op, PreVote, CheckQuorum, reads, flow control');
  assert.ok(why.every((w) => w.length > 30), why.join(' | '));
  assert.match(await page.textContent('[data-panel="options"]'), /§8.*§9\.6.*§9\.6.*§6\.4/s);
  assert.equal(await checked(page, 'prevote'), false);
  assert.equal(await page.$$eval('.legend li', (l) => l.filter((x) => /PreVote/.test(x.textContent)).length), 0);

  await click(page, '[data-option="prevote"]');
  let s = await cluster(page);
  assert.match(s.feedback, /starts again with the same seed/);
  assert.equal(s.seed, 21);
  assert.equal(await checked(page, 'prevote'), true);
  assert.equal(await page.$$eval('.legend li', (l) => l.filter((x) => /PreVote/.test(x.textContent)).length), 3);

  // The first election: pre-candidates ask with PreVote before anyone stands.
  s = await runUntil(page, (c) => c.servers.some((x) => x.role === 'pre-candidate'), 'a pre-candidate');
  const pre = s.servers.find((x) => x.role === 'pre-candidate');
  assert.equal(pre.term, 0, 'asking changes no term');
  assert.match(s.status, /asks whether it would be elected/);
  await advance(page, 1);
  s = await cluster(page);
  assert.ok(s.messages.some((m) => m.kind === 'PreVote'), JSON.stringify(s.messages));
  assert.equal(await page.$$eval('g.server.role-pre-candidate', (g) => g.length) >= 1, true);
  await screenshot(page, 'options-1-prevote');
  s = await runUntil(page, (c) => c.leaders.length === 1, 'a leader');
  assert.equal(leaderOf(s).term, 1, 'elected in term 1 after asking');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Read in a server menu: the leader confirms its leadership, then answers; elsewhere a redirect', async () => {
  const { page, errors } = await open(browser, url('seed=22'));
  let s = await runUntil(page, (c) => c.leaders.length === 1, 'a leader');
  const l = leaderOf(s).id;
  await advance(page, 60);
  await clickServer(page, l);
  await page.fill(`[data-menu="${l}"] [data-control="command"]`, 'Set 7');
  await click(page, `[data-menu="${l}"] [data-action="send"]`);
  await runUntil(page, (c) => c.log[l].length === 1 && c.log[l][0].committed, 'Set 7 committed');
  await clickServer(page, l);
  await click(page, `[data-menu="${l}"] [data-action="read"]`);
  s = await cluster(page);
  assert.match(s.feedback, /checks that it still leads/);
  s = await runUntil(page, (c) => /answers the read/.test(c.feedback), 'the answer', 500, 2);
  assert.match(s.feedback, new RegExp(`S${l} answers the read: the value is 7`));
  const other = l === 1 ? 2 : 1;
  await clickServer(page, other);
  await click(page, `[data-menu="${other}"] [data-action="read"]`);
  s = await cluster(page);
  assert.match(s.feedback, new RegExp(`S${other} is not the leader: ask S${l}`));
  // The reads' badge holds, and its evidence names the read.
  await click(page, '[data-property="LinearizableReads"]');
  const ev = await page.$$eval('[data-evidence="LinearizableReads"] li', (x) => x.map((e) => e.textContent));
  assert.match(ev.join(' '), new RegExp(`Read 1 at S${l}: 7, after index 1`));
  assert.equal(await page.$eval('[data-property="LinearizableReads"]', (b) => b.dataset.holds), 'true');
  assert.deepEqual(errors, []);
  await page.close();
});

test('hand over: a leader menu lists the others; the chosen one leads before any election timeout', async () => {
  const { page, errors } = await open(browser, url('seed=23'));
  let s = await runUntil(page, (c) => c.leaders.length === 1, 'a leader');
  const l = leaderOf(s);
  await advance(page, 60);
  await clickServer(page, l.id);
  const targets = await page.$$eval(`[data-menu="${l.id}"] [data-action="transfer"]`, (b) => b.map((x) => x.textContent));
  assert.deepEqual(targets, [1, 2, 3, 4, 5].filter((k) => k !== l.id).map((k) => `S${k}`));
  const to = targets[0];
  await click(page, `[data-menu="${l.id}"] [data-action="transfer"] >> text=${to}`);
  s = await cluster(page);
  assert.match(s.feedback, new RegExp(`S${l.id} hands leadership over to ${to}`));
  const start = s.now;
  s = await runUntil(page, (c) => c.messages.some((m) => m.kind === 'TimeoutNow'), 'TimeoutNow on its way', 200, 1);
  await screenshot(page, 'options-2-timeout-now');
  s = await runUntil(page, (c) => c.leaders.some((x) => `S${x.id}` === to), `${to} leads`, 300, 2);
  assert.ok(s.now - start < 150_000, `within ${(s.now - start) / 1000} ms, less than the smallest timeout`);
  assert.equal(leaderOf(s).term, l.term + 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('options in the address; a wrong one is named and ignored', async () => {
  const { page, errors } = await open(browser, url('seed=24&options=figure2,noop,checkquorum,read=naive'));
  await click(page, '[data-panel="options"] summary');
  assert.equal(await checked(page, 'noop'), true);
  assert.equal(await checked(page, 'checkquorum'), true);
  assert.equal(await checked(page, 'prevote'), false);
  assert.equal(await checked(page, 'flow'), false);
  assert.equal(await checked(page, 'read'), 'naive');
  // With the no-op, a new leader's first entry is its own, in italics.
  const s = await runUntil(page, (c) => c.leaders.length === 1 && c.log[c.leaders[0].id].length === 1, 'a leader and its no-op');
  assert.equal(await page.$$eval('td.entry.noop', (t) => t.length) >= 1, true);
  assert.equal(s.log[s.leaders[0].id][0].command, 'no-op');
  await screenshot(page, 'options-3-noop');
  await page.close();
  const bad = await open(browser, url('options=fast'));
  assert.match(await bad.page.textContent('.notices'), /options.*fast.*noop,prevote/s);
  assert.deepEqual([...errors, ...bad.errors], []);
  await bad.page.close();
});
