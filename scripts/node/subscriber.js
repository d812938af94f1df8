#!/usr/bin/env node
// A real pusher-js client that subscribes to channels and prints one JSON line per happening:
//   {"kind":"connected","socket_id":…}
//   {"kind":"subscribed","channel":…}            presence channels add "data":{"me":{id,info},"members":[…],"count":N}
//   {"kind":"event","channel":…,"event":…,"data":…,"at":<epoch ms received>}   private-encrypted- channels print the data
//                                                    pusher-js decrypted
//   {"kind":"wire","channel":…,"event":…,"data":…}    private-encrypted- channels only: the event as it arrived on
//                                                    the socket, before decryption ({"ciphertext","nonce"})
//   {"kind":"member_added"|"member_removed","channel":…,"data":{"id":…,"info":…}}
//   {"kind":"signin_success","data":<user_data>}  {"kind":"user_event","event":…,"data":…} (sent to the signed-in user)
//   {"kind":"error","where":"connection"|"subscription"|"signin",…}  (subscription errors carry status_code: 401, 403…)
//   {"kind":"disconnected"}
// Used by `./switchboard dev` to show events flowing and by the integration tests, which read its stdout.
// Options (all --name=value):
//   --key --host --port --channels=a,b
//   --auth-endpoint=URL        channel authorization (private-, presence-, private-encrypted-)
//   --auth-header="Bearer …"   sent to both auth endpoints; the SUBSCRIBER_AUTH_HEADER environment variable is
//                              preferred (a command line is visible to every local user through ps)
//   --user-auth-endpoint=URL   user authentication: configures pusher-js's userAuthentication and calls
//                              pusher.signin() (pusher:signin)
//   --pusher-log=1             pusher-js's own log lines to stderr (why an encrypted event was dropped, …)
//   --print=grouped            instead of JSON lines, what each team's frontend receives, grouped by team and channel
//                              (grouped-printer.js; `./switchboard dev` uses it), with:
//     --teams-file=PATH          seed -> label and channels (outbox-relay/src/main/resources/demo/frontends.json);
//                                its channels are subscribed to unless --channels is given
//     --router-metrics=URL       the router's Prometheus endpoint, for its truncated and dropped counters
//     --every=SECONDS            how often a block is printed (2)
'use strict';
// The node build of pusher-js bundles tweetnacl, so it decrypts private-encrypted- channels as it is.
// (require('pusher-js/with-encryption') is the *web* build with encryption: it needs `window` and fails in node.)
const Pusher = require('pusher-js');

const opts = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([^=]+)=(.*)$/s.exec(a);
    if (!m) throw new Error(`bad argument ${a}`);
    return [m[1], m[2]];
  }),
);
let print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
// whoever reads us may be gone first (Ctrl-C ends the launcher's `| sed` before us): that ends us quietly
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const grouped = opts.print === 'grouped';
if (opts.print !== undefined && !grouped) throw new Error(`--print=${opts.print}: only --print=grouped is known`);
if (grouped && !opts['teams-file']) throw new Error('--print=grouped needs --teams-file=PATH');
const teams = grouped ? JSON.parse(require('fs').readFileSync(opts['teams-file'], 'utf8')) : {};
const channels = (opts.channels || Object.values(teams).flatMap((t) => t.channels).join(','))
  .split(',').filter(Boolean);
let printer = null;
if (grouped) {
  printer = require('./grouped-printer').createPrinter({
    teamsFile: opts['teams-file'],
    channelCount: channels.length,
    routerMetrics: opts['router-metrics'],
    every: Number(opts.every || 2),
  });
  print = printer.accept;
}
const userAuthEndpoint = opts['user-auth-endpoint'];
if (!opts.key || (channels.length === 0 && !userAuthEndpoint)) {
  process.stderr.write(
    'usage: subscriber.js --key=KEY --channels=a,b [--host=127.0.0.1 --port=6001 --auth-endpoint=URL '
      + '--auth-header="Bearer …" --user-auth-endpoint=URL --pusher-log=1 '
      + '--print=grouped --teams-file=PATH --router-metrics=URL --every=2]\n',
  );
  process.exit(2);
}
const authHeader = process.env.SUBSCRIBER_AUTH_HEADER || opts['auth-header'];
const headers = authHeader ? { Authorization: authHeader } : {};
if (opts['pusher-log'] === '1') {
  Pusher.log = (message) => process.stderr.write(`[pusher-js] ${message}\n`);
}

const options = {
  wsHost: opts.host || '127.0.0.1',
  wsPort: Number(opts.port || 6001),
  forceTLS: false,
  enabledTransports: ['ws'],
  enableStats: false,
  cluster: 'mt1',
  channelAuthorization: {
    endpoint: opts['auth-endpoint'] || 'http://127.0.0.1:8084/api/realtime/pusher/auth',
    transport: 'ajax',
    headers,
  },
};
if (userAuthEndpoint) {
  options.userAuthentication = { endpoint: userAuthEndpoint, transport: 'ajax', headers };
}
const pusher = new Pusher(opts.key, options);

pusher.connection.bind('connected', () => print({ kind: 'connected', socket_id: pusher.connection.socket_id }));
pusher.connection.bind('disconnected', () => print({ kind: 'disconnected' }));
pusher.connection.bind('error', (err) => {
  // pusher:error from the server arrives as {type: 'PusherError', data: {code, message}}
  const data = err && err.data;
  print({
    kind: 'error',
    where: 'connection',
    code: data && data.code !== undefined ? data.code : null,
    error: String(data && data.message ? data.message : err && (err.error ? JSON.stringify(err.error) : err)),
  });
});

if (userAuthEndpoint) {
  // pusher-js only logs a failed user authentication request (logger.warn) and never emits it: wrap the
  // authenticator it built from `userAuthentication` (its own ajax transport, unchanged) to report the outcome.
  const authenticate = pusher.config.userAuthenticator;
  pusher.config.userAuthenticator = (params, callback) => authenticate(params, (err, data) => {
    if (err) {
      print({ kind: 'error', where: 'signin', status_code: err.status === undefined ? null : err.status, error: String(err.message || err) });
    }
    callback(err, data);
  });
  pusher.connection.bind('message', (message) => {
    if (message.event === 'pusher:signin_success') {
      let userData = null;
      try { userData = JSON.parse(message.data.user_data); } catch (e) { userData = message.data.user_data; }
      print({ kind: 'signin_success', data: userData });
    }
  });
  pusher.user.bind_global((event, data) => print({ kind: 'user_event', event, data }));
  pusher.signin();
}

// what the server actually sent on encrypted channels, to show it never held the plaintext
pusher.connection.bind('message', (message) => {
  if (message.channel && message.channel.startsWith('private-encrypted-')
      && !message.event.startsWith('pusher:') && !message.event.startsWith('pusher_internal:')) {
    print({ kind: 'wire', channel: message.channel, event: message.event, data: message.data });
  }
});

const member = (m) => ({ id: m.id, info: m.info === undefined ? null : m.info });

for (const name of channels) {
  const channel = pusher.subscribe(name);
  channel.bind('pusher:subscription_succeeded', (members) => {
    if (name.startsWith('presence-')) {
      const all = [];
      members.each((m) => all.push(member(m)));
      print({ kind: 'subscribed', channel: name, data: { me: members.me ? member(members.me) : null, members: all, count: members.count } });
    } else {
      print({ kind: 'subscribed', channel: name });
    }
  });
  channel.bind('pusher:subscription_error', (status) => print({
    kind: 'error',
    where: 'subscription',
    channel: name,
    status_code: status && status.status !== undefined ? status.status : null,
    status: JSON.stringify(status),
  }));
  if (name.startsWith('presence-')) {
    channel.bind('pusher:member_added', (m) => print({ kind: 'member_added', channel: name, data: member(m) }));
    channel.bind('pusher:member_removed', (m) => print({ kind: 'member_removed', channel: name, data: member(m) }));
  }
  channel.bind_global((event, data) => {
    if (event.startsWith('pusher:') || event.startsWith('pusher_internal:')) return;
    print({ kind: 'event', channel: name, event, data, at: Date.now() });
  });
}

const stop = () => {
  if (printer) printer.close();
  pusher.disconnect();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Exit when the parent closes our stdin, so a crashed test never leaves a subscriber behind.
process.stdin.on('end', stop);
process.stdin.resume();
