// grouped-printer.js, as `./switchboard dev` shows it: what each team's frontend received, grouped by team and
// channel, the truncated marker, and the footer with the router's counters. Node's own test runner, no dependency:
//   node --test scripts/node/test/        (NodeScriptsTest runs it in ./mvnw verify)
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const { createPrinter } = require('../grouped-printer');

// two teams as frontends.json writes them; a third channel belongs to no team
const teamsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grouped-printer-')), 'frontends.json');
fs.writeFileSync(teamsFile, JSON.stringify({
  '000': { label: 'QA runs and batch runs (Laravel/Reverb)', channels: ['private-org.1'] },
  '001': {
    label: 'document analysis and rewrites (Laravel/Reverb)',
    channels: ['private-documents.4201', 'private-rewrites.881', 'private-documents.4202'],
  },
}));

/** A terminal that is not one (no colours), as when the launcher's output goes to a file. */
function output() {
  const chunks = [];
  return {
    isTTY: false,
    write(s) { chunks.push(s); return true; },
    lines() { return chunks.join('').split('\n').filter((l) => l !== ''); },
    text() { return chunks.join(''); },
  };
}

/** Waits (polling, bounded) for what the printer prints on its own timer. */
async function until(condition, what, out, ms = 5000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) assert.fail(`no ${what} within ${ms} ms; printed:\n${out.text()}`);
    await new Promise((resolve) => { setTimeout(resolve, 10); });
  }
}

/** The router's /actuator/prometheus, with counters the test changes; counts the scrapes. */
async function routerMetrics(initial) {
  const router = { body: initial, scrapes: 0 };
  router.server = http.createServer((req, res) => {
    router.scrapes += 1;
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(router.body);
  });
  await new Promise((resolve) => { router.server.listen(0, '127.0.0.1', resolve); });
  router.url = `http://127.0.0.1:${router.server.address().port}/actuator/prometheus`;
  return router;
}

const event = (channel, name, data) => ({ kind: 'event', channel, event: name, data, at: Date.now() });
const line = (name, summary) => `    ${name.padEnd(34)} ${summary}`;
const HEADER = /^── \d\d:\d\d:\d\d ── what each team's frontend received ─+$/;

test('events are grouped by team, in the teams file order, then by channel, in arrival order', () => {
  const out = output();
  const printer = createPrinter({ teamsFile, channelCount: 4, every: 3600, out });
  try {
    for (const channel of ['private-org.1', 'private-documents.4201', 'private-rewrites.881', 'private-documents.4202']) {
      printer.accept({ kind: 'subscribed', channel });
    }
    printer.accept(event('private-documents.4201', 'document.analyzed',
      { document_id: 4201, ai_confidence: 87.5, critical_sections: [2] }));
    printer.accept(event('private-org.1', 'qa.run.progress', {
      type: 'qa.run.progress', ts: '2026-02-23T16:00:07Z', org_id: 1, actor_id: 10, qa_run_id: 4102,
      status: 'running', stage: 'parse', percent: 20, message: 'Parsing the artwork', meta: { queue: 'parse' },
    }));
    printer.accept(event('presence-lobby', 'member.joined', { user_id: 7 }));
    printer.accept(event('private-rewrites.881', 'rewrite.queued',
      { document_id: 4201, status: 'queued', estimated_time: 30, queued_at: '2026-02-23T16:00:07Z' }));
    printer.accept(event('private-org.1', 'qa.run.progress', {
      type: 'qa.run.progress', org_id: 1, qa_run_id: 4102, status: 'running', stage: 'render', percent: 45,
      message: 'Rendering density heatmap', meta: { queue: 'render' },
    }));
  } finally {
    printer.close();
  }

  const [subscribed, header, ...body] = out.lines();
  assert.equal(subscribed,
    '[frontends] subscribed to all 4 channels through the gateway; events are grouped every 3600 s');
  assert.match(header, HEADER);
  // no router URL, no footer; the ids a channel's name holds (org 1, document 4201) and ts, actor_id, *_at, the
  // event name repeated as "type" are left out
  assert.deepEqual(body, [
    '000  QA runs and batch runs (Laravel/Reverb)',
    '  private-org.1',
    line('qa.run.progress', 'qa_run_id=4102 status=running stage=parse percent=20 message="Parsing the artwork" meta.queue=parse'),
    line('qa.run.progress', 'qa_run_id=4102 status=running stage=render percent=45 message="Rendering density heatmap" meta.queue=render'),
    '001  document analysis and rewrites (Laravel/Reverb)',
    '  private-documents.4201',
    line('document.analyzed', 'ai_confidence=87.5 critical_sections=[1]'),
    '  private-rewrites.881',
    line('rewrite.queued', 'document_id=4201 status=queued estimated_time=30'),
    'other channels',
    '  presence-lobby',
    line('member.joined', 'user_id=7'),
  ]);
});

test('a truncated payload says so, with its size before and after the cut', () => {
  const out = output();
  const printer = createPrinter({ teamsFile, channelCount: 4, every: 3600, out });
  try {
    printer.accept(event('private-documents.4202', 'document.analyzed', {
      document_id: 4202, ai_confidence: 98.2, critical_sections: [3, 7, 11], _truncated: true, _original_bytes: 13793,
    }));
    printer.accept(event('private-documents.4202', 'document.analyzed',
      { document_id: 4202, ai_confidence: 91, critical_sections: [3] }));
  } finally {
    printer.close();
  }

  assert.deepEqual(out.lines().slice(1), [
    '001  document analysis and rewrites (Laravel/Reverb)',
    '  private-documents.4202',
    // 112: the bytes of the payload as the browser got it, marker fields included
    line('document.analyzed', '✂ TRUNCATED from 13793 to 112 bytes · ai_confidence=98.2 critical_sections=[3]'),
    line('document.analyzed', 'ai_confidence=91 critical_sections=[1]'),
  ]);
});

test('the footer sums the router counters; a drop alone, which reaches no browser, brings a block of its own', async (t) => {
  const router = await routerMetrics([
    '# HELP switchboard_router_routed_total events routed to realtime.publish, by routing rule',
    '# TYPE switchboard_router_routed_total counter',
    'switchboard_router_routed_total{rule="qa-runs"} 60.0',
    'switchboard_router_routed_total{rule="documents"} 7.0',
    'switchboard_router_truncated_total{rule="documents"} 1.0',
    'switchboard_router_truncated_total{rule="qa-runs"} 0.0',
    'switchboard_router_route_seconds_count{rule="qa-runs"} 60',
    '',
  ].join('\n'));
  t.after(() => router.server.close());
  const out = output();
  const printer = createPrinter({ teamsFile, channelCount: 4, routerMetrics: router.url, every: 0.05, out });
  t.after(() => printer.close());

  printer.accept(event('private-org.1', 'qa.run.progress', { qa_run_id: 4102, percent: 70 }));
  printer.accept(event('private-rewrites.881', 'rewrite.progress', { status: 'processing', progress: 10 }));
  await until(() => out.lines().some((l) => l.startsWith('router so far:')), 'footer', out);
  assert.equal(out.lines().at(-1),
    'router so far: 67 routed, 1 truncated (payload over the limit), 0 dropped; 2 events received here');

  // the progress guard drops a late 45 %: no event arrives, yet the footer must tell
  const before = out.lines().length;
  router.body += 'switchboard_router_dropped_total{reason="PROGRESS_REGRESSED",rule="qa-runs"} 1.0\n';
  await until(() => out.lines().length > before, 'block for the drop', out);
  const block = out.lines().slice(before);
  assert.match(block[0], HEADER);
  assert.deepEqual(block.slice(1), [
    'router so far: 67 routed, 1 truncated (payload over the limit), dropped: 1 PROGRESS_REGRESSED (the progress guard); '
      + '2 events received here',
  ]);

  // and no more blocks while nothing changes: the terminal does not scroll with empty ones
  const shown = out.lines().length;
  const scrapes = router.scrapes;
  await until(() => router.scrapes >= scrapes + 3, 'three more scrapes', out);
  assert.equal(out.lines().length, shown, `printed:\n${out.text()}`);
});

test('without an answer from the router the events still print, with no footer', async (t) => {
  const gone = await routerMetrics('');
  const url = gone.url;
  await new Promise((resolve) => { gone.server.close(resolve); }); // nothing listens there now
  const out = output();
  const printer = createPrinter({ teamsFile, channelCount: 4, routerMetrics: url, every: 0.05, out });
  t.after(() => printer.close());

  printer.accept(event('private-org.1', 'qa.run.completed', { qa_run_id: 4102, status: 'completed' }));
  await until(() => out.lines().length >= 4, 'block', out);
  assert.deepEqual(out.lines().slice(1), [
    '000  QA runs and batch runs (Laravel/Reverb)',
    '  private-org.1',
    line('qa.run.completed', 'qa_run_id=4102 status=completed'),
  ]);
});
