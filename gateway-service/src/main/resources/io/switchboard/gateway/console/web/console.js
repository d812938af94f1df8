// Switchboard console: polls the gateway's /console/api for what the pipeline did, and watches channels with a real
// pusher-js client authorized by the gateway's own auth endpoint. Plain DOM, no framework, no build step. Every
// value from Kafka is set with textContent, never as HTML.
'use strict';

(function () {
  const TOKEN_KEY = 'switchboard-operator-token';
  const MAX_ROWS = 200;
  const events = [];        // newest first
  const notPublished = [];  // newest first
  const live = [];          // newest first
  let cursor = 0;
  let pusher = null;
  let watched = [];

  const $ = (id) => document.getElementById(id);

  // --- the operator token, when the console is served beyond loopback -----------------------------------------
  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  async function api(path) {
    const headers = { Accept: 'application/json' };
    if (token()) {
      headers.Authorization = 'Bearer ' + token();
    }
    const response = await fetch('api/' + path, { headers, cache: 'no-store' });
    if (response.status === 401) {
      $('token-bar').hidden = false;
      throw new Error('the operator token is required');
    }
    if (!response.ok) {
      throw new Error('HTTP ' + response.status + ' from api/' + path);
    }
    return response.json();
  }

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
    $('token-input').value = '';
    $('token-bar').hidden = true;
    start();
  });

  // --- small DOM helpers ----------------------------------------------------------------------------------------
  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '—' : String(text);
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function time(iso) {
    if (!iso) {
      return '—';
    }
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toISOString().substring(11, 23) + 'Z';
  }

  function replaceRows(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  function eventIdCell(row, id) {
    const td = document.createElement('td');
    td.className = 'id';
    if (id) {
      const a = document.createElement('a');
      a.className = 'event-id';
      a.textContent = id;
      a.title = 'trace this event';
      a.addEventListener('click', () => {
        $('trace-id').value = id;
        trace();
      });
      td.appendChild(a);
    } else {
      td.textContent = '—';
    }
    row.appendChild(td);
  }

  // --- state: stages, channels, feed status ---------------------------------------------------------------------
  const COUNTER_LABELS = {
    relayed: 'relayed', routed: 'routed', dropped: 'dropped', published: 'published',
    deduplicated: 'deduplicated', dead_lettered: 'dead-lettered'
  };

  function renderState(state) {
    const feed = state.feed;
    const status = $('feed-status');
    if (feed.error) {
      status.textContent = 'feed: ' + feed.error + ' (Kafka ' + feed.bootstrapServers + ')';
      status.className = 'status bad';
    } else {
      const topics = Object.entries(feed.partitions || {}).map(([t, n]) => t + ' (' + n + ')').join(', ');
      status.textContent = 'feed: reading ' + (topics || 'nothing yet') + ' from ' + feed.bootstrapServers
        + ' · updated ' + time(feed.lastPoll);
      status.className = 'status';
    }
    if (feed.skipped > 0) {
      // records read but not shown: the lists below are missing them, so say so rather than look complete
      status.textContent += ' · ' + feed.skipped.toLocaleString('en') + ' records not shown (not decodable:'
        + ' is the schema registry reachable?)';
      status.className = 'status bad';
    }
    $('rate-window').textContent = '(rates over the last ' + state.rateSeconds + ' s)';

    replaceRows($('stages').tBodies[0], state.stages.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.stage = s.stage;
      cell(tr, s.stage);
      const counters = document.createElement('td');
      for (const [name, value] of Object.entries(s.counters || {})) {
        const span = document.createElement('span');
        span.className = 'counter';
        span.dataset.counter = name;
        span.append((COUNTER_LABELS[name] || name) + ' ');
        const b = document.createElement('b');
        b.textContent = Math.round(value).toLocaleString('en');
        span.appendChild(b);
        counters.appendChild(span);
      }
      if (!s.up) {
        counters.textContent = 'not available: ' + (s.error || 'unknown');
        counters.className = 'down';
      }
      tr.appendChild(counters);
      const breaker = document.createElement('td');
      if (s.circuitBreaker) {
        const badge = document.createElement('span');
        badge.className = 'badge ' + s.circuitBreaker;
        badge.id = 'circuit-breaker';
        badge.textContent = s.circuitBreaker.replace('_', '-');
        breaker.appendChild(badge);
      } else {
        breaker.textContent = s.stage === 'publisher' && s.up ? 'unknown' : '';
      }
      tr.appendChild(breaker);
      cell(tr, s.url, 'mono');
      return tr;
    }));

    replaceRows($('channels').tBodies[0], state.channels.map((c) => {
      const tr = document.createElement('tr');
      tr.dataset.channel = c.channel;
      cell(tr, c.channel, 'channel');
      cell(tr, c.events, 'num');
      cell(tr, c.perSecond.toFixed(2), 'num');
      cell(tr, time(c.last));
      const td = document.createElement('td');
      const watch = document.createElement('button');
      watch.type = 'button';
      watch.textContent = 'watch';
      watch.addEventListener('click', () => {
        if (!watched.includes(c.channel)) {
          subscribe(watched.concat([c.channel]));
        }
      });
      td.appendChild(watch);
      tr.appendChild(td);
      return tr;
    }));
  }

  // --- the two lists: published events, events not published ---------------------------------------------------
  function renderEvents() {
    replaceRows($('events').tBodies[0], events.map((e) => {
      const tr = document.createElement('tr');
      tr.dataset.eventId = e.eventId;
      if (e.fresh) {
        tr.className = 'fresh';
      }
      cell(tr, time(e.settledAt));
      cell(tr, e.name);
      eventIdCell(tr, e.eventId);
      cell(tr, (e.channels || []).join(', '), 'channel');
      cell(tr, e.bytes === null ? null : e.bytes + ' B', 'num');
      cell(tr, e.truncated === null ? null : e.truncated
        ? 'yes (' + e.originalBytes + ' B before)' : 'no').dataset.truncated = String(e.truncated);
      cell(tr, e.latencyMillis === null ? null : e.latencyMillis + ' ms', 'num');
      return tr;
    }));
  }

  function renderNotPublished() {
    replaceRows($('not-published').tBodies[0], notPublished.map((d) => {
      const tr = document.createElement('tr');
      tr.dataset.eventId = d.eventId || '';
      tr.dataset.reason = d.reason || '';
      cell(tr, time(d.at));
      cell(tr, d.stage);
      cell(tr, d.kind === 'dropped' ? 'dropped by policy' : 'dead letter');
      cell(tr, d.reason, 'reason');
      cell(tr, d.text, 'why');
      cell(tr, d.type);
      eventIdCell(tr, d.eventId);
      cell(tr, d.key, 'id');
      return tr;
    }));
  }

  // newest first by the row's own time: the feed reads several partitions, so arrival order is not time order
  function prepend(list, rows, timeOf) {
    list.forEach((r) => { r.fresh = false; });
    for (const row of rows) {
      row.fresh = true;
      list.push(row);
    }
    list.sort((a, b) => (Date.parse(timeOf(b)) || 0) - (Date.parse(timeOf(a)) || 0));
    list.length = Math.min(list.length, MAX_ROWS);
  }

  async function pollFeed() {
    const feed = await api('feed?after=' + cursor);
    cursor = feed.cursor;
    if (feed.events.length) {
      prepend(events, feed.events, (e) => e.settledAt);
      renderEvents();
    }
    if (feed.notPublished.length) {
      prepend(notPublished, feed.notPublished, (d) => d.at);
      renderNotPublished();
    }
  }

  async function pollState() {
    renderState(await api('state'));
  }

  function every(ms, task) {
    const run = async () => {
      try {
        await task();
      } catch (e) {
        $('feed-status').textContent = String(e.message || e);
        $('feed-status').className = 'status bad';
      }
      setTimeout(run, ms);
    };
    run();
  }

  // --- trace -----------------------------------------------------------------------------------------------------
  async function trace() {
    const id = $('trace-id').value.trim();
    const result = $('trace-result');
    if (!id) {
      return;
    }
    result.textContent = 'reading the topics…';
    const channel = $('trace-channel').value.trim();
    try {
      const answer = await api('trace?eventId=' + encodeURIComponent(id)
        + (channel ? '&channel=' + encodeURIComponent(channel) : ''));
      result.replaceChildren();
      if (!answer.journeys.length) {
        const p = document.createElement('p');
        p.id = 'trace-answer';
        p.className = 'answer';
        p.textContent = answer.message;
        result.appendChild(p);
        return;
      }
      for (const j of answer.journeys) {
        const pre = document.createElement('pre');
        pre.textContent = j.lines.join('\n');
        result.appendChild(pre);
        const p = document.createElement('p');
        p.id = 'trace-answer';
        p.className = 'answer';
        p.textContent = j.answer;
        result.appendChild(p);
      }
    } catch (e) {
      result.textContent = String(e.message || e);
    }
  }

  $('trace-form').addEventListener('submit', (e) => {
    e.preventDefault();
    trace();
  });

  // --- live: a real pusher-js client ------------------------------------------------------------------------------
  let liveView = null;

  function connect() {
    const callerToken = $('live-token').value.trim();
    const options = {
      cluster: liveView.cluster,
      forceTLS: liveView.forceTls,
      enabledTransports: ['ws', 'wss'],
      channelAuthorization: {
        endpoint: liveView.authEndpoint,
        transport: 'ajax',
        headers: callerToken ? { Authorization: 'Bearer ' + callerToken } : {}
      }
    };
    if (liveView.wsHost) {
      options.wsHost = liveView.wsHost;
      if (liveView.wsPort) {
        options.wsPort = liveView.wsPort;
        options.wssPort = liveView.wsPort;
      }
    }
    pusher = new window.Pusher(liveView.key, options);
  }

  function subscriptionItem(channel, text, bad) {
    let li = document.querySelector('#live-subscriptions li[data-channel="' + CSS.escape(channel) + '"]');
    if (!li) {
      li = document.createElement('li');
      li.dataset.channel = channel;
      $('live-subscriptions').appendChild(li);
    }
    li.textContent = channel + ': ' + text;
    li.className = bad ? 'down' : '';
    li.dataset.state = text;
  }

  function subscribe(channels) {
    if (!liveView || !liveView.key) {
      $('live-subscriptions').textContent = 'no Pusher app key configured (PUSHER_KEY)';
      return;
    }
    if (pusher) {
      pusher.disconnect();
    }
    $('live-subscriptions').replaceChildren();
    watched = channels;
    $('live-channels').value = channels.join(',');
    connect();
    for (const name of channels) {
      subscriptionItem(name, 'subscribing…', false);
      const channel = pusher.subscribe(name);
      channel.bind('pusher:subscription_succeeded', () => subscriptionItem(name, 'subscribed', false));
      channel.bind('pusher:subscription_error', (error) =>
        subscriptionItem(name, 'refused (HTTP ' + (error && error.status) + ')', true));
      channel.bind_global((event, data) => {
        if (event.startsWith('pusher:') || event.startsWith('pusher_internal:')) {
          return;
        }
        live.unshift({ at: new Date().toISOString(), channel: name, event, data });
        live.length = Math.min(live.length, MAX_ROWS);
        renderLive();
      });
    }
  }

  function renderLive() {
    replaceRows($('live-events').tBodies[0], live.map((m) => {
      const tr = document.createElement('tr');
      tr.dataset.channel = m.channel;
      tr.dataset.event = m.event;
      cell(tr, time(m.at));
      cell(tr, m.channel, 'channel');
      cell(tr, m.event);
      cell(tr, JSON.stringify(m.data), 'data');
      return tr;
    }));
  }

  $('live-form').addEventListener('submit', (e) => {
    e.preventDefault();
    subscribe($('live-channels').value.split(',').map((c) => c.trim()).filter(Boolean));
  });

  // --- start -------------------------------------------------------------------------------------------------------
  let started = false;

  async function start() {
    try {
      liveView = await api('live');
    } catch (e) {
      $('feed-status').textContent = String(e.message || e);
      $('feed-status').className = 'status bad';
      return;
    }
    if (started) {
      return;
    }
    started = true;
    const fromUrl = new URLSearchParams(window.location.search).get('watch');
    subscribe(fromUrl ? fromUrl.split(',').map((c) => c.trim()).filter(Boolean) : liveView.channels);
    every(1000, pollFeed);
    every(2000, pollState);
  }

  start();
})();
