// "Break Raft" (issue 14): each rule a student can switch off, its counterexample
// played to the violation and again with the rule restored, and a rule switched off in
// the live cluster. A counterexample starts playing when picked; the tests pause it at
// once and move it in simulated time.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, cluster, advance, frames, click, screenshot } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const url = (query) => `${server.base}?${query}`;

/** Picks a bug's counterexample and pauses it where it starts. */
async function watch(page, bug) {
  await page.click(`[data-watch="${bug}"]`);
  await page.evaluate(() => window.raftPlayground.pause());
  await frames(page, 2);
}

const broken = (page) => page.$$eval('[data-holds="false"]', (b) => b.map((x) => x.dataset.property));

test('a counterexample plays to its violation, and the same schedule with the rule restored stays safe', async () => {
  const { page, errors } = await open(browser, url('seed=31'));
  await click(page, '[data-panel="bugs"] summary');
  const rows = await page.$$eval('[data-panel="bugs"] li[data-bug]', (l) => l.map((x) => x.dataset.bug));
  assert.equal(rows.length, 8, rows.join(' '));
  const why = await page.$$eval('[data-panel="bugs"] .why', (w) => w.map((x) => x.textContent));
  assert.ok(why.every((w) => /§|Figure/.test(w)), why.join(' | '));
  assert.equal(await page.$('.bugs-on'), null, 'Raft is whole');

  await watch(page, 'vote-twice');
  let s = await cluster(page);
  assert.ok(s.now < 1000, `from its start, before its first step at 1 ms: ${s.now} µs`);
  assert.equal(s.servers.length, 3);
  assert.equal(await page.getAttribute('.bugs-on', 'data-bugs-on'), 'vote-twice');
  assert.match(await page.textContent('.bugs-on'), /Vote twice in a term/);
  assert.match(await page.textContent('.counterexample'), /shortest run that breaks Election Safety, 6 steps/);
  assert.deepEqual(await broken(page), []);
  // Step by step: two candidates, each votes for the other as well as for itself.
  await advance(page, 3);
  assert.deepEqual(await broken(page), [], 'not yet');
  await advance(page, 10);
  s = await cluster(page);
  assert.deepEqual(await broken(page), ['ElectionSafety']);
  assert.equal(s.leaders.length, 2, 'two leaders');
  assert.equal(new Set(s.leaders.map((l) => l.term)).size, 1, 'in one term');
  assert.match(s.feedback, /Safety broken: Election Safety/);
  const evidence = await page.textContent('[data-evidence="ElectionSafety"]');
  assert.match(evidence, /S1 and S2, term 1/);
  assert.equal(await page.getAttribute('main', 'data-playing'), 'false');
  await screenshot(page, 'breaking-1-vote-twice');

  // The rule restored: the same schedule, and no second leader.
  await click(page, '[data-action="restore"]');
  await page.evaluate(() => window.raftPlayground.pause());
  assert.equal(await page.getAttribute('.counterexample', 'data-restored'), 'true');
  assert.match(await page.textContent('.counterexample'), /The same 6 steps with the rule restored; any that can no longer happen are skipped \(0\)/);
  assert.equal(await page.$('.bugs-on'), null, 'the rule is back');
  await advance(page, 20);
  s = await cluster(page);
  assert.deepEqual(await broken(page), []);
  assert.ok(s.leaders.length <= 1, JSON.stringify(s.leaders));
  await screenshot(page, 'breaking-2-restored');
  // And back to the bug.
  await click(page, '[data-action="restore"]');
  assert.equal(await page.getAttribute('.counterexample', 'data-restored'), 'false');
  assert.deepEqual(errors, []);
  await page.close();
});

test('every bug\'s counterexample breaks a property the safety panel shows, in French too', async () => {
  const { page, errors } = await open(browser, url('lang=fr&seed=32'));
  await click(page, '[data-panel="bugs"] summary');
  assert.match(await page.textContent('[data-panel="bugs"] summary'), /Casser Raft/);
  const bugs = await page.$$eval('[data-panel="bugs"] li[data-bug]', (l) => l.map((x) => x.dataset.bug));
  for (const bug of bugs) {
    await watch(page, bug);
    assert.deepEqual(await broken(page), [], `${bug}: safe at its start`);
    await advance(page, 200);
    const props = await broken(page);
    assert.ok(props.length >= 1, `${bug}: nothing broken`);
    const s = await cluster(page);
    assert.match(s.feedback, /^Sûreté violée\u00a0: /, `${bug}: ${s.feedback}`);
    assert.match(await page.textContent('.bugs-on'), /Raft n'est pas complet ici/);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await frames(page, 2);
  await screenshot(page, 'breaking-3-phone-fr');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a rule switched off in the live cluster is named in view until it is switched on again', async () => {
  const { page, errors } = await open(browser, url('seed=33'));
  await click(page, '[data-panel="bugs"] summary');
  await click(page, '[data-option="bug-forget-vote"]');
  let s = await cluster(page);
  assert.match(s.feedback, /starts again with the same seed/);
  assert.equal(s.seed, 33);
  assert.equal(await page.getAttribute('.bugs-on', 'data-bugs-on'), 'forget-vote');
  await click(page, '[data-option="bug-vote-twice"]');
  assert.equal(await page.getAttribute('.bugs-on', 'data-bugs-on'), 'vote-twice forget-vote');
  assert.match(await page.textContent('.bugs-on'), /rules are switched off/);
  await click(page, '[data-option="bug-forget-vote"]');
  await click(page, '[data-option="bug-vote-twice"]');
  assert.equal(await page.$('.bugs-on'), null);
  s = await cluster(page);
  assert.equal(s.seed, 33);
  assert.deepEqual(errors, []);
  await page.close();

  // In the address, as the simulator's options words; a rule it does not know is named.
  const linked = await open(browser, url('seed=33&options=bug=forget-vote&embed=1'), { width: 480, height: 360 });
  assert.equal(await linked.page.getAttribute('.bugs-on', 'data-bugs-on'), 'forget-vote');
  assert.match(await linked.page.getAttribute('.bugs-on', 'title'), /Forget the vote on restart/);
  const bad = await open(browser, url('options=bug=nope'));
  assert.match(await bad.page.textContent('.notices'), /nope/);
  assert.equal(await bad.page.$('.bugs-on'), null);
  assert.deepEqual([...linked.errors, ...bad.errors], []);
});
