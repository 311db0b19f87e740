// Predict, then reveal: the tour asks its questions (the build with the exercises,
// dist-full). The answers are never written here: a test answers, then checks
// the page's verdict against what the cluster then does.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, distFull, launch, open, advance, playScene, cluster, frames, click, screenshot, root } from './harness.mjs';

const QUESTIONS = JSON.parse(fs.readFileSync(path.join(root, 'crates/sim/tour/questions.json'), 'utf8')).questions;

let server;
let browser;
before(async () => { server = await serve(distFull); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const question = (page) => page.evaluate(() => {
  const q = document.querySelector('.question');
  return q && {
    index: Number(q.dataset.question), ask: q.dataset.ask, answered: q.dataset.answered === 'true',
    prompt: q.querySelector('.prompt').textContent,
    choices: [...q.querySelectorAll('.choice')].map((c) => c.textContent.trim()),
    verdict: q.querySelector('.verdict')?.textContent, right: q.querySelector('.verdict')?.dataset.right,
    explain: q.querySelector('.explain')?.textContent,
  };
});

/** Plays the tour (paused page, through the API) until a question is on screen. */
async function untilAsked(page, limit = 400) {
  for (let k = 0; k < limit; k++) {
    const q = await question(page);
    if (q && !q.answered) return q;
    await advance(page, 20);
  }
  throw new Error('no question came');
}

/** Listens for `answer` events through the JavaScript API. */
const listen = (page) => page.evaluate(() => {
  window.answers = [];
  window.raftPlayground.on('answer', (e) => window.answers.push(e));
});

test('a question waits with the cluster still; a wrong answer is told the right one and why', async () => {
  const { page, errors } = await open(browser, `${server.base}?scene=raft&lang=fr`);
  await listen(page);
  const q = await untilAsked(page);
  assert.equal(q.ask, 'majority');
  assert.equal(q.prompt, `Question · ${QUESTIONS[0].prompt.fr}`);
  assert.deepEqual(q.choices, ['1', '2', '3', '4', '5']);
  // Nothing moves while the question waits: time, events, the scene.
  const before = await page.evaluate(() => window.raftPlayground.state());
  for (let k = 0; k < 5; k++) await advance(page, 50);
  const still = await page.evaluate(() => window.raftPlayground.state());
  assert.equal(still.timeMs, before.timeMs);
  assert.equal(still.events, before.events);
  await screenshot(page, 'quiz-1-asked');

  // 2 of 5 is not a majority.
  await click(page, '.question [data-choice="1"]');
  const a = await question(page);
  assert.equal(a.answered, true);
  assert.equal(a.right, 'false');
  assert.equal(a.verdict, 'Pas cette fois\u00a0: la réponse est 3.');
  assert.equal(a.explain, QUESTIONS[0].explain.fr);
  assert.equal(await page.$eval('.question [data-choice="1"]', (b) => b.className), 'choice chosen wrong');
  assert.equal(await page.$eval('.question [data-choice="2"]', (b) => b.className), 'choice right');
  assert.equal(await page.$$eval('.question .choice', (b) => b.every((x) => x.disabled)), true, 'one answer only');
  assert.equal(await page.textContent('[data-score]'), 'Bonnes réponses\u00a0: 0 sur 1');
  assert.deepEqual(await page.evaluate(() => window.answers),
    [{ type: 'answer', scene: 'raft', question: 0, right: false }]);
  await screenshot(page, 'quiz-2-wrong');

  // Continue: the scene plays on to its checkpoint.
  await click(page, '[data-action="quiz-continue"]');
  assert.equal(await question(page), null);
  await playScene(page, { step: 50, limit: 10000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('"which server will win": a click on the ring answers, and the cluster then elects the server named', async () => {
  const { page, errors } = await open(browser, `${server.base}?scene=election&lang=en`);
  await listen(page);
  const q = await untilAsked(page);
  assert.equal(q.ask, 'winner');
  assert.deepEqual(q.choices, ['S1', 'S2', 'S3', 'S4', 'S5']);
  // Guess S1 by clicking it on the ring: no menu opens, the click answers.
  await click(page, 'g.server[data-server="1"]');
  assert.equal(await page.$('[data-menu]'), null, 'no server menu');
  const a = await question(page);
  assert.equal(a.answered, true);
  const named = a.right === 'true' ? 1 : Number(/the answer is S(\d)\./.exec(a.verdict)[1]);
  assert.equal(a.right === 'true', named === 1);
  const [event] = await page.evaluate(() => window.answers);
  assert.equal(event.right, a.right === 'true');
  // The prediction is what then happens: the next leader is the server named.
  await click(page, '[data-action="quiz-continue"]');
  let c = await cluster(page);
  for (let k = 0; k < 400 && c.leaders.length === 0; k++) {
    await advance(page, 5);
    c = await cluster(page);
  }
  assert.deepEqual(c.leaders.map((s) => s.id), [named]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('safe entries are ticked, then checked; the second question of the moment follows', async () => {
  const { page, errors } = await open(browser, `${server.base}?scene=reunion&lang=en`, { width: 390, height: 844 });
  const q = await untilAsked(page);
  assert.equal(q.ask, 'safe_entries');
  assert.match(q.choices.join(' '), /^\[1\] Set 1 \[2\] Add 2$/);
  await click(page, '.question [data-choice="0"]');
  await click(page, '.question [data-choice="1"]');
  await click(page, '.question [data-choice="1"]');
  assert.deepEqual(await page.$$eval('.question .choice', (b) => b.map((x) => x.getAttribute('aria-pressed'))),
    ['true', 'false']);
  await screenshot(page, 'quiz-3-ticked-phone');
  await click(page, '[data-action="quiz-check"]');
  const a = await question(page);
  assert.equal(a.answered, true);
  // Set 1 was committed before the split, Add 2 only ever reached S5 and S1: the
  // verdict says which were safe, and the log table agrees.
  const log = (await cluster(page)).log[5];
  const committed = log.filter((e) => e.committed).map((e) => `[${e.index}] ${e.command}`);
  assert.equal(a.right === 'true', committed.join() === '[1] Set 1', `${a.verdict} / ${committed}`);
  await click(page, '[data-action="quiz-continue"]');
  const next = await untilAsked(page);
  assert.equal(next.ask, 'choice');
  assert.equal(next.index, a.index + 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('quiz=0 turns the questions off; a wrong value is named and ignored', async () => {
  const { page, errors } = await open(browser, `${server.base}?scene=raft&lang=en&quiz=0`);
  assert.equal(await question(page), null);
  await playScene(page, { step: 50, limit: 10000, each: async () => assert.equal(await question(page), null) });
  assert.equal(await page.$('[data-score]'), null);
  await page.close();
  const bad = await open(browser, `${server.base}?scene=raft&lang=en&quiz=maybe`);
  assert.match(await bad.page.textContent('.notices'), /quiz.*maybe/s);
  assert.ok(await untilAsked(bad.page), 'still on');
  assert.deepEqual([...errors, ...bad.errors], []);
  await bad.page.close();
});
