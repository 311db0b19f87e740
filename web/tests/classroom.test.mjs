// What went wrong when the playground was tried as a teacher and a student would
// (issue 10), each as a browser test: long logs, seeds, postMessage from strangers,
// reduced motion, the diagram's lost messages, looking ahead in time, the French
// interface, feedback. Every page starts paused and moves in simulated time.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  serve, launch, open, cluster, runUntil, advance, frames, click, leaderOf, clickServer, screenshot,
} from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const url = (query) => `${server.base}?${query}`;

test('long logs: 2,000 commands commit, the table draws only what fits, and scrolls back', async () => {
  const { page, errors } = await open(browser, url('seed=11'));
  const committed = await page.evaluate(() => {
    const pg = window.raftPlayground;
    for (let t = 0; t < 3000 && !pg.state().leader; t += 10) pg.advance(10);
    const leader = pg.state().leader;
    for (let k = 0; k < 2000; k += 1) pg.send(leader, `Add ${k % 5}`);
    for (let t = 0; t < 20000 && pg.state().servers.some((x) => x.commitIndex < 2000); t += 50) pg.advance(50);
    return Math.min(...pg.state().servers.map((x) => x.commitIndex));
  });
  assert.equal(committed, 2000);
  await frames(page, 2);
  const cells = await page.$$eval('td.entry', (c) => c.length);
  assert.ok(cells <= 5 * 10, `${cells} cells drawn for 10,000 entries in all`);
  const range = () => page.$eval('section.logs table', (t) => [Number(t.dataset.first), Number(t.dataset.last)]);
  const [first, last] = await range();
  assert.ok(last >= 2000 && first > 1900, `the newest entries: ${first}–${last}`);
  await click(page, '[data-action="logs-older"]');
  const [older] = await range();
  assert.ok(older < first, 'scrolled back');
  await click(page, '[data-action="logs-newest"]');
  assert.deepEqual(await range(), [first, last], 'back to the newest');
  await screenshot(page, 'classroom-long-log');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a seed too large for JSON is refused in the box; every run shown can be exported and shared', async () => {
  const { page, errors } = await open(browser, url('seed=5'));
  const more = await page.$('.controls details.more > summary');
  if (more) await click(page, '.controls details.more > summary');
  await page.fill('[data-control="seed"]', '9007199254740993');
  await click(page, '[data-action="reset"]');
  const s = await cluster(page);
  assert.equal(s.seed, 5, 'the run is unchanged');
  assert.match(s.feedback, /9007199254740991/);
  await click(page, '[data-action="copy-link"]');
  const link = await page.$eval('[data-control="share-link"]', (i) => i.value);
  const param = new URL(link).searchParams.get('run');
  const trace = JSON.parse(Buffer.from(param, 'base64url').toString());
  assert.equal(trace.seed, 5);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Serves one HTML page on a port of its own (an origin of its own), for as long as
 * the test file runs. */
async function origin(html) {
  const srv = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html());
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  servers.push(srv);
  return `http://127.0.0.1:${srv.address().port}/`;
}
const servers = [];
after(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

/** A course page holding the playground (as frame "pg") and a frame of a third origin
 * that tries to drive it. */
async function hostPage(query) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const pg = `${server.base}?autoplay=0&seed=3&frame=pg${query}`;
  const stranger = await origin(() => `<!doctype html><script>
      window.strike = () => {
        const pg = parent.frames[0];
        for (const id of [1, 2, 3, 4, 5]) pg.postMessage({ type: 'raft-playground', command: 'stop', args: [id], id }, '*');
        pg.postMessage({ type: 'raft-playground', command: 'pause', id: 9 }, '*');
      };
      window.heard = [];
      addEventListener('message', (e) => heard.push(e.data));
    </script>`);
  const host = await origin(() => `<!doctype html><title>host</title>
      <iframe id="pg" src="${pg}" width="800" height="450"></iframe>
      <iframe id="stranger" src="${stranger}"></iframe>
      <script>
        window.heard = [];
        addEventListener('message', (e) => { if (e.data && e.data.type === 'raft-playground') heard.push({ origin: e.origin, data: e.data }); });
        window.ask = (command, args = [], id = Math.random()) => document.getElementById('pg').contentWindow
          .postMessage({ type: 'raft-playground', command, args, id }, '*');
      </script>`);
  await page.goto(host);
  const frame = await (await page.waitForSelector('#pg')).contentFrame();
  const strangerFrame = await (await page.waitForSelector('#stranger')).contentFrame();
  await frame.waitForSelector('g.server');
  await strangerFrame.waitForFunction(() => typeof window.strike === 'function');
  return { page, frame, stranger: strangerFrame, errors };
}

test('postMessage: a stranger frame is ignored, the embedding page is answered at its origin, events name the frame', async () => {
  const { page, frame, stranger, errors } = await hostPage('');
  await stranger.evaluate(() => window.strike());
  await frames(frame, 3);
  const s = await frame.evaluate(() => window.raftPlayground.state());
  assert.ok(s.servers.every((x) => x.alive), 'no server was stopped by the stranger');
  // The embedding page is obeyed and answered, at its own origin.
  await page.evaluate(() => window.ask('advance', [800], 'a1'));
  await page.waitForFunction(() => heard.some((h) => h.data.reply === 'a1'));
  const reply = await page.evaluate(() => heard.find((h) => h.data.reply === 'a1'));
  assert.equal(reply.data.ok, true);
  assert.equal(reply.data.frame, 'pg');
  const leaderEvent = await page.evaluate(() => heard.find((h) => h.data.event && h.data.event.type === 'leader'));
  assert.ok(leaderEvent, 'the leader event was heard');
  assert.equal(leaderEvent.data.frame, 'pg', 'events name their frame');
  assert.deepEqual(await stranger.evaluate(() => window.heard), [], 'the stranger hears nothing');
  assert.deepEqual(errors, []);
  await page.close();
});

test('postMessage with origin=…: only that origin is obeyed', async () => {
  const { page, frame } = await hostPage('&origin=https://cours.example.edu');
  await page.evaluate(() => window.ask('stop', [1], 'x'));
  await frames(frame, 3);
  assert.equal((await frame.evaluate(() => window.raftPlayground.state())).servers[0].alive, true);
  assert.equal(await page.evaluate(() => heard.filter((h) => h.data.reply === 'x').length), 0, 'no answer either');
  await page.close();
});

test('reduced motion: messages keep their own shapes, standing still', async () => {
  const page = await browser.newPage({ reducedMotion: 'reduce' });
  await page.goto(url('seed=7&autoplay=0'));
  await page.waitForSelector('g.server');
  await runUntil(page, (s) => s.messages.some((m) => m.kind === 'RequestVote'), 'a vote request', 2000, 1);
  const shapes = await page.$$eval('g.msg.live', (ms) => ms.map((m) => [m.dataset.kind, m.dataset.id,
    m.querySelector('.shape circle.fill') ? 'filled circle' : m.querySelector('.shape rect') ? 'square' : m.querySelector('.shape circle.hollow') ? 'hollow circle' : 'none',
    m.querySelector('.shape').getAttribute('transform')]));
  assert.ok(shapes.length > 0);
  assert.ok(shapes.filter(([k]) => k === 'RequestVote').every(([, , s]) => s === 'filled circle'), JSON.stringify(shapes));
  assert.ok(shapes.every(([, , s]) => s !== 'none'), 'every message has its shape');
  await advance(page, 2);
  const later = await page.$$eval('g.msg.live', (ms) => Object.fromEntries(ms.map((m) => [m.dataset.id, m.querySelector('.shape').getAttribute('transform')])));
  for (const [, id, , at] of shapes) if (later[id]) assert.equal(later[id], at, 'a message stands still');
  assert.equal(await page.$('g.bubble'), null, 'no bubbles');
  await screenshot(page, 'classroom-reduced-motion');
  await page.close();
});

test('the space-time diagram ends a message lost to a stopped server just short of that server', async () => {
  const { page, errors } = await open(browser, url('seed=2'));
  const l = leaderOf(await runUntil(page, (s) => s.leaders.length === 1, 'a leader'));
  const victim = (l.id % 5) + 1;
  await clickServer(page, victim);
  await click(page, `[data-menu="${victim}"] [data-action="stop"]`);
  await advance(page, 80);
  const ends = await page.evaluate((v) => {
    const xs = Object.fromEntries([...document.querySelectorAll('[data-lifeline]')].map((g) => [g.dataset.lifeline, g.querySelector('line').x1.baseVal.value]));
    return { xs, lost: [...document.querySelectorAll(`[data-diagram] line.trip.lost[data-to="${v}"]`)].map((l) => l.x2.baseVal.value) };
  }, victim);
  assert.ok(ends.lost.length > 0, 'messages to the stopped server were lost');
  for (const x of ends.lost) {
    assert.ok(Math.abs(x - ends.xs[victim]) <= 12, `ends ${x} near S${victim}'s lifeline at ${ends.xs[victim]}`);
    for (const [id, lx] of Object.entries(ends.xs)) if (Number(id) !== victim) assert.ok(Math.abs(x - lx) > 20, `not on S${id}'s lifeline`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('"Next commit »" with no commit ahead says so and does not move the recorded end', async () => {
  const { page, errors } = await open(browser, url('seed=4'));
  await runUntil(page, (s) => s.leaders.length === 1, 'a leader');
  const head = () => page.$eval('output.clock', (o) => Number(o.dataset.head));
  const before = await head();
  await click(page, '[data-action="next-commit"]');
  assert.match((await cluster(page)).feedback, /No such moment/);
  assert.equal(await head(), before, 'the head did not move');
  await click(page, '[data-action="copy-link"]');
  const link = await page.$eval('[data-control="share-link"]', (i) => i.value);
  const trace = JSON.parse(Buffer.from(new URL(link).searchParams.get('run'), 'base64url').toString());
  assert.equal(trace.end, before, 'the shared run ends where it did');
  assert.deepEqual(errors, []);
  await page.close();
});

test('in French: title, language, labels, key names, plurals; switching language follows in the address', async () => {
  const { page, errors } = await open(browser, url('seed=3&lang=fr&nodes=3'));
  assert.equal(await page.title(), 'Bac à sable Raft');
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.equal(await page.getAttribute('[role="toolbar"]', 'aria-label'), 'Commandes');
  assert.doesNotMatch(await page.textContent('.subtitle'), /[Cc]inq|[Ff]ive/);
  // One candidate: the singular.
  const s = await runUntil(page, (x) => x.servers.some((v) => v.role === 'candidate'), 'a candidate', 2000, 1);
  assert.match(s.status, /S\d demande des votes pour le mandat 1\./);
  const l = leaderOf(await runUntil(page, (x) => x.leaders.length === 1, 'a leader'));
  const others = s.servers.map((v) => v.id).filter((id) => id !== l.id);
  await clickServer(page, others[0]);
  await click(page, `[data-menu="${others[0]}"] [data-action="stop"]`);
  assert.match((await cluster(page)).status, new RegExp(`S${others[0]} est arrêté\\.`));
  await clickServer(page, others[1]);
  await click(page, `[data-menu="${others[1]}"] [data-action="stop"]`);
  const st = (await cluster(page)).status;
  assert.match(st, /S\d et S\d sont arrêtés\./);
  assert.match(st, new RegExp(`S${l.id} ne peut pas joindre une majorité\\.`));
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await page.waitForSelector('.help dl');
  const keys = await page.$$eval('.help dt', (d) => d.map((x) => x.textContent));
  for (const k of ['Espace', 'p / Entrée', 'Échap', '← / →']) assert.ok(keys.includes(k), `${k} in ${keys.join(' | ')}`);
  const tour = await page.$$eval('.help dd', (d) => d.map((x) => x.textContent).find((t) => t.includes('scène')));
  assert.match(tour, /^scène précédente \/ suivante/);
  // French typography: no space before "!", "?", ":" or ";" but a no-break one.
  const text = await page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(text, / [!?:;]/, 'a breaking space before French punctuation');
  await page.keyboard.press('Escape');
  await page.selectOption('[data-control="lang"]', 'en');
  await frames(page, 2);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.evaluate(() => location.search), /lang=en/);
  assert.equal(await page.title(), 'Raft playground');
  assert.deepEqual(errors, []);
  await page.close();
});

test('feedback: every action says what it did, the next replaces it, and it goes away', async () => {
  const page = await browser.newPage();
  await page.clock.install();
  await page.goto(url('seed=6&autoplay=0'));
  await page.waitForSelector('g.server');
  await runUntil(page, (s) => s.leaders.length === 1, 'a leader');
  await advance(page, 200); // everyone hears the leader
  await click(page, '[data-action="align"]');
  assert.match((await cluster(page)).feedback, /^Timers aligned: S\d, S\d, S\d and S\d will time out together\.$/);
  await click(page, '[data-action="spread"]');
  assert.match((await cluster(page)).feedback, /^Timers spread: /, 'the next action replaces it');
  await page.clock.runFor(9000);
  await frames(page, 2);
  assert.equal(await page.$('[data-feedback]'), null, 'gone after a few seconds');
  // After the leader stops, the status says no leader, not "yet".
  const l = leaderOf(await cluster(page));
  await clickServer(page, l.id);
  await click(page, `[data-menu="${l.id}"] [data-action="stop"]`);
  assert.match((await cluster(page)).status, /^No leader: the followers wait for an election timeout\./);
  await page.close();
});
