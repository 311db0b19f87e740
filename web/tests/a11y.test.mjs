// Accessibility, checked by axe-core in the browser: no serious or critical violation
// on the main page, in the tour, with a server's menu open, and embedded (embed=1),
// in English and in French.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, open, runUntil, advance, clickServer, root } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const AXE = path.join(root, 'web', 'node_modules', 'axe-core', 'axe.min.js');

/** The serious and critical violations axe finds on the page as it is now. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\n').slice(0, 2).join(' ')).join(' | ')}`);
  });
  return found;
}

for (const lang of ['en', 'fr']) {
  test(`the main page, its open menu, the tour and embed=1 (${lang}): no serious or critical violation`, async () => {
    const { page } = await open(browser, `${server.base}?seed=3&lang=${lang}`);
    await runUntil(page, (s) => s.leaders.length === 1, 'a leader');
    assert.deepEqual(await violations(page), [], 'main page');
    await clickServer(page, 2);
    assert.deepEqual(await violations(page), [], 'a server menu open');
    await page.close();

    const tour = await open(browser, `${server.base}?scene=split&lang=${lang}`);
    for (let t = 0; t < 2000; t += 50) await advance(tour.page, 50);
    assert.deepEqual(await violations(tour.page), [], 'the tour');
    await tour.page.close();

    const embed = await open(browser, `${server.base}?scene=election&lang=${lang}&embed=1`, { width: 800, height: 450 });
    for (let t = 0; t < 1000; t += 50) await advance(embed.page, 50);
    assert.deepEqual(await violations(embed.page), [], 'embedded');
    await embed.page.close();
  });
}
