#!/usr/bin/env node
// A real pusher-js client that subscribes to channels and prints one JSON line per happening:
//   {"kind":"connected"} {"kind":"subscribed","channel":…} {"kind":"event","channel":…,"event":…,"data":…}
//   {"kind":"error",…}
// Used by `./switchboard dev` to show events flowing and by the integration tests, which read its stdout.
// Options (all --name=value): --key --host --port --auth-endpoint --channels=a,b --auth-header="Bearer …"
'use strict';
const Pusher = require('pusher-js');

const opts = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([^=]+)=(.*)$/s.exec(a);
    if (!m) throw new Error(`bad argument ${a}`);
    return [m[1], m[2]];
  }),
);
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const channels = (opts.channels || '').split(',').filter(Boolean);
if (!opts.key || channels.length === 0) {
  process.stderr.write('usage: subscriber.js --key=KEY --channels=a,b [--host=127.0.0.1 --port=6001 --auth-endpoint=URL]\n');
  process.exit(2);
}

const pusher = new Pusher(opts.key, {
  wsHost: opts.host || '127.0.0.1',
  wsPort: Number(opts.port || 6001),
  forceTLS: false,
  enabledTransports: ['ws'],
  disableStats: true,
  cluster: 'mt1',
  channelAuthorization: {
    endpoint: opts['auth-endpoint'] || 'http://127.0.0.1:8082/api/realtime/pusher/auth',
    transport: 'ajax',
    headers: opts['auth-header'] ? { Authorization: opts['auth-header'] } : {},
  },
});

pusher.connection.bind('connected', () => print({ kind: 'connected', socket_id: pusher.connection.socket_id }));
pusher.connection.bind('error', (err) => print({ kind: 'error', where: 'connection', error: String(err && (err.error ? JSON.stringify(err.error) : err)) }));

for (const name of channels) {
  const channel = pusher.subscribe(name);
  channel.bind('pusher:subscription_succeeded', () => print({ kind: 'subscribed', channel: name }));
  channel.bind('pusher:subscription_error', (status) => print({ kind: 'error', where: 'subscription', channel: name, status: JSON.stringify(status) }));
  channel.bind_global((event, data) => {
    if (event.startsWith('pusher:') || event.startsWith('pusher_internal:')) return;
    print({ kind: 'event', channel: name, event, data });
  });
}

const stop = () => { pusher.disconnect(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Exit when the parent closes our stdin, so a crashed test never leaves a subscriber behind.
process.stdin.on('end', stop);
process.stdin.resume();
