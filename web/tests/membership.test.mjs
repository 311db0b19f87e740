// Membership changes in the page with everything (dist-full, paper §6): a server added
// by the leader joins as a learner, then votes once the joint configuration has been
// through; the leader taken out steps down; configuration entries in the logs.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  serve, distFull, launch, open, advance, playScene, cluster, runUntil, clickServer, click, screenshot, sendCommand,
} from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(distFull); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const members = (page) => page.$$eval('g.server', (g) => g.map((x) => x.dataset.member));
const status = (page) => page.textContent('[data-status]');

test('the leader adds a server: a learner first, then a voter through the joint configuration', async () => {
  const { page, errors } = await open(browser, `${server.base}?nodes=3&seed=4&lang=fr`);
  const { leaders: [leader] } = await runUntil(page, (c) => c.leaders.length === 1, 'a leader', 3000);
  await clickServer(page, leader.id);
  await click(page, `[data-menu="${leader.id}"] [data-action="add-server"]`);
  assert.deepEqual(await members(page), ['voter', 'voter', 'voter', 'learner']);
  assert.match(await page.textContent('[data-feedback]'), /ajoute S4\u00a0: il rattrape d'abord le journal sans voter/);
  assert.match(await page.$eval('g.server[data-server="4"] title', (t) => t.textContent), /non-votant/);
  // While the joint configuration is in force, the status says what a decision needs
  // and the ring outlines the old voters and the new ones.
  await runUntil(page, (s) => s.status.includes('conjointe'), 'the joint configuration', 3000, 2);
  assert.match(await status(page),
    /Configuration conjointe\u00a0: une décision demande 2 des 3 anciens votants et 3 des 4 nouveaux\./);
  assert.deepEqual(await page.$$eval('path.quorum', (p) => p.map((x) => [x.dataset.quorum, x.dataset.voters])),
    [['old', '1,2,3'], ['new', '1,2,3,4']]);
  await screenshot(page, 'membership-0-joint');
  const c = await runUntil(page, (s) => !s.status.includes('conjointe'), 'C_new', 3000, 2);
  assert.equal(await page.$('path.quorum'), null, 'no outlines once C_new is in force');
  assert.deepEqual(await members(page), ['voter', 'voter', 'voter', 'voter']);
  assert.equal(c.servers.length, 4);
  // The leader's log shows C_old,new then C_new, as the paper writes them.
  const configs = await page.$$eval(`td.entry.config[data-server="${leader.id}"]`,
    (x) => x.map((e) => [e.querySelector('.c').textContent, e.title]));
  assert.deepEqual(configs.slice(-2).map(([mark]) => mark), ['C\u2092,\u2099', 'C\u2099']);
  assert.match(configs.at(-1)[1], /C nouv\. \{1,2,3,4\}/);
  await screenshot(page, 'membership-1-added');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the leader takes itself out: it steps down once C_new commits, and another leads', async () => {
  const { page, errors } = await open(browser, `${server.base}?nodes=5&seed=4&lang=en`);
  const { leaders: [leader] } = await runUntil(page, (c) => c.leaders.length === 1, 'a leader', 3000);
  await clickServer(page, leader.id);
  await click(page, `[data-menu="${leader.id}"] [data-action="remove-server"]`);
  assert.match(await page.textContent('[data-feedback]'), new RegExp(`takes S${leader.id} out of the configuration`));
  const after = await runUntil(page, (c) => c.leaders.length === 1 && c.leaders[0].id !== leader.id,
    'another leader', 3000);
  assert.notEqual(after.leaders[0].id, leader.id);
  const m = await members(page);
  assert.equal(m[leader.id - 1], 'removed');
  assert.equal(m.filter((x) => x === 'voter').length, 4);
  // Without a leader there is no one to change the configuration.
  assert.equal(await page.$(`[data-menu] [data-action="add-server"]`), null);
  await screenshot(page, 'membership-2-removed');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the options panel switches to one server at a time: the run starts again, and a server joins the voters in one step', async () => {
  const { page, errors } = await open(browser, `${server.base}?nodes=3&seed=4&lang=fr`);
  await page.click('[data-panel="options"] summary');
  const why = () => page.$eval('[data-option="membership"]', (s) => s.closest('li').querySelector('.why').textContent);
  assert.equal(await page.$eval('[data-option="membership"]', (s) => s.value), 'joint');
  assert.match(await why(), /une majorité des anciens votants et une majorité des nouveaux\./);
  await page.selectOption('[data-option="membership"]', 'single');
  assert.match(await why(), /un votant à la fois, directement vers C nouv\./);
  const { leaders: [leader] } = await runUntil(page, (c) => c.leaders.length === 1, 'a leader', 3000);
  await clickServer(page, leader.id);
  await click(page, `[data-menu="${leader.id}"] [data-action="add-server"]`);
  assert.match(await page.textContent('[data-feedback]'), /puis devient votant en une seule étape \(un serveur à la fois\)/);
  assert.deepEqual(await members(page), ['voter', 'voter', 'voter', 'learner']);
  // A second change while S4 catches up is refused, in French.
  if (!(await page.$(`[data-menu="${leader.id}"]`))) await clickServer(page, leader.id);
  await click(page, `[data-menu="${leader.id}"] [data-action="add-server"]`);
  assert.equal(await page.textContent('[data-feedback]'),
    'La configuration ne peut pas changer maintenant\u00a0: un autre changement est en cours.');
  assert.equal((await members(page)).length, 4, 'no fifth server');
  let joint = false;
  for (let k = 0; k < 400 && (await members(page)).join() !== 'voter,voter,voter,voter'; k++) {
    await advance(page, 5);
    joint ||= (await status(page)).includes('conjointe') || (await page.$('path.quorum')) !== null;
  }
  assert.deepEqual(await members(page), ['voter', 'voter', 'voter', 'voter']);
  assert.equal(joint, false, 'no joint configuration on the way');
  // No C_old,new in the log: S4 comes in as a learner, then a voter, each by a C_new.
  const configs = await page.$$eval(`td.entry.config[data-server="${leader.id}"]`,
    (x) => x.map((e) => [e.querySelector('.c').textContent, e.title]));
  assert.deepEqual(configs.map(([mark]) => mark), ['C\u2099', 'C\u2099']);
  assert.match(configs[0][1], /C nouv\. \{1,2,3\} \+ non-votant \{4\}/);
  assert.match(configs[1][1], /C nouv\. \{1,2,3,4\}/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('log compaction: past the threshold the logs start with a snapshot, and a late server gets InstallSnapshot', async () => {
  const { page, errors } = await open(browser, `${server.base}?nodes=3&seed=4&lang=fr`);
  const { leaders: [leader] } = await runUntil(page, (c) => c.leaders.length === 1, 'a leader', 3000);
  await page.selectOption('[data-control="compaction"]', '3');
  assert.equal(await page.textContent('[data-feedback]'),
    'Chaque serveur fait maintenant un instantané de son état au-delà de 3 entrées.');
  const late = leader.id === 3 ? 2 : 3;
  await clickServer(page, late);
  await click(page, `[data-menu="${late}"] [data-action="stop"]`);
  for (let k = 1; k <= 6; k++) {
    await sendCommand(page, leader.id, `Add ${k}`);
    await runUntil(page, (c) => c.status.includes(`(Add ${k}) est validée`), `Add ${k} committed`, 2000);
  }
  // The leader's row starts with its snapshot, which names what it covers.
  const snap = await page.$$eval(`td.snapshot[data-server="${leader.id}"]`, (t) => t.map((x) => x.title));
  assert.ok(snap.length >= 3, `${snap.length} compacted indices shown`);
  assert.match(snap[0], new RegExp(`^S${leader.id}\u00a0: les entrées 1 à \\d+ sont dans son instantané$`));
  // The late server comes back: the leader no longer has the entries it lacks, and
  // sends its snapshot instead.
  await clickServer(page, late);
  await click(page, `[data-menu="${late}"] [data-action="restart"]`);
  let seen = false;
  await runUntil(page, (c) => {
    seen ||= c.messages.some((m) => m.kind === 'InstallSnapshot' && m.to === late);
    return seen;
  }, 'an InstallSnapshot to the late server', 3000, 1);
  await screenshot(page, 'compaction-1-install');
  const values = () => page.$$eval('.logs [data-value]', (v) => v.map((x) => x.dataset.value));
  for (let k = 0; k < 100 && new Set(await values()).size > 1; k++) await advance(page, 10);
  assert.deepEqual(await values(), ['21', '21', '21'], 'every server holds 1+…+6');
  assert.match(await page.textContent('.side'), /InstallSnapshot\u00a0: l'instantané du leader/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the chapter "Changer la configuration" plays in the tour after the slides', async () => {
  const { page, errors } = await open(browser, `${server.base}?scene=join&lang=fr`);
  const head = await page.evaluate(() => ({
    chapter: document.querySelector('section.tour [data-chapter]')?.textContent,
    title: document.querySelector('section.tour h2').textContent,
    count: document.querySelector('section.tour .count').textContent,
    scenes: document.querySelectorAll('[data-control="scene"] option').length,
  }));
  assert.deepEqual(head, { chapter: 'Changer la configuration', title: 'Deux serveurs arrivent',
    count: 'Scène 16 sur 20', scenes: 20 });
  let joint = false;
  await playScene(page, { step: 10, each: async () => { joint ||= (await page.$$('path.quorum')).length === 2; } });
  assert.ok(joint, 'the old and new voters outlined while joint');
  assert.deepEqual(await members(page), ['voter', 'voter', 'voter', 'voter', 'voter']);
  assert.match(await page.textContent('[data-narration]'), /S5/);
  await screenshot(page, 'membership-3-chapter');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the chapter\'s 2015 bug: one server at a time without the rule, two leaders of one term, the safety panel red', async () => {
  const { page, errors } = await open(browser, `${server.base}?scene=single-bug&lang=fr`);
  assert.equal(await page.textContent('section.tour h2'), 'Un par un\u00a0: le bogue de 2015');
  const broken = () => page.$$eval('[data-holds="false"]', (b) => b.map((x) => x.dataset.property));
  for (let k = 0; k < 600 && !(await broken(page)).includes('ElectionSafety'); k++) await advance(page, 10);
  assert.ok((await broken(page)).includes('ElectionSafety'), `${await broken(page)}`);
  const { leaders } = await cluster(page);
  assert.equal(leaders.length, 2, 'two leaders');
  assert.equal(new Set(leaders.map((l) => l.term)).size, 1, 'of one term');
  const m = await members(page);
  assert.ok(leaders.every((l) => m[l.id - 1] === 'voter'), `each leader a voter of its own configuration: ${m}`);
  await screenshot(page, 'membership-4-bug');
  // With the rule (the next scene): the same changes, and no second leader.
  await click(page, '[data-action="tour-next"]');
  assert.equal(await page.textContent('section.tour h2'), 'Un par un, corrigé');
  await playScene(page, { step: 10 });
  assert.deepEqual(await broken(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});
