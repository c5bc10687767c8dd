/**
 * The client when its node goes away: a planned stop (SIGTERM), a node that stops answering (SIGSTOP), and the
 * `shutdown` frame. The node keeps its state in a real Redis, so a node started again on the same ports carries
 * the conversations on and the clients resume them.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import type { ClientState, MessageFrame } from '../src/index.js';

import {
  cast, Clients, eventually, freePort, next, NodeProcess, record, Redis, ScriptedServer, SUITE_TIMEOUT, type NodeSettings,
} from './fixtures.js';

let redis: Redis;
let settings: NodeSettings;
let node: NodeProcess;
const clients = new Clients(() => node.url);

before(async () => {
  redis = await Redis.start();
  settings = { httpPort: await freePort(), tcpPort: await freePort(), redis: redis.uri, options: ['--heartbeat', 'PT1S'] };
  node = await NodeProcess.start(settings);
});

after(async () => {
  await node?.kill();
  await redis?.stop();
});

afterEach(() => clients.closeAll());

describe('a node going away', { timeout: SUITE_TIMEOUT }, () => {
  it('reconnects when its node stops, backs off while it is down, and resumes on the node started again', async () => {
    const users = cast();
    const options = { reconnect: { initialDelay: 100, maxDelay: 400 } };
    const member = await clients.connect(users.member, options);
    const source = await clients.connect(users.source, options);
    const offered = next(member, 'offer');
    const opening = source.open(users.shop);
    await member.accept((await offered).conversation);
    const { conversation } = await opening;
    const atMember = record(member, 'message');
    await source.send(conversation, 'before');
    await eventually('the first message', () => atMember.length === 1);

    const disconnects = record(member, 'disconnected');
    await node.terminate();
    // Attempts against the stopped node fail; their delays follow the backoff: 100 ms doubling, at most 400 ms,
    // each with up to half of it as jitter (a shutdown frame's own delay, code 1001, is not a backoff).
    await eventually('three failed attempts', () => disconnects.filter((event) => event.code !== 1001).length >= 4);
    disconnects.filter((event) => event.code !== 1001).slice(0, 4).forEach((event, attempt) => {
      const ceiling = Math.min(400, 100 * 2 ** attempt);
      assert.ok(event.reconnectIn! >= ceiling / 2 && event.reconnectIn! <= ceiling, `attempt ${attempt}: ${event.reconnectIn} ms`);
    });
    // A request made meanwhile waits for the connection.
    const whileDown = source.send(conversation, 'while down');

    const memberBack = next(member, 'ready');
    node = await NodeProcess.start(settings);
    assert.equal((await memberBack).reconnected, true);
    assert.equal((await whileDown).seq, 2);
    await source.send(conversation, 'after');
    await eventually('the messages after the restart', () => atMember.length === 3);
    assert.deepEqual(atMember.map((message) => [message.seq, message.body]), [[1, 'before'], [2, 'while down'], [3, 'after']]);
  });

  it('gives up a node that stops answering and comes back when it answers again', async () => {
    const client = await clients.connect(cast().source, { reconnect: { initialDelay: 100, maxDelay: 400 }, connectTimeout: 1_000 });
    const session = client.session;
    const disconnected = next(client, 'disconnected');
    node.freeze();
    try {
      // Heartbeat 1 s: after two silent heartbeats the client gives the connection up.
      const lost = await disconnected;
      assert.equal(lost.code, 1006);
      assert.match(lost.reason, /nothing heard/);
      // Attempts meanwhile find no ready within the connect timeout.
      await next(client, 'disconnected', (event) => /not ready/.test(event.reason));
    } finally {
      node.thaw();
    }
    await next(client, 'ready');
    assert.notEqual(client.session, session);
  });
});

/**
 * The `shutdown` frame from a scripted server, so that its `retryAfter` and what follows are controlled exactly:
 * a short retryAfter against a long backoff shows which one the client waited for.
 */
describe('the shutdown frame', { timeout: SUITE_TIMEOUT }, () => {
  let server: ScriptedServer;

  before(async () => {
    server = await ScriptedServer.start();
  });

  after(async () => {
    await server?.close();
  });

  it('waits retryAfter, reconnects, and resumes each conversation from its last seq, in order', async () => {
    const client = await clients.connect('u', { url: server.url, reconnect: { initialDelay: 10_000, maxDelay: 10_000 } });
    const messages = record(client, 'message');
    const message = (seq: number): MessageFrame => ({ type: 'message', conversation: 'c-1', from: 'x', seq, ts: seq, body: `m${seq}`, notify: 'popup' });
    server.send(message(3));
    await eventually('seq 3', () => messages.length === 1);

    // On the next connection the resume is answered with seq 5 arriving live before the resumed 3 (again) and 4.
    server.reply = (frame) => frame.type === 'resume'
      ? [message(5), message(3), message(4), { type: 'ok', id: frame.id }]
      : [{ type: 'ok', id: (frame as { id: string }).id }];
    const shutdown = next(client, 'shutdown');
    const disconnected = next(client, 'disconnected');
    const states: { state: ClientState; at: number }[] = [];
    client.on('state', (state) => states.push({ state, at: Date.now() }));
    server.send({ type: 'shutdown', reconnect: true, retryAfter: 300 });
    server.closeLatest(1001, 'going away');

    assert.equal((await shutdown).retryAfter, 300);
    const lost = await disconnected;
    assert.equal(lost.code, 1001);
    assert.ok(lost.reconnectIn! >= 300 && lost.reconnectIn! <= 600, `${lost.reconnectIn} ms`);
    await next(client, 'ready');
    const waited = states.find((entry) => entry.state === 'connecting')!.at - states.find((entry) => entry.state === 'waiting')!.at;
    assert.ok(waited >= 295 && waited < 5_000, `reconnected after ${waited} ms`);
    await eventually('seq 4 and 5', () => messages.length === 3);
    assert.deepEqual(messages.map((frame) => frame.seq), [3, 4, 5]);
    const resumes = server.received.filter((entry) => entry.frame.type === 'resume');
    assert.deepEqual(resumes.map((entry) => [entry.connection, entry.frame]),
      [[2, { type: 'resume', id: (resumes[0]!.frame as { id: string }).id, conversation: 'c-1', after: 3 }]]);
  });

  it('stops when the shutdown frame says not to reconnect', async () => {
    const client = await clients.connect('u', { url: server.url });
    const connections = server.connections;
    const disconnected = next(client, 'disconnected');
    server.reply = () => [];
    const unanswered = client.getRules();
    await eventually('the request sent', () => server.received.some((entry) => entry.frame.type === 'get-rules'));
    server.send({ type: 'shutdown', reconnect: false, retryAfter: 0 });
    server.closeLatest(1001);
    assert.equal((await disconnected).reconnectIn, null);
    await assert.rejects(unanswered, { code: 'disconnected' });
    assert.equal(client.state, 'closed');
    assert.equal(server.connections, connections);
  });
});
