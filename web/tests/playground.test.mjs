// End-to-end tests of the playground in Debian's chromium, on the release build served
// under a sub-path. Each starts paused and moves the run in simulated time; it reads
// the cluster from the page's data-* hooks only.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  serve, launch, open, cluster, runUntil, advance, events, frames, leaderOf, screenshot,
  clickServer, sendCommand, click,
} from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const url = (query) => `${server.base}?${query}`;

test('a leader appears within 2 s of simulated time, with vote requests and heartbeats on the wire', async () => {
  const { page, errors } = await open(browser, url('seed=1'));
  let sawVote = false;
  let sawHeartbeat = false;
  const state = await runUntil(page, (s) => {
    sawVote ||= s.messages.some((m) => m.kind === 'RequestVote');
    sawHeartbeat ||= s.leaders.length === 1 && s.messages.some((m) => m.kind === 'AppendEntries');
    return s.leaders.length === 1 && sawHeartbeat;
  }, 'a leader', 2000, 2);
  assert.ok(state.now <= 2_000_000, `leader at ${state.now} µs`);
  assert.ok(sawVote, 'RequestVote messages were drawn');
  assert.match(state.status, /S\d is leader in term \d+/);
  await screenshot(page, '01-leader-elected');
  assert.deepEqual(errors, []);
  await page.close();
});

test('mid-election: a candidate asks for votes, says so, and its timer and votes are drawn', async () => {
  const { page, errors } = await open(browser, url('seed=7'));
  const s = await runUntil(page, (s) => s.servers.some((x) => x.role === 'candidate')
    && s.messages.filter((m) => m.kind === 'RequestVote').length >= 3, 'a candidate with votes requested', 1000, 1);
  const cand = s.servers.find((x) => x.role === 'candidate');
  assert.equal(cand.term, 1);
  const bubble = await page.waitForSelector(`g.bubble[data-speaker="${cand.id}"]`);
  assert.equal((await bubble.textContent()).trim(), 'Vote for me!');
  assert.match(s.status, new RegExp(`S${cand.id} is asking for votes in term 1`));
  // The candidate's outline is dashed; followers' timers are drawn as arcs.
  const dash = await page.$eval(`g.server[data-server="${cand.id}"] .body`, (c) => getComputedStyle(c).strokeDasharray);
  assert.notEqual(dash, 'none');
  assert.ok((await page.$$('g.server .timer')).length >= 4);
  await screenshot(page, '00-mid-election');
  assert.deepEqual(errors, []);
  await page.close();
});

test('stopping the leader yields a new leader with a higher term', async () => {
  const { page, errors } = await open(browser, url('seed=2'));
  const first = leaderOf(await runUntil(page, (s) => s.leaders.length === 1, 'a first leader'));
  await clickServer(page, first.id);
  await click(page, `[data-menu="${first.id}"] [data-action="stop"]`);
  assert.equal((await cluster(page)).feedback, `S${first.id} stopped.`);
  const s = await runUntil(page, (s) => s.leaders.some((l) => l.term > first.term), 'a new leader');
  const next = leaderOf(s);
  assert.notEqual(next.id, first.id);
  assert.equal(s.servers.find((x) => x.id === first.id).alive, false);
  assert.equal(s.servers.find((x) => x.id === first.id).role, 'stopped');
  assert.match(s.status, new RegExp(`S${first.id} is stopped\\.`));
  await screenshot(page, '02-new-leader');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Set 1 sent to the leader is committed on every live server; a follower redirects', async () => {
  const { page, errors } = await open(browser, url('seed=3'));
  const leader = leaderOf(await runUntil(page, (s) => s.leaders.length === 1, 'a leader'));
  await advance(page, 100); // the leader's heartbeats reach the followers
  const follower = (leader.id % 5) + 1;
  await sendCommand(page, follower, 'Set 1');
  const redirected = await cluster(page);
  assert.equal(redirected.feedback, `S${follower} is not the leader: ask S${leader.id}.`);
  assert.equal(await page.$('.feedback.error'), null, 'a redirect is a normal answer, not an error');
  await sendCommand(page, leader.id, 'Set 1');
  const s = await runUntil(page, (s) => s.servers.filter((x) => x.alive).every((x) => {
    const c = s.log[x.id][0];
    return c && c.index === 1 && c.command === 'Set 1' && c.committed;
  }), 'Set 1 committed everywhere', 1000);
  assert.ok(s.cells.every((c) => c.term === leader.term));
  const values = await page.$$eval('td.val .badge', (b) => b.map((x) => x.dataset.value));
  assert.deepEqual(values, ['1', '1', '1', '1', '1']);
  await screenshot(page, '03-set1-committed');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a 2/3 split: the minority leader cannot commit, the majority can; healing makes every log identical', async () => {
  const { page, errors } = await open(browser, url('seed=4'));
  const old = leaderOf(await runUntil(page, (s) => s.leaders.length === 1, 'a leader'));
  await sendCommand(page, old.id, 'Set 1');
  await runUntil(page, (s) => s.servers.every((x) => s.log[x.id][0]?.committed), 'Set 1 committed', 1000);
  await page.keyboard.press('Escape');

  // Split mode: S1–S3 start on island A, S4–S5 on B; move servers so that the leader
  // and one follower are alone on A.
  const buddy = (old.id % 5) + 1;
  const minority = new Set([old.id, buddy]);
  await click(page, '[data-action="split"]');
  const initial = [0, 0, 0, 1, 1];
  for (let id = 1; id <= 5; id += 1) {
    const want = minority.has(id) ? 0 : 1;
    if (initial[id - 1] !== want) await click(page, `g.server[data-server="${id}"]`);
  }
  await screenshot(page, '04a-split-drawn');
  await click(page, '[data-action="apply-split"]');
  assert.match((await cluster(page)).feedback, /^Network split: /);

  await sendCommand(page, old.id, 'Add 2');
  const majority = await runUntil(page, (s) => s.leaders.some((l) => !minority.has(l.id) && l.term > old.term),
    'a majority leader');
  const fresh = leaderOf(majority);
  assert.ok(majority.status.includes('cannot reach a majority'), majority.status);
  await sendCommand(page, fresh.id, 'Add 3');
  const split = await runUntil(page, (s) => s.log[fresh.id][1]?.committed === true, 'Add 3 committed', 1000);
  const oldLog = split.log[old.id];
  assert.equal(oldLog[1].command, 'Add 2');
  assert.equal(oldLog[1].committed, false, 'the minority cannot commit Add 2');
  assert.equal(split.log[fresh.id][1].command, 'Add 3');
  assert.equal(split.leaders.length, 2, 'two leaders, in different terms');
  await screenshot(page, '04b-split-two-leaders');

  await page.keyboard.press('Escape');
  await click(page, '[data-action="heal"]');
  const healed = await runUntil(page, (s) => s.servers.every((x) => {
    const l = s.log[x.id];
    return l.length === 2 && l[0].command === 'Set 1' && l[1].command === 'Add 3' && l.every((c) => c.committed);
  }), 'identical logs after healing', 2000);
  assert.equal(healed.leaders.length, 1);
  assert.equal(healed.servers.find((x) => x.id === old.id).role, 'follower');
  const values = await page.$$eval('td.val .badge', (b) => b.map((x) => x.dataset.value));
  assert.deepEqual(values, ['4', '4', '4', '4', '4']);
  await screenshot(page, '04c-healed');
  assert.deepEqual(errors, []);
  await page.close();
});

test('keyboard: space plays and pauses, "." steps exactly one event, "?" lists the shortcuts', async () => {
  const { page, errors } = await open(browser, url('seed=5&speed=1/10'));
  await page.keyboard.press(' ');
  await page.waitForSelector('main[data-playing="true"]');
  await page.keyboard.press(' ');
  await page.waitForSelector('main[data-playing="false"]');
  const t0 = (await cluster(page)).now;
  await frames(page, 5);
  assert.equal((await cluster(page)).now, t0, 'paused: time stands still over five frames');
  const e0 = await events(page);
  await page.keyboard.press('.');
  await frames(page, 2);
  assert.equal(await events(page), e0 + 1, 'one event, no more');
  await page.keyboard.press('?');
  await page.waitForSelector('.help dl');
  const keys = await page.$$eval('.help dt', (d) => d.map((x) => x.textContent));
  assert.ok(keys.includes('Space') && keys.includes('← / →'), keys.join(' | '));
  await screenshot(page, '05-help');
  await page.keyboard.press('Escape');
  await frames(page, 2);
  assert.equal(await page.$('.help'), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad URL parameters give a polite notice and a working playground; nothing is injected', async () => {
  const { page, errors } = await open(browser, url('nodes=999&seed=%3Cscript%3Ealert(1)%3C/script%3E&zzz=1'));
  const notices = await page.$$eval('.notice', (n) => n.map((x) => x.textContent));
  assert.equal(notices.length, 3, notices.join(' | '));
  assert.ok(notices.some((n) => n.includes('nodes=999')));
  assert.equal(await page.$$eval('script', (s) => s.filter((x) => x.textContent.includes('alert')).length), 0);
  const s = await runUntil(page, (s) => s.leaders.length === 1, 'a leader despite bad parameters');
  assert.equal(s.servers.length, 5, 'the default of 5 servers');
  await screenshot(page, '06-bad-params');
  assert.deepEqual(errors, []);
  await page.close();
});
