// What each team's frontend receives, grouped by team and channel: subscriber.js --print=grouped uses it in place of
// its JSON lines. Every few seconds it appends one block with the events that arrived since the last one, each as
// its name and a compact summary of its payload (a truncated payload says so, with its original size), and a
// footer with the router's own counters (truncated, dropped by the progress guard), read from its Prometheus
// endpoint: a dropped event never reaches a browser, so only the router can show it.
//
// The teams file (outbox-relay/src/main/resources/demo/frontends.json) maps a seed to its label and channels:
//   {"000": {"label": "QA runs and batch runs (Laravel/Reverb)", "channels": ["private-org.1"]}, ...}
'use strict';
const fs = require('fs');
const http = require('http');

const SKIP = new Set(['ts', 'actor_id', '_truncated', '_original_bytes']);
const PROGRESS = new Set(['percent', 'progress', 'progress_percentage', 'processed', 'completed_steps', 'transcribed']);
const FIRST = new Set(['status', 'stage', 'kind', 'type']);

function createPrinter({ teamsFile, channelCount, routerMetrics, every = 2, out = process.stdout }) {
  const teams = JSON.parse(fs.readFileSync(teamsFile, 'utf8'));
  const teamOf = new Map();
  for (const [seed, team] of Object.entries(teams)) {
    for (const channel of team.channels) teamOf.set(channel, seed);
  }
  const tty = Boolean(out.isTTY);
  const bold = (s) => (tty ? `\u001b[1m${s}\u001b[0m` : s);
  const dim = (s) => (tty ? `\u001b[2m${s}\u001b[0m` : s);
  const write = (s) => out.write(`${s}\n`);
  const width = Math.max(100, tty && out.columns ? out.columns : 160);

  let pending = []; // events since the last block
  let subscribed = 0;
  let counters = null; // the router's, as last read
  let shownAnomalies = ''; // the router's truncated and dropped counts as last printed
  let total = 0;

  function accept(o) {
    switch (o.kind) {
      case 'event':
        pending.push(o);
        total += 1;
        break;
      case 'subscribed':
        subscribed += 1;
        if (subscribed === channelCount) {
          write(dim(`[frontends] subscribed to all ${subscribed} channels through the gateway; `
            + `events are grouped every ${every} s`));
        }
        break;
      case 'error':
        write(`[frontends] error (${o.where}${o.channel ? ` ${o.channel}` : ''}): ${o.error || o.status || ''}`.trim());
        break;
      case 'disconnected':
        write('[frontends] disconnected from Pusher');
        break;
      default:
        break;
    }
  }

  function block() {
    // a block when events arrived, or when the router truncated or dropped one (a drop reaches no browser)
    const anomalies = counters && (counters.truncated || Object.keys(counters.dropped).length)
      ? JSON.stringify([counters.truncated, counters.dropped]) : '';
    if (pending.length === 0 && anomalies === shownAnomalies) return;
    const footer = counterLine();
    const events = pending;
    pending = [];
    const time = new Date().toISOString().slice(11, 19);
    write(dim(`── ${time} ── what each team's frontend received ${'─'.repeat(60)}`));
    const bySeed = new Map();
    for (const e of events) {
      const seed = teamOf.get(e.channel) || 'other';
      if (!bySeed.has(seed)) bySeed.set(seed, new Map());
      const byChannel = bySeed.get(seed);
      if (!byChannel.has(e.channel)) byChannel.set(e.channel, []);
      byChannel.get(e.channel).push(e);
    }
    for (const seed of [...Object.keys(teams), 'other']) {
      const byChannel = bySeed.get(seed);
      if (!byChannel) continue;
      write(bold(seed === 'other' ? 'other channels' : `${seed}  ${teams[seed].label}`));
      for (const [channel, list] of byChannel) {
        write(`  ${channel}`);
        for (const e of list) write(clip(`    ${e.event.padEnd(34)} ${summary(e.data, channel)}`, width));
      }
    }
    if (footer) write(footer);
    shownAnomalies = anomalies;
  }

  function counterLine() {
    if (!counters) return '';
    const dropped = Object.entries(counters.dropped).map(([reason, n]) => `${n} ${reason}`).join(', ') || '0';
    return dim(`router so far: ${counters.routed} routed, ${counters.truncated} truncated (payload over the limit), `
      + `${dropped === '0' ? '0 dropped' : `dropped: ${dropped} (the progress guard)`}; `
      + `${total} events received here`);
  }

  function readCounters(then) {
    if (!routerMetrics) { then(); return; }
    let done = false;
    const finish = () => { if (!done) { done = true; then(); } };
    const req = http.get(routerMetrics, { timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => {
        if (res.statusCode === 200) counters = parseCounters(body);
        finish();
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', finish); // the router is starting or gone: the footer keeps its last counters
  }

  // the counters are read first, so a block's footer counts what the block shows
  const timer = setInterval(() => readCounters(block), every * 1000);

  return {
    accept,
    /** Prints what arrived since the last block; synchronous, for the exit path. */
    close() {
      clearInterval(timer);
      block();
    },
  };
}

/** Sums of the router's counters, from Prometheus text. */
function parseCounters(text) {
  const c = { routed: 0, truncated: 0, dropped: {} };
  for (const line of text.split('\n')) {
    const m = /^(switchboard_router_(routed|truncated|dropped)_total)\{([^}]*)\}\s+([0-9.eE+-]+)/.exec(line);
    if (!m) continue;
    const n = Math.round(Number(m[4]));
    if (m[2] === 'dropped') {
      const reason = (/reason="([^"]*)"/.exec(m[3]) || [])[1] || 'unknown';
      c.dropped[reason] = (c.dropped[reason] || 0) + n;
    } else {
      c[m[2]] += n;
    }
  }
  return c;
}

/**
 * A payload in one line: ids (but those the channel's name already holds), then status and stage, then progress,
 * then the rest; scalars as key=value, arrays as their length, nested objects one level deep. The order is ours:
 * the outbox stores payloads as Postgres jsonb, which does not keep the producer's key order.
 */
function summary(data, channel = '') {
  if (data === null || typeof data !== 'object') return JSON.stringify(data);
  const rank = (key, value) => {
    if (/(^id|_id|Id)$/.test(key)) return 0;
    if (FIRST.has(key)) return 1;
    if (PROGRESS.has(key)) return 2;
    if (Array.isArray(value)) return 4;
    if (value !== null && typeof value === 'object') return 5;
    return 3;
  };
  const keys = Object.keys(data)
    .filter((key) => !SKIP.has(key) && !key.endsWith('_at'))
    // the event name again (seed 000 repeats it as "type"), or an id the channel is named after
    .filter((key) => !(key === 'type' && typeof data[key] === 'string' && data[key].includes('.')))
    .filter((key) => !(rank(key, data[key]) === 0 && channel.endsWith(`.${data[key]}`)))
    .filter((key) => !(rank(key, data[key]) === 0 && channel.endsWith(`-${data[key]}`)))
    .map((key, i) => ({ key, i, r: rank(key, data[key]) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((k) => k.key);
  const parts = [];
  if (data._truncated) {
    parts.push(`✂ TRUNCATED from ${data._original_bytes} to ${Buffer.byteLength(JSON.stringify(data))} bytes ·`);
  }
  for (const key of keys) {
    const value = data[key];
    if (Array.isArray(value)) parts.push(`${key}=[${value.length}]`);
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (v === null || typeof v !== 'object') parts.push(`${key}.${k}=${scalar(v)}`);
      }
    } else parts.push(`${key}=${scalar(value)}`);
  }
  return parts.join(' ');
}

function scalar(v) {
  if (typeof v !== 'string') return String(v);
  const s = v.length > 40 ? `${v.slice(0, 39)}…` : v;
  return /\s/.test(s) ? JSON.stringify(s) : s;
}

function clip(line, width) {
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

module.exports = { createPrinter, parseCounters, summary };
