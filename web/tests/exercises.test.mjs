// A puzzle in a lab, as the README tells a teacher to run one: `raft-sim puzzle link`
// gives the page link of the puzzle's start, the student solves it with clicks and
// exports the run, and `raft-sim puzzle check` judges the exported file.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, open, cluster, runUntil, clickServer, click, root } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Runs the raft-sim command line (built if need be); its exit code and output. */
function raftSim(...args) {
  const r = spawnSync('cargo', ['run', '--release', '-q', '-p', 'raft-sim', '--', ...args], {
    cwd: root, encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

async function exportRun(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="export"]')]);
  const text = await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString());
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'raft-puzzle-')), 'run.json');
  fs.writeFileSync(file, text);
  return file;
}

test('a puzzle opened from its link, solved by clicks and exported, is judged solved', async () => {
  const link = raftSim('puzzle', 'link', 'catch-up', '--page', server.base, '--lang', 'fr');
  assert.equal(link.code, 0, link.out);
  const { page, errors } = await open(browser, link.out.trim());
  // The start: S5 stopped, the others holding Set 1 and Add 2 (value 3).
  const start = await cluster(page);
  assert.ok(start.now > 0);
  assert.deepEqual(start.servers.filter((s) => !s.alive).map((s) => s.id), [5]);
  assert.deepEqual(start.log[1].map((c) => c.command), ['Set 1', 'Add 2']);
  assert.deepEqual(start.log[5], []);
  // Before solving it, the exported run does not solve it.
  const idle = raftSim('puzzle', 'check', 'catch-up', await exportRun(page));
  assert.equal(idle.code, 1, idle.out);
  assert.match(idle.out, /not solved/);

  await clickServer(page, 5);
  await click(page, '[data-menu="5"] [data-action="restart"]');
  await runUntil(page, (s) => s.log[5].length === 2 && s.log[5].every((c) => c.committed), 'S5 caught up', 3000);
  const run = await exportRun(page);
  const judged = raftSim('puzzle', 'check', 'catch-up', run);
  assert.equal(judged.code, 0, judged.out);
  assert.match(judged.out, /^solved: the target holds at t=\d+ ms, after 1 actions/);
  // The same run is not a solution of another puzzle.
  const other = raftSim('puzzle', 'check', 'elect-s3', run);
  assert.equal(other.code, 1, other.out);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a locked control used before the target holds breaks the puzzle', async () => {
  // "depose" allows one action and locks stopping a server: S2 times out and wins, which
  // solves it; stopping the leader first and then letting S2 win does not.
  const link = raftSim('puzzle', 'link', 'depose', '--page', server.base).out.trim();
  const fair = await open(browser, link);
  await clickServer(fair.page, 2);
  await click(fair.page, '[data-menu="2"] [data-action="timeout"]');
  await runUntil(fair.page, (x) => x.leaders.some((l) => l.id === 2), 'S2 leads', 2000);
  const solved = raftSim('puzzle', 'check', 'depose', await exportRun(fair.page));
  assert.equal(solved.code, 0, solved.out);
  assert.deepEqual(fair.errors, []);
  await fair.page.close();

  const { page, errors } = await open(browser, link);
  const leader = (await cluster(page)).leaders[0].id;
  assert.notEqual(leader, 2);
  await clickServer(page, leader);
  await click(page, `[data-menu="${leader}"] [data-action="stop"]`);
  await runUntil(page, (x) => x.leaders.length === 1 && x.leaders[0].id !== leader, 'a new leader', 3000);
  const unfair = raftSim('puzzle', 'check', 'depose', await exportRun(page));
  assert.equal(unfair.code, 1, unfair.out);
  assert.match(unfair.out, /action 1 uses crash, which this puzzle locks/);
  assert.deepEqual(errors, []);
  await page.close();
});
