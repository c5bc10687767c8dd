/**
 * The second-round extensions of the protocol (queues, cancel, transfers, suggestions) as the client handles
 * them, from a scripted server that plays the node's part: every frame is typed, answered requests resolve,
 * refused ones reject with the server's code, and pushed frames become events.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import type { ClientFrame, ServerFrame } from '../src/index.js';

import { Clients, eventually, next, record, ScriptedServer, SUITE_TIMEOUT } from './fixtures.js';

let server: ScriptedServer;
const clients = new Clients(() => server.url);

before(async () => {
  server = await ScriptedServer.start();
});

after(async () => {
  await server?.close();
});

afterEach(() => clients.closeAll());

/** The frames of `type` the server received so far. */
function received<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
  return server.received.map((entry) => entry.frame).filter((frame): frame is Extract<ClientFrame, { type: T }> => frame.type === type);
}

describe('extensions', { timeout: SUITE_TIMEOUT }, () => {
  it('reports queue positions of a waiting open, and cancels it', async () => {
    const client = await clients.connect('u');
    server.reply = (frame) => {
      if (frame.type === 'open') {
        return [
          { type: 'queued', id: frame.id, to: frame.to, position: 3, estimatedWait: 45_000 },
          { type: 'queued', id: frame.id, to: frame.to, position: 2, estimatedWait: null },
        ];
      }
      if (frame.type === 'cancel') {
        return [{ type: 'ok', id: frame.id }, { type: 'error', id: frame.open, code: 'cancelled', message: 'the open was cancelled' }];
      }
      return [{ type: 'ok', id: (frame as { id: string }).id }];
    };
    const positions: number[] = [];
    const events = record(client, 'queued');
    const opening = client.open('shop', { onQueued: (queued) => positions.push(queued.position) });
    await eventually('two queued frames', () => events.length === 2);
    assert.deepEqual(positions, [3, 2]);
    assert.deepEqual(events.map((queued) => [queued.id, queued.estimatedWait]), [[opening.id, 45_000], [opening.id, null]]);
    await client.cancelOpen(opening.id);
    await assert.rejects(opening, { code: 'cancelled', requestId: opening.id });
    assert.deepEqual(received('cancel').map((cancel) => cancel.open), [opening.id]);
  });

  it('replays a transferred conversation to the member that accepts it', async () => {
    const client = await clients.connect('u');
    server.reply = (frame) => {
      if (frame.type === 'resume') {
        return [
          { type: 'message', conversation: frame.conversation, from: 'abc', seq: 1, ts: 1, body: 'hi', notify: 'popup' },
          { type: 'message', conversation: frame.conversation, from: 'ShopAssistant1', seq: 2, ts: 2, body: 'hello', notify: 'popup' },
          { type: 'ok', id: frame.id },
        ];
      }
      return [{ type: 'ok', id: (frame as { id: string }).id }];
    };
    const messages = record(client, 'message');
    const offered = next(client, 'offer');
    server.send({ type: 'offer', conversation: 'c-t', from: 'abc', to: 'shop', expires: Date.now() + 15_000,
      transfer: { from: 'ShopAssistant1', note: 'wants a refund' } });
    const offer = await offered;
    assert.deepEqual(offer.transfer, { from: 'ShopAssistant1', note: 'wants a refund' });
    await client.accept(offer.conversation);
    await eventually('the conversation so far', () => messages.length === 2);
    assert.deepEqual(received('resume').map((resume) => [resume.conversation, resume.after]), [['c-t', 0]]);
    assert.deepEqual(client.conversations(), { 'c-t': 2 });
  });

  it('transfers a conversation, and tells the source where it went', async () => {
    const client = await clients.connect('u');
    server.reply = (frame) => frame.type === 'transfer'
      ? [{ type: 'ok', id: frame.id }, { type: 'closed', conversation: frame.conversation, by: 'u', reason: 'transferred' }]
      : [{ type: 'ok', id: (frame as { id: string }).id }];
    const closed = next(client, 'closed');
    await client.transfer('c-1', 'ShopAssistant2', 'speaks German');
    assert.equal((await closed).reason, 'transferred');
    assert.deepEqual(received('transfer').at(-1), { type: 'transfer', id: received('transfer').at(-1)!.id, conversation: 'c-1', to: 'ShopAssistant2', note: 'speaks German' });

    const transferred = next(client, 'transferred');
    server.send({ type: 'transferred', conversation: 'c-2', to: 'shop', agent: null });
    assert.deepEqual(await transferred, { type: 'transferred', conversation: 'c-2', to: 'shop', agent: null });

    server.reply = (frame) => [{ type: 'error', id: (frame as { id: string }).id, code: 'unavailable', message: 'nobody took it' }];
    await assert.rejects(client.transfer('c-3', 'ShopAssistant3'), { code: 'unavailable', message: 'nobody took it' });
  });

  it('asks for, adopts and dismisses suggestions, gives feedback, and hears new ones', async () => {
    const client = await clients.connect('u');
    const suggestion = {
      id: 's-1', rule: { id: 'quiet-nights', notify: 'silent' }, activation: null,
      evidence: 'you silenced 14 of 15 messages after 22:00', support: 14, confidence: 0.93,
    };
    server.reply = (frame) => frame.type === 'get-suggestions'
      ? [{ type: 'suggestions', id: frame.id, suggestions: [suggestion] }]
      : [{ type: 'ok', id: (frame as { id: string }).id }];
    assert.deepEqual(await client.getSuggestions(), [suggestion]);
    await client.adoptSuggestion('s-1');
    await client.dismissSuggestion('s-2');
    await client.feedback('c-1', 12, 'hold');
    assert.deepEqual(received('adopt-suggestion').map((frame) => frame.suggestion), ['s-1']);
    assert.deepEqual(received('dismiss-suggestion').map((frame) => frame.suggestion), ['s-2']);
    assert.deepEqual(received('feedback').map((frame) => [frame.conversation, frame.seq, frame.wanted]), [['c-1', 12, 'hold']]);

    const pushed = next(client, 'suggestions');
    const frames = record(client, 'frame');
    server.send({ type: 'suggestions', suggestions: [{ ...suggestion, id: 's-3' }] } satisfies ServerFrame);
    assert.equal((await pushed).suggestions[0]!.id, 's-3');
    assert.equal(frames.length, 1);
  });

  it('passes frames of unknown types through the frame event only', async () => {
    const client = await clients.connect('u');
    const frames = record(client, 'frame');
    const errors = record(client, 'error');
    server.send({ type: 'something-new', value: 1 } as unknown as ServerFrame);
    server.send({ type: 'pong' });
    await eventually('both frames', () => frames.length === 2);
    assert.deepEqual(frames[0], { type: 'something-new', value: 1 });
    assert.deepEqual(errors, []);
    assert.equal(client.state, 'ready');
  });
});
