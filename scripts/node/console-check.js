#!/usr/bin/env node
// Opens the gateway's console in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no
// browser is downloaded) and checks what an operator would see. Used by e2e-tests ConsoleBrowserIT:
//   node console-check.js --url=http://127.0.0.1:8084/console/?watch=private-audit-A \
//     --event-id=ID --channel=private-audit-A --dead-event-id=ID2 --dead-reason=UNSAFE_PLACEHOLDER \
//     --screenshot=target/console-screenshot.png [--timeout-ms=60000] \
//     [--teams-file=outbox-relay/src/main/resources/demo/frontends.json --teams-timeout-ms=20000]
// Prints one JSON line per step: {"kind":"ready"} once the page is loaded and its pusher-js client has subscribed
// (the caller writes its events then), then {"kind":"done", ...what the page showed} or {"kind":"error","message"}.
// With --teams-file (the demo's teams and their frontends' channels), it first waits, at most --teams-timeout-ms,
// until the published events hold at least one event on a channel of every team, and reports one per team.
// Takes the screenshot in both cases; exits 0 only when every check passed.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const i = a.indexOf('=');
  return i < 0 ? [a.replace(/^--/, ''), 'true'] : [a.slice(2, i), a.slice(i + 1)];
}));
for (const required of ['url', 'event-id', 'channel', 'dead-event-id', 'dead-reason', 'screenshot']) {
  if (!args[required]) {
    console.error('console-check: --' + required + ' is required');
    process.exit(2);
  }
}
const timeout = Number(args['timeout-ms'] || 60000);
const teamsTimeout = Number(args['teams-timeout-ms'] || 20000);
const say = (line) => console.log(JSON.stringify(line));

/**
 * Waits until the page's published events hold, for every team of the teams file, an event on one of the channels
 * its frontend subscribes to; answers {team: the cells of one such row}. On time-out, names the teams missing.
 */
async function everyTeam(page, teamsFile) {
  const teams = JSON.parse(fs.readFileSync(teamsFile, 'utf8'));
  const wanted = Object.fromEntries(Object.entries(teams).map(([team, t]) => [team, t.channels]));
  // runs in the page: a row per team found, or (final) what is missing
  const find = ({ wanted, final }) => {
    const rows = [...document.querySelectorAll('#events tbody tr')]
      .map((tr) => [...tr.cells].map((td) => td.textContent));
    const found = {};
    const missing = [];
    for (const [team, channels] of Object.entries(wanted)) {
      // the fourth cell holds the event's channels, comma-separated
      const row = rows.find((cells) => (cells[3] || '').split(', ').some((c) => channels.includes(c)));
      if (row) {
        found[team] = row;
      } else {
        missing.push(team);
      }
    }
    if (final) {
      return { missing, rows: rows.length };
    }
    return missing.length === 0 ? found : null;
  };
  try {
    const handle = await page.waitForFunction(find, { wanted, final: false }, { timeout: teamsTimeout, polling: 250 });
    return await handle.jsonValue();
  } catch (e) {
    const answer = await page.evaluate(find, { wanted, final: true });
    throw new Error('within ' + teamsTimeout + ' ms, no published event of team(s) ' + answer.missing.join(', ')
      + ' among the ' + answer.rows + ' rows of the page (' + String(e.message).split('\n')[0] + ')');
  }
}

(async () => {
  // a fresh profile each run (playwright passes it as --user-data-dir); the flags that work as root on these
  // machines (shared/field-notes.md): without the background-networking ones Chromium keeps trying hosts it
  // cannot reach
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: args.chromium || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1300 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'
    ]
  });
  const page = browser.pages()[0] || await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') {
      problems.push('console error: ' + m.text());
    }
  });
  let failed = null;
  try {
    await page.goto(args.url, { waitUntil: 'load', timeout });
    const channel = args.channel;
    // the live view: the page's own pusher-js client, authorized by the gateway's auth endpoint
    await page.locator(`#live-subscriptions li[data-channel="${channel}"][data-state="subscribed"]`)
      .waitFor({ timeout });
    say({ kind: 'ready' });

    const teams = args['teams-file'] ? await everyTeam(page, args['teams-file']) : null;

    const eventRow = page.locator(`#events tbody tr[data-event-id="${args['event-id']}"]`);
    await eventRow.waitFor({ timeout });
    const eventCells = await eventRow.locator('td').allInnerTexts();

    // the trace search, for the published event, at once: with a demo running the row soon scrolls out of the
    // page's list. Clicking its id fills the box and asks
    let trace = null;
    if (args.trace !== 'false') {
      await eventRow.locator('a.event-id').click();
      await page.locator('#trace-answer').filter({ hasText: 'Pusher accepted it' }).waitFor({ timeout });
      trace = await page.locator('#trace-result').innerText();
    }

    const deadRow = page.locator(
      `#not-published tbody tr[data-event-id="${args['dead-event-id']}"][data-reason="${args['dead-reason']}"]`);
    await deadRow.waitFor({ timeout });
    const deadCells = await deadRow.locator('td').allInnerTexts();

    const liveRow = page.locator(`#live-events tbody tr[data-channel="${channel}"]`).first();
    await liveRow.waitFor({ timeout });
    const liveCells = await liveRow.locator('td').allInnerTexts();

    const channelRow = page.locator(`#channels tbody tr[data-channel="${channel}"]`);
    await channelRow.waitFor({ timeout });
    const channelCells = await channelRow.locator('td').allInnerTexts();

    // the counters come from the services' own metrics; wait until the publisher's shows this event
    await page.locator('#stages tbody tr[data-stage="publisher"] span[data-counter="published"] b')
      .filter({ hasNotText: /^0$/ }).waitFor({ timeout });
    const stages = {};
    for (const row of await page.locator('#stages tbody tr').all()) {
      stages[await row.getAttribute('data-stage')] = (await row.locator('td').allInnerTexts()).join(' | ');
    }

    say({
      kind: 'done',
      event: eventCells,
      deadLetter: deadCells,
      live: liveCells,
      channel: channelCells,
      stages,
      trace,
      teams,
      problems
    });
  } catch (e) {
    failed = e;
  } finally {
    await page.screenshot({ path: args.screenshot, fullPage: true }).catch((e) => problems.push(String(e)));
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failed) {
    say({ kind: 'error', message: String(failed.message || failed).split('\n')[0], problems });
    process.exit(1);
  }
})().catch((e) => {
  say({ kind: 'error', message: String(e.message || e) });
  process.exit(1);
});
