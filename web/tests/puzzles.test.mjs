// "Reach this state" puzzles checked live in the page (the build with the exercises,
// dist-full): opened from their link, solved by clicks, the solution's link
// judged on the teacher's screen, a locked control refused, a puzzle made of a run.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  serve, distFull, launch, open, cluster, runUntil, clickServer, click, frames, screenshot, sendCommand, root,
} from './harness.mjs';

const PUZZLE = (id) => JSON.parse(fs.readFileSync(path.join(root, `crates/sim/puzzles/${id}.json`), 'utf8'));

let server;
let browser;
before(async () => { server = await serve(distFull); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const panel = (page) => page.evaluate(() => {
  const p = document.querySelector('section.puzzle');
  return p && {
    id: p.dataset.puzzle, solved: p.dataset.solved === 'true', title: p.querySelector('h2').textContent,
    goal: p.querySelector('[data-goal]').textContent,
    limits: [...p.querySelectorAll('[data-limit]')].map((l) => l.textContent),
    solvedText: p.querySelector('[data-solved-text]')?.textContent,
    verdict: p.querySelector('[data-verdict]')?.dataset.verdict,
    verdictText: p.querySelector('[data-verdict]')?.textContent,
  };
});

test('a puzzle opened by its link is solved by clicks, and its solution\'s link is judged solved', async () => {
  const puzzle = PUZZLE('catch-up');
  const { page, errors } = await open(browser, `${server.base}?puzzle=catch-up&lang=fr`);
  await page.evaluate(() => {
    window.solved = [];
    window.raftPlayground.on('puzzle-solved', (e) => window.solved.push(e));
  });
  let p = await panel(page);
  assert.equal(p.id, 'catch-up');
  assert.equal(p.title, puzzle.title.fr);
  assert.equal(p.goal, puzzle.goal.fr);
  assert.equal(p.solved, false);
  // The start: S5 stopped (the puzzle's start run, at its end).
  const start = await cluster(page);
  assert.deepEqual(start.servers.filter((s) => !s.alive).map((s) => s.id), [5]);
  await screenshot(page, 'puzzle-1-start');

  await clickServer(page, 5);
  await click(page, '[data-menu="5"] [data-action="restart"]');
  // Played until the page says it holds; it pauses there.
  for (let k = 0; k < 400 && !(await panel(page)).solved; k++) {
    await page.evaluate(() => window.raftPlayground.advance(10));
    await frames(page, 1);
  }
  p = await panel(page);
  assert.equal(p.solved, true, 'solved');
  assert.match(p.solvedText, /^Réussi\u00a0! L'objectif est atteint à t = [\d.]+ ms\. Actions utilisées\u00a0: 1\.$/);
  // What the goal asked is what the cluster shows: S5 holds the others' entries.
  const end = await cluster(page);
  assert.deepEqual(end.log[5].map((c) => c.command), end.log[1].map((c) => c.command));
  assert.equal(await page.evaluate(() => window.raftPlayground.state().playing), false, 'paused on it');
  const [event] = await page.evaluate(() => window.solved);
  assert.equal(event.type, 'puzzle-solved');
  assert.equal(event.puzzle, 'catch-up');
  assert.equal(event.actions, 1);
  assert.ok(p.solvedText.includes(`t = ${event.timeMs.toFixed(1)} ms`), `${p.solvedText} / ${event.timeMs}`);
  await screenshot(page, 'puzzle-2-solved');

  // The link to the solution, opened on the teacher's screen, is judged solved there.
  await click(page, '[data-action="copy-solution"]');
  const link = await page.inputValue('[data-control="solution-link"]');
  assert.match(link, /[?&]puzzle=catch-up&run=/);
  const teacher = await open(browser, link);
  const judged = await panel(teacher.page);
  assert.equal(judged.verdict, 'true', judged.verdictText);
  assert.equal(judged.verdictText, `Cette partie résout le défi\u00a0: l'objectif est atteint à t = ${event.timeMs.toFixed(1)} ms. Actions utilisées\u00a0: 1.`);
  assert.deepEqual([...errors, ...teacher.errors], []);
  await teacher.page.close();
  await page.close();
});

test('a locked control is refused and the action count is kept; the hint on request', async () => {
  const puzzle = PUZZLE('depose');
  const { page, errors } = await open(browser, `${server.base}?puzzle=depose&lang=en`, { width: 390, height: 844 });
  const p = await panel(page);
  assert.deepEqual(p.limits, ['One action only; done so far: 0.',
    'Locked: Stop, Split network, Cut a link, Hand over, Drop a message, Network settings.']);
  const leader = (await cluster(page)).leaders[0].id;
  await clickServer(page, leader);
  await click(page, `[data-menu="${leader}"] [data-action="stop"]`);
  assert.equal(await page.textContent('[data-feedback]'), 'This puzzle locks “Stop”.');
  assert.equal((await cluster(page)).leaders[0].id, leader, 'nothing stopped');
  await click(page, '[data-action="puzzle-hint"]');
  assert.equal(await page.textContent('section.puzzle [data-hint]'), `Hint · ${puzzle.hint.en}`);
  // The one action allowed: S2 times out, and wins.
  await clickServer(page, 2);
  await click(page, '[data-menu="2"] [data-action="timeout"]');
  assert.deepEqual((await panel(page)).limits[0], 'One action only; done so far: 1.');
  await runUntil(page, (c) => c.leaders.some((l) => l.id === 2), 'S2 leads', 2000);
  await frames(page, 2);
  assert.equal((await panel(page)).solved, true);
  await screenshot(page, 'puzzle-3-depose-phone');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a teacher makes a puzzle of a run; its link opens it; a bad puzzle is named', async () => {
  const { page, errors } = await open(browser, `${server.base}?seed=5&lang=en`);
  // Nothing has happened yet: there is nothing to reach, and the page says so.
  await click(page, '[data-action="make-puzzle"]');
  assert.match(await page.textContent('[data-feedback]'), /^Nothing to make a puzzle of yet: every log is as it was at the start\./);
  assert.equal(await page.$('[data-control="puzzle-link"]'), null, 'no link');
  const { leaders } = await runUntil(page, (c) => c.leaders.length === 1, 'a leader', 2000);
  await sendCommand(page, leaders[0].id, 'Set 7');
  await runUntil(page, (c) => Object.values(c.log).every((l) => l.length === 1 && l[0].committed),
    'Set 7 everywhere', 2000);
  await click(page, '[data-action="make-puzzle"]');
  const link = await page.inputValue('[data-control="puzzle-link"]');
  assert.match(link, /[?&]puzzle=[A-Za-z0-9_-]+$/);
  const logs = (await cluster(page)).log;
  const student = await open(browser, link);
  const p = await panel(student.page);
  assert.equal(p.title, 'Reach these logs');
  assert.equal(p.solved, false);
  // The student starts from the run's beginning (seed 5, no leader yet).
  assert.equal((await cluster(student.page)).seed, 5);
  assert.equal((await cluster(student.page)).leaders.length, 0);
  assert.ok(Object.values((await cluster(student.page)).log).every((l) => l.length === 0));
  // The student does what the teacher did, and the page says so.
  const again = await runUntil(student.page, (c) => c.leaders.length === 1, 'a leader', 2000);
  await sendCommand(student.page, again.leaders[0].id, 'Set 7');
  await runUntil(student.page, (c) => JSON.stringify(c.log) === JSON.stringify(logs), 'the same logs', 2000);
  await frames(student.page, 2);
  assert.equal((await panel(student.page)).solved, true);
  assert.deepEqual([...errors, ...student.errors], []);
  await student.page.close();
  await page.close();

  const bad = await open(browser, `${server.base}?puzzle=no-such-puzzle&lang=fr`);
  assert.equal(await bad.page.textContent('[data-feedback]'),
    'Ce défi ne peut pas être ouvert\u00a0: aucun défi ne s\'appelle «\u00a0no-such-puzzle\u00a0»');
  assert.equal(await bad.page.$('section.puzzle'), null);
  assert.ok(await bad.page.$('.puzzle-bar'), 'the list is still offered');
  assert.deepEqual(bad.errors, []);
  await bad.page.close();
});
