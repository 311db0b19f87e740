// Layout at the sizes people use: small embedded frames (480×360 up), the example
// course page, a phone with touch, a laptop and a projector. Every check is about
// what a class would see: the ring, every server's log with readable commands, the
// tour's caption, and menus and panels inside the frame. Screenshots of each size go
// to web/tests/screenshots/.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, advance, playScene, frames, click, screenshot } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** What of the page is out of view or unreadable, as a list of complaints. */
function problems(page) {
  return page.evaluate(() => {
    const out = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const inView = (el, what) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) out.push(`${what} is not drawn`);
      else if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) {
        out.push(`${what} is out of the frame (${Math.round(r.left)},${Math.round(r.top)} – ${Math.round(r.right)},${Math.round(r.bottom)} in ${vw}×${vh})`);
      }
    };
    if (document.scrollingElement.scrollWidth > vw + 1) out.push(`the page scrolls sideways (${document.scrollingElement.scrollWidth} > ${vw})`);
    const ring = document.querySelector('svg.ring');
    inView(ring, 'the ring');
    if (ring.getBoundingClientRect().height < 100) out.push(`the ring is ${Math.round(ring.getBoundingClientRect().height)} px high`);
    // Every server's row, inside the frame and inside the log panel's visible box.
    const logs = document.querySelector('section.logs');
    const box = logs.closest('.side') ?? logs;
    const panel = box.getBoundingClientRect();
    for (const row of document.querySelectorAll('tr.log-row')) {
      const r = row.getBoundingClientRect();
      const name = row.querySelector('.name')?.textContent;
      if (r.bottom > Math.min(vh, panel.bottom) + 1 || r.top < panel.top - 1) out.push(`the log row of ${name} is cut off`);
    }
    // Each entry's command, as shown (full or short), fits its cell.
    for (const td of document.querySelectorAll('td.entry')) {
      if (getComputedStyle(td).display === 'none') continue;
      const shown = [...td.querySelectorAll('.c > span')].find((s) => getComputedStyle(s).display !== 'none' && s.getBoundingClientRect().width > 2);
      if (!shown) { out.push(`${td.dataset.command} at S${td.dataset.server}[${td.dataset.index}] shows no command`); continue; }
      const c = shown.parentElement;
      if (c.scrollWidth > c.clientWidth + 1) out.push(`${td.dataset.command} at S${td.dataset.server}[${td.dataset.index}] is cut ("${shown.textContent}")`);
      // The leader's markers never cover the text.
      for (const m of td.querySelectorAll('.marks > span')) {
        const a = m.getBoundingClientRect();
        const b = shown.getBoundingClientRect();
        const over = (p, q) => Math.min(p[1], q[1]) - Math.max(p[0], q[0]) > 1;
        if (over([a.left, a.right], [b.left, b.right]) && over([a.top, a.bottom], [b.top, b.bottom])) out.push(`a marker covers ${td.dataset.command}`);
      }
    }
    // Speech bubbles cover no server's circle and no server's name.
    for (const b of document.querySelectorAll('g.bubble rect')) {
      const r = b.getBoundingClientRect();
      for (const el of document.querySelectorAll('g.server .body, g.server text.id')) {
        const o = el.getBoundingClientRect();
        const over = (p, q) => Math.min(p[1], q[1]) - Math.max(p[0], q[0]) > 1;
        if (over([r.left, r.right], [o.left, o.right]) && over([r.top, r.bottom], [o.top, o.bottom])) {
          out.push(`a bubble covers S${el.closest('g.server').dataset.server}'s ${el.tagName === 'text' ? 'name' : 'circle'}`);
        }
      }
    }
    const narration = document.querySelector('[data-narration]');
    if (narration) {
      inView(narration, 'the tour caption');
      if (narration.scrollHeight > narration.clientHeight + 1) out.push('the tour caption is cut');
    }
    for (const m of document.querySelectorAll('.menu, .more-panel')) {
      if (m.closest('details:not([open])')) continue;
      inView(m, m.classList.contains('menu') ? 'the server menu' : 'the "more" panel');
      for (const c of m.querySelectorAll('button, input, select')) inView(c, `"${c.textContent || c.dataset.control || c.dataset.action}" in ${m.className}`);
    }
    return out;
  });
}

/** The entries each server's row shows, as commands. */
const shownEntries = (page) => page.evaluate(() => [...document.querySelectorAll('tr.log-row')].map((row) =>
  [...row.querySelectorAll('td.entry')].filter((td) => getComputedStyle(td).display !== 'none').map((td) => td.dataset.command)));

for (const [w, h] of [[480, 360], [640, 400], [800, 450]]) {
  test(`embedded at ${w}×${h}: ring, every log with readable commands, the caption; "more" and menus inside the frame`, async () => {
    const { page, errors } = await open(browser, `${server.base}?scene=split&lang=fr&embed=1`, { width: w, height: h });
    await playScene(page);
    assert.deepEqual(await problems(page), []);
    // Both sides of the split can be told apart: Add 2 here, Add 3 there, with Set 1 before.
    const entries = await shownEntries(page);
    assert.equal(entries.length, 5);
    assert.ok(entries.every((e) => e[0] === 'Set 1' && ['Add 2', 'Add 3'].includes(e[1])), JSON.stringify(entries));
    await screenshot(page, `layout-embed-${w}x${h}`);
    // "More" opens above the bar and keeps the ring.
    await click(page, '.controls details.more > summary');
    assert.deepEqual(await problems(page), []);
    await screenshot(page, `layout-embed-${w}x${h}-more`);
    await click(page, '.controls details.more > summary');
    // A server's menu, for a server at the bottom of the ring, stays in the frame.
    await click(page, 'g.server[data-server="4"]');
    await page.waitForSelector('[data-menu="4"]');
    assert.deepEqual(await problems(page), []);
    await screenshot(page, `layout-embed-${w}x${h}-menu`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the example course page at 1280 px: both frames show every row and readable commands', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.base}examples/course.html?autoplay=0`);
  await page.frameLocator('#right').locator('section.tour').waitFor();
  for (const id of ['left', 'right']) {
    const frame = page.frame({ url: new RegExp(`frame=${id}`) });
    await frame.waitForSelector('g.server');
    await playScene(frame, { step: 50 });
    await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.deepEqual(await problems(frame), [], `the ${id} frame`);
  }
  await screenshot(page, 'layout-course-page');
  await page.close();
});

for (const [w, h] of [[375, 667], [320, 568]]) {
  test(`a phone (${w}×${h}, touch): menus and panels fit, nothing scrolls sideways`, async () => {
    const { page, errors } = await open(browser, `${server.base}?seed=3&lang=fr`, { width: w, height: h },
      { hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
    for (let t = 0; t < 1500; t += 50) await advance(page, 50);
    await page.tap('g.server[data-server="2"]');
    await page.waitForSelector('[data-menu="2"]');
    await frames(page, 2);
    const p = (await problems(page)).filter((x) => !x.startsWith('the ring') && !x.startsWith('the log row'));
    assert.deepEqual(p, []);
    await screenshot(page, `layout-phone-${w}x${h}-menu`);
    await page.tap('[data-menu="2"] [data-action="close"]');
    await page.tap('[data-action="help"]');
    await page.waitForSelector('.help');
    const help = await page.$eval('.help', (el) => { const r = el.getBoundingClientRect(); return [r.left, r.right, window.innerWidth]; });
    assert.ok(help[0] >= 0 && help[1] <= help[2], `the help fits: ${help}`);
    assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll');
    await screenshot(page, `layout-phone-${w}x${h}-help`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

for (const [w, h, name] of [[1366, 768, 'laptop'], [1920, 1080, 'projector']]) {
  test(`a ${name} (${w}×${h}): the whole page fits its width, commands readable`, async () => {
    const { page, errors } = await open(browser, `${server.base}?scene=reunion&lang=fr`, { width: w, height: h });
    await playScene(page);
    const p = (await problems(page)).filter((x) => !x.startsWith('the log row') && !x.startsWith('the ring is out'));
    assert.deepEqual(p, []);
    await screenshot(page, `layout-${name}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
