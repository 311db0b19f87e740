// The guided tour, embedding and the JavaScript API, in Debian's chromium on the
// release build served under a sub-path.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  serve, launch, open, cluster, runUntil, advance, frames, click, screenshot, root,
} from './harness.mjs';

// The tour and the language files, as data: what each scene must say.
const TOUR = JSON.parse(fs.readFileSync(path.join(root, 'crates/sim/tour/tour.json'), 'utf8'));
const TEXTS = Object.fromEntries(['en', 'fr'].map((l) => [l,
  JSON.parse(fs.readFileSync(path.join(root, `crates/playground/i18n/${l}.json`), 'utf8'))]));
const captionKeys = (scene) => scene.steps
  .map((s) => (typeof s === 'object' && (s.say ?? s.say_count?.key)) || null).filter(Boolean);
/** Letters and digits only, lower case: a slide's line whatever its spaces and case. */
const plain = (s) => s.replace(/œ/g, 'oe').toLowerCase().replace(/[^\p{L}\p{N}<[]/gu, '');

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SCENES = ['raft', 'election', 'leader-dies', 'replication', 'split', 'reunion', 'unification', 'simultaneous'];
const TITLES = {
  fr: ['Raft', 'Élection du leader', 'Le leader meurt', 'Réplication de logs', 'Scission\u00a0!', 'Réunion\u00a0!', 'Unification\u00a0!', 'Candidats simultanés'],
  en: ['Raft', 'Leader election', 'The leader dies', 'Log replication', 'Split!', 'Reunion!', 'Unification!', 'Simultaneous candidates'],
};

async function tourState(page) {
  return page.evaluate(() => {
    const t = document.querySelector('section.tour');
    const n = t?.querySelector('[data-narration]');
    return {
      scene: t?.dataset.scene, state: t?.dataset.sceneState,
      title: t?.querySelector('h2')?.textContent, narration: n?.textContent, caption: n?.dataset.caption,
      search: location.search, lang: document.querySelector('main').getAttribute('lang'),
      bubbles: [...document.querySelectorAll('g.bubble')].map((b) => [...b.querySelectorAll('text')].map((x) => x.textContent).join(' ')),
    };
  });
}

/** Plays the page's scene in simulated time until it reaches its checkpoint; returns
 * its last state, with every caption shown on the way (in order) and everything said. */
async function reached(page, scene, limit = 10000) {
  const captions = [];
  const said = [];
  for (let t = 0; ; t += 20) {
    const s = await tourState(page);
    if (s.caption && captions[captions.length - 1] !== s.caption) captions.push(s.caption);
    said.push(s.narration ?? '', ...s.bubbles);
    if (s.scene === scene && s.state === 'reached') return { ...s, captions, said };
    assert.ok(t < limit, `scene ${scene} not reached within ${limit} simulated ms (${JSON.stringify(s)})`);
    // The page shows at most one new caption per step, so none is missed.
    await advance(page, 20);
  }
}

/** What each scene's checkpoint looks like in the DOM. */
function checkpoint(scene, s) {
  const alive = s.servers.filter((x) => x.alive);
  const cmds = (id) => s.log[id].map((c) => c.command);
  switch (scene) {
    case 'raft':
      assert.ok(s.servers.every((x) => x.role === 'follower' && x.term === 0));
      break;
    case 'election':
      assert.equal(s.leaders.length, 1);
      assert.ok(s.servers.every((x) => x.term >= 1));
      break;
    case 'leader-dies':
      assert.equal(s.leaders.length, 1);
      assert.ok(s.leaders[0].term >= 2);
      assert.ok(s.servers.every((x) => x.alive), 'the old leader is back');
      break;
    case 'replication':
      assert.ok(alive.every((x) => s.log[x.id].length === 1 && s.log[x.id][0].command === 'Set 1' && s.log[x.id][0].committed));
      break;
    case 'split': {
      assert.equal(s.leaders.length, 2, 'two leaders');
      const withAdd2 = s.servers.filter((x) => cmds(x.id).join() === 'Set 1,Add 2');
      const withAdd3 = s.servers.filter((x) => cmds(x.id).join() === 'Set 1,Add 3');
      assert.equal(withAdd2.length, 2);
      assert.equal(withAdd3.length, 3);
      assert.ok(withAdd2.every((x) => !s.log[x.id][1].committed), 'Add 2 uncommitted');
      assert.ok(withAdd3.some((x) => s.log[x.id][1].committed), 'Add 3 committed');
      break;
    }
    case 'reunion':
      assert.equal(s.leaders.length, 1);
      assert.ok(s.servers.every((x) => cmds(x.id).join() === 'Set 1,Add 3'));
      break;
    case 'unification':
      assert.ok(s.servers.every((x) => s.log[x.id].every((c) => c.committed) && cmds(x.id).join() === 'Set 1,Add 3'));
      break;
    case 'simultaneous':
      assert.equal(s.leaders.length, 1);
      assert.equal(alive.length, 4);
      break;
    default:
      assert.fail(scene);
  }
}

for (const [lang, embed] of [['fr', true], ['en', false]]) {
  test(`the whole tour with the keyboard, in ${lang}${embed ? ', embedded' : ''}: every scene reaches its checkpoint`, async () => {
    const query = `scene=raft&lang=${lang}${embed ? '&embed=1' : ''}`;
    const viewport = embed ? { width: 800, height: 450 } : { width: 1280, height: 800 };
    const { page, errors } = await open(browser, `${server.base}?${query}`, viewport);
    for (let k = 0; k < SCENES.length; k += 1) {
      if (k > 0) {
        await page.keyboard.press('ArrowRight');
        await frames(page, 2);
      }
      const t = await reached(page, SCENES[k]);
      assert.equal(t.title, TITLES[lang][k]);
      assert.equal(t.lang, lang);
      assert.ok(t.narration.length > 20, `narration of ${SCENES[k]}`);
      assert.ok(!/\{[a-z]+\}/.test(t.narration), `placeholders filled: ${t.narration}`);
      assert.match(t.search, new RegExp(`scene=${SCENES[k]}`), 'the URL names the scene');
      checkpoint(SCENES[k], await cluster(page));
      const data = TOUR.scenes[k];
      assert.deepEqual(t.captions, captionKeys(data), `every caption of ${SCENES[k]} is shown, in order`);
      for (const line of data.slides) {
        const want = plain(TEXTS[lang][line]);
        assert.ok(t.said.some((x) => plain(x).includes(want)), `${SCENES[k]}: the slides' "${TEXTS[lang][line]}"`);
      }
      await screenshot(page, `tour-${lang}-${k}-${SCENES[k]}`);
    }
    // The slides' own words appear where they belong.
    const last = await tourState(page);
    if (lang === 'fr') assert.match(last.narration, /C'est toujours moi le chef/);
    await page.keyboard.press('ArrowLeft');
    await frames(page, 2);
    assert.equal((await reached(page, 'unification')).scene, 'unification');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// The chapter after the slides: each scene on a fresh cluster with its own options.
const BEYOND = ['disrupt', 'prevote', 'stale-read', 'read-index', 'figure8', 'noop', 'transfer'];
const CHAPTER = { fr: 'Au-delà des diapos', en: 'Beyond the slides' };
const VALUE = { fr: (v) => new RegExp(`la valeur est ${v}\\.`), en: (v) => new RegExp(`the value is ${v}\\.`) };

async function beyond(page, scene, lang, embed) {
  const s = await cluster(page);
  const alive = s.servers.filter((x) => x.alive);
  const cmds = (id) => s.log[id].map((c) => `${c.command}${c.committed ? '' : '*'}`).join();
  const holds = () => page.$eval('[data-property="LinearizableReads"]', (b) => b.dataset.holds);
  switch (scene) {
    case 'disrupt':
      assert.equal(s.leaders.length, 1);
      assert.ok(s.servers.every((x) => x.term >= 3), 'the returning server forced new terms');
      break;
    case 'prevote':
      assert.equal(s.leaders.length, 1);
      assert.ok(s.servers.every((x) => x.term === 1), 'nobody left term 1');
      break;
    case 'stale-read':
      assert.equal(s.leaders.length, 2, 'the cut-off leader still believes');
      assert.match(s.feedback, VALUE[lang](1), 'the read got the old value');
      if (!embed) assert.equal(await holds(), 'false', 'the reads badge is red');
      break;
    case 'read-index':
      assert.equal(s.leaders.length, 1);
      assert.match(s.feedback, VALUE[lang](3));
      if (!embed) assert.equal(await holds(), 'true');
      break;
    case 'figure8':
      assert.ok(alive.every((x) => cmds(x.id) === 'Set 1,Add 2'), JSON.stringify(s.log));
      break;
    case 'noop':
      assert.ok(alive.every((x) => cmds(x.id) === 'no-op,Set 1,no-op'), JSON.stringify(s.log));
      assert.ok(await page.$$eval('td.entry.noop', (t) => t.length) >= 8);
      break;
    case 'transfer':
      assert.equal(s.leaders.length, 1);
      assert.equal(alive.length, 4);
      assert.equal(s.leaders[0].term, 2, 'one new term, no election timeout');
      break;
    default:
      assert.fail(scene);
  }
}

for (const [lang, embed] of [['fr', false], ['en', true]]) {
  test(`beyond the slides, in ${lang}${embed ? ', embedded' : ''}: every scene reaches its checkpoint and shows its point`, async () => {
    const query = `scene=disrupt&lang=${lang}${embed ? '&embed=1' : ''}`;
    const viewport = embed ? { width: 800, height: 450 } : { width: 1280, height: 800 };
    const { page, errors } = await open(browser, `${server.base}?${query}`, viewport);
    for (let k = 0; k < BEYOND.length; k += 1) {
      if (k > 0) {
        await page.keyboard.press('ArrowRight');
        await frames(page, 2);
      }
      const t = await reached(page, BEYOND[k]);
      const data = TOUR.scenes.find((x) => x.id === BEYOND[k]);
      assert.equal(t.title, TEXTS[lang][`scene_${BEYOND[k]}`]);
      assert.equal(await page.textContent('[data-chapter]'), CHAPTER[lang]);
      assert.ok(!/\{[a-z]+\}/.test(t.narration), `placeholders filled: ${t.narration}`);
      assert.deepEqual(t.captions, captionKeys(data), `every caption of ${BEYOND[k]} is shown, in order`);
      await beyond(page, BEYOND[k], lang, embed);
      await screenshot(page, `tour-${lang}-beyond-${k}-${BEYOND[k]}`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('a link opens the class on the right step; replay, let me play and back to the tour', async () => {
  const { page, errors } = await open(browser, `${server.base}?scene=split&lang=fr`);
  let t = await reached(page, 'split');
  assert.match(t.narration, /Add 3/);
  await click(page, '[data-action="tour-replay"]');
  await page.waitForSelector('section.tour[data-scene="split"][data-scene-state="playing"]');
  await reached(page, 'split');
  // Let me play: the cluster stays, the URL drops the scene.
  const before = (await cluster(page)).leaders.length;
  await click(page, '[data-action="tour-leave"]');
  await page.waitForSelector('[data-action="tour-return"]');
  t = await tourState(page);
  assert.doesNotMatch(t.search, /scene=/);
  assert.equal((await cluster(page)).leaders.length, before, 'the same cluster, live');
  await click(page, '[data-action="heal"]');
  await runUntil(page, (s) => s.leaders.length === 1, 'the healed cluster has one leader');
  await click(page, '[data-action="tour-return"]');
  await reached(page, 'split');
  assert.match((await tourState(page)).search, /scene=split/);
  // The scene list jumps anywhere.
  await page.selectOption('[data-control="scene"]', '2');
  await frames(page, 2);
  await reached(page, 'leader-dies');
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad parameters show a notice and a working playground', async () => {
  const { page, errors } = await open(browser,
    `${server.base}?nodes=999&scene=nope&seed=%3Cscript%3Ealert(1)%3C%2Fscript%3E&embed=maybe`);
  const notices = await page.$$eval('.notice', (n) => n.map((x) => x.textContent));
  assert.equal(notices.length, 4, notices.join(' | '));
  assert.ok(notices.some((n) => n.includes('scene=nope')));
  assert.equal(await page.$('section.tour'), null, 'no tour for an unknown scene');
  assert.equal(await page.$$eval('script', (s) => s.filter((x) => x.textContent.includes('alert(1)')).length), 0);
  await runUntil(page, (s) => s.leaders.length === 1 && s.servers.length === 5, 'a leader');
  await screenshot(page, 'tour-bad-params');
  assert.deepEqual(errors, []);
  await page.close();
});

/** Opens a page that is not the playground itself, recording its errors. */
async function openPage(path, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.base}${path}`);
  return { page, errors };
}

test('the example course page embeds two scenes side by side and drives one by postMessage', async () => {
  const { page, errors } = await openPage('examples/course.html?autoplay=0');
  const left = page.frameLocator('#left');
  const right = page.frameLocator('#right');
  await left.locator('section.tour[data-scene="election"]').waitFor();
  await right.locator('section.tour[data-scene="split"]').waitFor();
  assert.equal(await left.locator('main').getAttribute('lang'), 'fr');
  assert.ok(await right.locator('main.embed').count() === 1, 'embedded: no page chrome');
  assert.equal(await right.locator('header.top').count(), 0);
  // The page plays the right frame's scene through postMessage, in simulated time.
  for (let t = 0; (await right.locator('section.tour[data-scene-state="reached"]').count()) === 0; t += 50) {
    assert.ok(t < 10000, 'the split scene reaches its checkpoint');
    await page.evaluate(() => call('advance', 50));
  }
  // It stops the right frame's leader, and hears that frame's events, tagged with it.
  await page.click('#stop-leader');
  await page.waitForFunction(() => document.getElementById('events').textContent.includes('arrêté'));
  for (let t = 0; !(await page.textContent('#events')).includes('"type":"leader"'); t += 50) {
    assert.ok(t < 5000, 'a new leader is announced');
    await page.evaluate(() => call('advance', 50));
  }
  assert.match(await page.textContent('#events'), /cadre de droite : \{"type":"leader"/);
  assert.doesNotMatch(await page.textContent('#events'), /cadre de gauche/, 'the left frame was not driven');
  await screenshot(page, 'course-page');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the JavaScript API mounts, drives, reports events and names a wrong option', async () => {
  const { page, errors } = await openPage('examples/api.html?autoplay=0');
  await page.waitForFunction(() => window.pg && document.querySelector('#playground g.server'));
  await page.evaluate(() => {
    for (let t = 0; t < 3000 && !window.pg.state().leader; t += 10) window.pg.advance(10);
  });
  assert.ok(await page.evaluate(() => window.pg.state().leader), 'a leader within 3 simulated seconds');
  const s = await page.evaluate(() => window.pg.state());
  assert.equal(s.servers.length, 5);
  assert.equal(s.seed, 42);
  assert.ok(['leader', 'follower', 'candidate'].includes(s.servers[0].role));
  const outcome = await page.evaluate(() => window.pg.send(window.pg.state().leader, 'Add 5'));
  assert.equal(outcome.type, 'accepted');
  await page.evaluate(() => window.pg.advance(500));
  assert.match(await page.textContent('#log'), /commit: \[1\] Add 5/);
  const redirect = await page.evaluate(() => {
    const st = window.pg.state();
    const f = st.servers.find((x) => x.alive && x.role !== 'leader').id;
    return window.pg.send(f, 'Add 1');
  });
  assert.equal(redirect.type, 'redirect');
  const bad = await page.evaluate(() => {
    const tries = [
      () => window.pg.stop(42),
      () => window.pg.goToScene('nowhere'),
      () => window.pg.partition('nope'),
      () => window.pg.on('nothing', () => {}),
    ];
    return tries.map((f) => { try { f(); return 'no error'; } catch (e) { return e.message; } });
  });
  assert.match(bad[0], /server number/);
  assert.match(bad[1], /no scene "nowhere"/);
  assert.match(bad[2], /partition/);
  assert.match(bad[3], /unknown event/);
  await page.click('#bad');
  assert.match(await page.textContent('#error'), /unknown option `nodez`/);
  const wrongType = await page.evaluate(async () => {
    const { mount } = await import('../raft-playground.js');
    const tries = [{ nodes: 'five' }, { nodes: 4 }, { lang: 'xx' }, { speed: 9 }, { scene: 'x' }];
    return tries.map((o) => { try { mount(document.createElement('div'), o); return 'no error'; } catch (e) { return e.message; } });
  });
  assert.match(wrongType[0], /option `nodes`/);
  assert.match(wrongType[1], /option `nodes`: must be 3, 5 or 7/);
  assert.match(wrongType[2], /option `lang`/);
  assert.match(wrongType[3], /option `speed`/);
  assert.match(wrongType[4], /option `scene`/);
  await page.evaluate(() => window.pg.goToScene('split'));
  await page.waitForSelector('#playground section.tour[data-scene="split"]');
  await screenshot(page, 'api-page');
  // After destroy, every method says so instead of answering.
  const gone = await page.evaluate(() => {
    window.pg.destroy();
    return ['state', 'play', 'step'].map((m) => { try { window.pg[m](); return 'no error'; } catch (e) { return e.message; } });
  });
  assert.ok(gone.every((m) => /destroyed/.test(m)), gone.join(' | '));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the <raft-playground> element: in its own Shadow DOM, attributes observed, events as DOM events', async () => {
  const { page, errors } = await openPage('examples/course.html?autoplay=0');
  await page.waitForSelector('raft-playground g.server');
  const inShadow = await page.$eval('raft-playground', (el) => !!el.shadowRoot.querySelector('g.server') && !document.querySelector('main.app'));
  assert.ok(inShadow, 'the playground is inside the element\'s shadow root');
  // A hostile page style does not reach it.
  await page.addStyleTag({ content: '.status, .logs td, button { color: rgb(255, 0, 0) !important; font-size: 40px !important; }' });
  const color = await page.$eval('raft-playground', (el) => getComputedStyle(el.shadowRoot.querySelector('.controls button')).color);
  assert.notEqual(color, 'rgb(255, 0, 0)');
  // Play the replication scene in simulated time: Set 1's commit comes as a DOM event.
  await page.evaluate(async () => {
    const el = document.getElementById('element');
    for (let t = 0; t < 5000 && !document.getElementById('element-events').textContent; t += 50) {
      el.playground.advance(50);
      await new Promise((r) => requestAnimationFrame(r));
    }
  });
  assert.match(await page.textContent('#element-events'), /\[1\] Set 1 validé/);
  // Changing the scene attribute moves the tour.
  await page.click('#element-split');
  await page.waitForSelector('raft-playground section.tour[data-scene="split"]');
  // Changing another attribute starts it again with the new option.
  await page.$eval('raft-playground', (el) => el.setAttribute('lang', 'en'));
  await page.waitForFunction(() => document.getElementById('element').shadowRoot.querySelector('main')?.getAttribute('lang') === 'en');
  // A wrong attribute says what is wrong, as text.
  await page.$eval('raft-playground', (el) => el.setAttribute('nodes', '4'));
  await page.waitForFunction(() => document.getElementById('element').shadowRoot.querySelector('.raft-error').textContent.includes('nodes'));
  // Out of the tour (whose cluster has five servers), three servers.
  await page.$eval('raft-playground', (el) => { el.removeAttribute('scene'); el.setAttribute('nodes', '3'); });
  await page.waitForFunction(() => document.getElementById('element').shadowRoot.querySelectorAll('g.server').length === 3);
  await page.$eval('raft-playground', (el) => el.scrollIntoView());
  await screenshot(page, 'course-page-element');
  assert.deepEqual(errors, []);
  await page.close();
});
