/**
 * The client against a real node (`java -jar`, in-process store) on loopback: connecting, conversations,
 * errors and deadlines, heartbeats, and reconnecting with resume when a connection is cut or the server closes it.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { SwitchboardClient, SwitchboardError, type ClientState, type MessageFrame } from '../src/index.js';

import { cast, Clients, eventually, freePort, next, NodeProcess, Proxy, record, SUITE_TIMEOUT, token } from './fixtures.js';

let node: NodeProcess;
let proxy: Proxy;
const clients = new Clients(() => node.url);

before(async () => {
  // A heartbeat of 1 s: silent connections are closed after 2 s, so the heartbeat test is short.
  node = await NodeProcess.start({ httpPort: await freePort(), tcpPort: await freePort(), options: ['--heartbeat', 'PT1S'] });
  proxy = await Proxy.start(node.settings.httpPort);
});

after(async () => {
  await proxy?.close();
  await node?.terminate();
});

afterEach(() => clients.closeAll());

/** Opens a conversation from `source` to `to`, accepted by `member`; returns its id. */
async function openAccepted(source: SwitchboardClient, member: SwitchboardClient, to: string): Promise<string> {
  const offered = next(member, 'offer');
  const opened = source.open(to);
  const offer = await offered;
  await member.accept(offer.conversation);
  const reply = await opened;
  assert.equal(reply.conversation, offer.conversation);
  return reply.conversation;
}

/** The bodies of the messages of `conversation` among `messages`, in the order seen. */
function bodies(messages: MessageFrame[], conversation: string): string[] {
  return messages.filter((message) => message.conversation === conversation).map((message) => message.body);
}

describe('connecting', { timeout: SUITE_TIMEOUT }, () => {
  it('authenticates with a token and reports ready', async () => {
    const { source } = cast();
    const client = clients.of(source);
    const states = record(client, 'state');
    const ready = next(client, 'ready');
    await client.connect();
    const event = await ready;
    assert.equal(event.user, source);
    assert.equal(event.reconnected, false);
    assert.match(event.node, /^node-/);
    assert.equal(client.user, source);
    assert.ok(client.session);
    assert.deepEqual(states, ['connecting', 'ready'] satisfies ClientState[]);
  });

  it('stops on a refused token, without retrying', async () => {
    const { source } = cast();
    const client = clients.of(source, { token: token(source, 3600, 'another-secret-that-is-long-enough') });
    const states = record(client, 'state');
    await assert.rejects(client.connect(), (error: SwitchboardError) => {
      assert.ok(error instanceof SwitchboardError);
      assert.equal(error.code, 'unauthenticated');
      assert.ok(error.message.length > 0);
      return true;
    });
    assert.equal(client.state, 'closed');
    assert.deepEqual(states, ['connecting', 'closed']);
    await assert.rejects(client.send('c-1', 'hello'), { code: 'closed' });
  });

  it('refuses an expired token', async () => {
    const { source } = cast();
    const client = clients.of(source, { token: token(source, -60) });
    await assert.rejects(client.connect(), { code: 'unauthenticated' });
  });

  it('keeps trying while the node cannot be reached, with growing delays', async () => {
    const client = clients.of(cast().source, { url: `ws://127.0.0.1:${await freePort()}/ws`, reconnect: { initialDelay: 50, maxDelay: 400 } });
    const disconnects = record(client, 'disconnected');
    const connecting = client.connect();
    connecting.catch(() => undefined);
    await eventually('five failed attempts', () => disconnects.length >= 5);
    client.close();
    await assert.rejects(connecting, { code: 'closed' });
    const delays = disconnects.map((event) => event.reconnectIn as number);
    // Each delay lies within [ceiling / 2, ceiling], the ceiling doubling from 50 ms up to 400 ms.
    [50, 100, 200, 400, 400].forEach((ceiling, attempt) => {
      assert.ok(delays[attempt]! >= ceiling / 2 && delays[attempt]! <= ceiling, `attempt ${attempt}: ${delays[attempt]} ms`);
    });
  });
});

describe('conversations', { timeout: SUITE_TIMEOUT }, () => {
  it('opens, offers, accepts, and carries messages both ways with seq', async () => {
    const users = cast();
    const member = await clients.connect(users.member);
    const source = await clients.connect(users.source);
    const offered = next(member, 'offer');
    const opened = source.open(users.shop, { context: { attributes: { level: 2 } } });
    const offer = await offered;
    assert.equal(offer.from, users.source);
    assert.equal(offer.to, users.shop);
    assert.ok(offer.expires > Date.now());
    await member.accept(offer.conversation);
    const reply = await opened;
    assert.equal(reply.conversation, offer.conversation);
    assert.equal(reply.to, users.shop);
    assert.equal(reply.agent, null);

    const atMember = next(member, 'message');
    const ack1 = await source.send(reply.conversation, 'hello');
    assert.equal(ack1.seq, 1);
    const first = await atMember;
    assert.deepEqual([first.from, first.seq, first.body, first.notify], [users.source, 1, 'hello', 'popup']);

    const atSource = next(source, 'message');
    const ack2 = await member.send(reply.conversation, 'how can I help?');
    assert.equal(ack2.seq, 2);
    const second = await atSource;
    // The source sees the virtual user, not the member.
    assert.deepEqual([second.from, second.seq, second.body], [users.shop, 2, 'how can I help?']);

    const closed = next(member, 'closed');
    await source.closeConversation(reply.conversation);
    const event = await closed;
    assert.equal(event.by, users.source);
    assert.equal(event.reason, 'closed');
    await assert.rejects(source.send(reply.conversation, 'too late'), { code: 'gone' });
  });

  it('rejects refused requests with the error code and message of the server', async () => {
    const users = cast();
    const source = await clients.connect(users.source);
    await assert.rejects(source.open('nobody'), (error: SwitchboardError) => {
      assert.equal(error.code, 'not_found');
      assert.match(error.message, /nobody/);
      return true;
    });
    await assert.rejects(source.open(users.source), { code: 'forbidden' });
    await assert.rejects(source.accept('c-none'), { code: 'gone' });
    await assert.rejects(source.send('c-none', 'hi'), { code: 'not_found' });
    // The connection is kept after refused requests.
    assert.equal(source.state, 'ready');
    await source.setStatus('busy');
  });

  it('gives up a request at its deadline', async () => {
    const users = cast();
    await clients.connect(users.member);
    const source = await clients.connect(users.source);
    // The member gets the offer but does not answer within the open's deadline.
    const started = Date.now();
    await assert.rejects(source.open(users.shop, { timeout: 300 }), { code: 'deadline_exceeded' });
    assert.ok(Date.now() - started >= 290);
  });

  it('sees the member\'s offer withdrawn when it is not answered in time', async () => {
    const users = cast();
    const member = await clients.connect(users.member);
    const source = await clients.connect(users.source);
    const offered = next(member, 'offer');
    const withdrawn = next(member, 'offer-withdrawn');
    const opening = source.open(users.shop);
    const offer = await offered;
    const event = await withdrawn;
    assert.equal(event.conversation, offer.conversation);
    assert.equal(event.reason, 'timeout');
    await assert.rejects(opening, (error: SwitchboardError) => ['timeout', 'unavailable'].includes(error.code));
  });

  it('reports presence of watched users once per change', async () => {
    const users = cast();
    const watcher = await clients.connect(users.source);
    const seen = record(watcher, 'presence');
    await watcher.watch([users.other]);
    await eventually('offline', () => watcher.presenceOf(users.other) === 'offline');
    const other = await clients.connect(users.other);
    await eventually('online', () => watcher.presenceOf(users.other) === 'online');
    await other.setStatus('away');
    await eventually('away', () => watcher.presenceOf(users.other) === 'away');
    assert.deepEqual(seen.map((frame) => frame.status), ['offline', 'online', 'away']);
  });
});

describe('heartbeats', { timeout: SUITE_TIMEOUT }, () => {
  it('keeps an idle connection open past twice the heartbeat', async () => {
    const client = await clients.connect(cast().source);
    const session = client.session;
    const disconnects = record(client, 'disconnected');
    const pongs = record(client, 'frame');
    // The heartbeat is 1 s: the node closes a connection silent for 2 s. Wait for three pongs (> 3 s).
    await eventually('three pongs', () => pongs.filter((frame) => frame.type === 'pong').length >= 3, 10_000);
    assert.deepEqual(disconnects, []);
    assert.equal(client.session, session);
  });
});

describe('reconnecting', { timeout: SUITE_TIMEOUT }, () => {
  it('resumes after the connection is cut: each message once, in order', async () => {
    const users = cast();
    const member = await clients.connect(users.member, { url: proxy.url });
    const source = await clients.connect(users.source);
    const conversation = await openAccepted(source, member, users.shop);
    const messages = record(member, 'message');
    await source.send(conversation, 'one');
    await eventually('one', () => messages.length === 1);

    const disconnected = next(member, 'disconnected');
    const ready = next(member, 'ready');
    proxy.cut();
    const lost = await disconnected;
    assert.ok(lost.reconnectIn !== null && lost.reconnectIn <= 100, `reconnect in ${lost.reconnectIn} ms`);
    // Sent while the member may be away: delivered from its mailbox, by resume, or live, whichever comes first.
    for (const body of ['two', 'three', 'four']) {
      await source.send(conversation, body);
    }
    assert.equal((await ready).reconnected, true);
    await source.send(conversation, 'five');
    await eventually('five messages', () => messages.length >= 5);
    assert.deepEqual(bodies(messages, conversation), ['one', 'two', 'three', 'four', 'five']);
    assert.deepEqual(messages.map((message) => message.seq), [1, 2, 3, 4, 5]);
    assert.deepEqual(member.conversations(), { [conversation]: 5 });
  });

  it('reconnects when the server closes the socket, and carries on', async () => {
    const users = cast();
    const member = await clients.connect(users.member);
    const source = await clients.connect(users.source);
    const conversation = await openAccepted(source, member, users.shop);
    const messages = record(member, 'message');
    const errors = record(member, 'error');
    const disconnected = next(member, 'disconnected');
    const ready = next(member, 'ready');
    // A frame over the node's 64 KiB limit: the node answers too_large and closes the connection (1009).
    await assert.rejects(member.send(conversation, 'x'.repeat(70_000)), { code: 'disconnected' });
    assert.equal((await disconnected).code, 1009);
    assert.deepEqual(errors.map((error) => error.code), ['too_large']);
    await source.send(conversation, 'still there?');
    await ready;
    const ack = await member.send(conversation, 'yes');
    await eventually('the message', () => messages.length === 1);
    assert.deepEqual(bodies(messages, conversation), ['still there?']);
    assert.equal(ack.seq, messages[0]!.seq + 1);
  });

  it('sends requests made while disconnected once connected again', async () => {
    const users = cast();
    const member = await clients.connect(users.member, { url: proxy.url });
    const source = await clients.connect(users.source);
    const conversation = await openAccepted(source, member, users.shop);
    const atSource = record(source, 'message');
    const disconnected = next(member, 'disconnected');
    proxy.cut();
    await disconnected;
    assert.notEqual(member.state, 'ready');
    const ack = await member.send(conversation, 'sent while away');
    assert.equal(ack.conversation, conversation);
    await eventually('the message at the source', () => atSource.length === 1);
    assert.equal(atSource[0]!.body, 'sent while away');
  });

  it('restores status and watches after a reconnect, without repeating unchanged presence', async () => {
    const users = cast();
    const watcher = await clients.connect(users.source, { url: proxy.url });
    const other = await clients.connect(users.other);
    await watcher.setStatus('busy');
    const seen = record(watcher, 'presence');
    await watcher.watch([users.member]);
    await eventually('the member offline', () => watcher.presenceOf(users.member) === 'offline');
    const otherSees = record(other, 'presence');
    await other.watch([users.source]);
    await eventually('the watcher busy', () => other.presenceOf(users.source) === 'busy');

    const ready = next(watcher, 'ready');
    proxy.cut();
    await ready;
    // The watcher went offline, and came back busy as it had set (not online, as a new session starts).
    await eventually('the watcher offline, then busy again',
      () => otherSees.some((frame) => frame.status === 'offline') && otherSees.at(-1)!.status === 'busy');
    // The member's presence was sent again on the renewed watch, unchanged: not reported twice. A change is.
    await clients.connect(users.member);
    await eventually('the member online', () => watcher.presenceOf(users.member) === 'online');
    assert.deepEqual(seen.map((frame) => frame.status), ['offline', 'online']);
  });

  it('does not repeat messages an explicit resume sends again', async () => {
    const users = cast();
    const member = await clients.connect(users.member);
    const source = await clients.connect(users.source);
    const conversation = await openAccepted(source, member, users.shop);
    const messages = record(member, 'message');
    await source.send(conversation, 'a');
    await source.send(conversation, 'b');
    await eventually('two messages', () => messages.length === 2);
    await member.resume(conversation, 0);
    await source.send(conversation, 'c');
    await eventually('three messages', () => messages.length === 3);
    assert.deepEqual(bodies(messages, conversation), ['a', 'b', 'c']);
  });

  it('reports a conversation closed while it was away as a failed resume', async () => {
    const users = cast();
    const member = await clients.connect(users.member, { url: proxy.url });
    const source = await clients.connect(users.source);
    const conversation = await openAccepted(source, member, users.shop);
    const failures = record(member, 'resume-failed');
    const closes = record(member, 'closed');
    const disconnected = next(member, 'disconnected');
    proxy.cut();
    await disconnected;
    // The source closes while the member is away: the member learns it from its resume (gone), or from the
    // closed frame if it was back first.
    await source.closeConversation(conversation);
    await eventually('the member to learn of the close', () => failures.length + closes.length > 0);
    if (failures.length > 0) {
      assert.equal(failures[0]!.conversation, conversation);
      assert.equal(failures[0]!.error.code, 'gone');
    } else {
      assert.equal(closes[0]!.conversation, conversation);
    }
    assert.deepEqual(member.conversations(), {});
  });
});
