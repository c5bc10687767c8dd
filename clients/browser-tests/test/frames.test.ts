/**
 * What the agent and chat pages make of frames a node may send at any time, some of which this node does not send
 * yet (transfers, suggestions, notices of rules): the page's WebSocket is answered by a script in the browser
 * (Playwright's routeWebSocket) instead of the node, which only serves the pages. The notify level is honoured
 * (popup, silent, none), tabs work by keyboard, and an offer withdrawn is gone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page, WebSocketRoute } from 'playwright-core';

import { eventually, freePort, launchBrowser, newPage, NodeProcess, screenshot, SUITE_TIMEOUT } from './fixtures.js';

type Frame = Record<string, unknown> & { type: string; id?: string };

/** Plays the node for one page: hello, ready to any auth, the replies the test sets (default `ok`); records frames. */
class ScriptedNode {
  readonly received: Frame[] = [];
  private socket: WebSocketRoute | undefined;

  constructor(private readonly user: string, private readonly replies: Record<string, (frame: Frame) => Frame[]> = {}) {}

  async attach(page: Page): Promise<void> {
    await page.routeWebSocket(/\/ws$/, (socket) => {
      this.socket = socket;
      this.send({ type: 'hello', protocol: 1, node: 'scripted', heartbeat: 30_000 });
      socket.onMessage((text) => {
        const frame = JSON.parse(String(text)) as Frame;
        this.received.push(frame);
        const reply = frame.type === 'auth' ? () => [{ type: 'ready', id: frame.id, user: this.user, session: 's-1' }]
          : this.replies[frame.type] ?? (() => (frame.id ? [{ type: 'ok', id: frame.id }] : []));
        reply(frame).forEach((answer) => this.send(answer));
      });
    });
  }

  send(frame: object): void {
    this.socket!.send(JSON.stringify(frame));
  }

  /** The first frame received of this type (and matching `filter`), once it came. */
  frame(type: string, filter: (frame: Frame) => boolean = () => true): Promise<Frame> {
    return eventually(`a ${type} frame`, () => this.received.find((frame) => frame.type === type && filter(frame)));
  }
}

describe('the pages given frames by a script', { timeout: SUITE_TIMEOUT }, () => {
  let node: NodeProcess;
  let browser: Browser;

  before(async () => {
    [node, browser] = await Promise.all([
      freePort().then(async (http) => NodeProcess.start(http, await freePort())),
      launchBrowser(),
    ]);
  });

  after(async () => {
    await browser?.close();
    await node?.kill();
  });

  it('the agent console honours notify levels, shows notices, withdraws offers, transfers and takes suggestions', async () => {
    const suggestion = {
      id: 'sg-1', rule: { id: 'quiet-nights', when: { time: { from: '22:00', to: '07:00' } }, then: { notify: 'silent' } },
      activation: null, evidence: 'You muted 4 of 5 messages after 22:00 <b>last week</b>', support: 4, confidence: 0.8,
    };
    const script = new ScriptedNode('agent1', {
      'get-rules': (frame) => [{ type: 'rules', id: frame.id!, document: { timeZone: 'UTC', rules: [], activations: [] } }],
      'get-suggestions': (frame) => [{ type: 'suggestions', id: frame.id!, suggestions: [suggestion] }],
      'adopt-suggestion': (frame) => [{ type: 'ok', id: frame.id! }],
    });
    const { page, context, problems } = await newPage(browser);
    await script.attach(page);
    await page.goto(node.page('/agent#token=scripted'));
    await page.locator('#connection', { hasText: 'Connected as agent1' }).waitFor();
    const expires = Date.now() + 15_000;

    for (const [conversation, from] of [['c-1', 'alice'], ['c-2', 'bob']]) {
      script.send({ type: 'offer', conversation, from, to: 'shop', expires });
      await page.locator(`li.offer[data-conversation="${conversation}"]`).getByRole('button', { name: 'Accept' }).click();
      await script.frame('accept', (frame) => frame.conversation === conversation);
    }
    // The conversation just accepted is shown; the agent goes back to alice's.
    await page.getByRole('tab', { name: 'bob', selected: true }).waitFor();
    await page.getByRole('tab', { name: 'alice' }).click();
    await page.getByRole('tab', { name: 'alice', selected: true }).waitFor();

    // bob's tab is not in view: silent counts there, popup pops up too, none does neither.
    script.send({ type: 'message', conversation: 'c-2', from: 'bob', seq: 1, ts: Date.now(), body: 'quietly', notify: 'silent' });
    await page.getByRole('tab', { name: 'bob (1 new)' }).waitFor();
    assert.equal(await page.locator('#popup').isVisible(), false, 'no popup for a silent message');
    script.send({ type: 'message', conversation: 'c-2', from: 'bob', seq: 2, ts: Date.now(), body: '<b>loud</b>', notify: 'popup' });
    await page.locator('#popup', { hasText: 'bob: <b>loud</b>' }).waitFor();
    script.send({ type: 'message', conversation: 'c-2', from: 'bob', seq: 3, ts: Date.now(), body: 'unseen', notify: 'none' });
    await page.locator('[data-conversation="c-2"] li.message[data-seq="3"]').waitFor({ state: 'attached' });
    assert.equal(await page.getByRole('tab', { name: 'bob (2 new)' }).count(), 1, 'none is not counted');
    await screenshot(page, 'agent-popup');

    // Keyboard: the arrow key moves to bob's tab, which is then read.
    await page.getByRole('tab', { name: 'alice' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'bob', exact: true, selected: true }).waitFor();
    assert.deepEqual(await page.locator('[data-conversation="c-2"] li.message .body').allTextContents(), ['quietly', '<b>loud</b>', 'unseen']);

    script.send({ type: 'notice', action: 'held', rule: 'hold-when-busy', conversation: 'c-1', count: 3 });
    await page.locator('#notices li', { hasText: '3 messages held for later from alice (rule hold-when-busy).' }).waitFor();
    script.send({ type: 'offer', conversation: 'c-3', from: 'carol', to: 'shop', expires });
    await page.locator('li.offer[data-conversation="c-3"]').waitFor();
    script.send({ type: 'offer-withdrawn', conversation: 'c-3', reason: 'timeout' });
    await page.locator('#notices li', { hasText: 'Offer from carol: expired.' }).waitFor();
    assert.equal(await page.locator('li.offer').count(), 0);

    // A transfer of alice's conversation, with a note; the node then tells it went.
    await page.getByRole('tab', { name: 'alice' }).click();
    const panel = page.locator('[role="tabpanel"][data-conversation="c-1"]');
    await panel.locator('summary', { hasText: 'Transfer' }).click();
    await panel.getByLabel('Transfer to (user or virtual user)').fill('ShopAssistant2');
    await panel.getByLabel('Note for them').fill('wants a refund');
    await panel.getByRole('button', { name: 'Transfer', exact: true }).click();
    const transfer = await script.frame('transfer');
    assert.deepEqual([transfer.conversation, transfer.to, transfer.note], ['c-1', 'ShopAssistant2', 'wants a refund']);
    await page.getByRole('tab', { name: 'alice (ended)' }).waitFor();

    // The suggestion, its evidence as text; adopting it asks the node and reads the rules again.
    await page.locator('#suggestions li', { hasText: 'You muted 4 of 5 messages after 22:00 <b>last week</b>' }).waitFor();
    await page.locator('#suggestions').getByRole('button', { name: 'Adopt' }).click();
    assert.equal((await script.frame('adopt-suggestion')).suggestion, 'sg-1');
    await eventually('the rules read again', () => script.received.filter((frame) => frame.type === 'get-rules').length === 2);

    assert.equal(await page.locator('b').count(), 0, 'no text became markup');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('the chat shows its queue position, then the conversation and who it was transferred to', async () => {
    const script = new ScriptedNode('abc', {
      open: (frame) => [{ type: 'queued', id: frame.id!, to: frame.to as string, position: 2, estimatedWait: 30_000 }],
    });
    const { page, context, problems } = await newPage(browser, { width: 360, height: 700 });
    await script.attach(page);
    await page.goto(node.page('/chat#token=scripted'));
    await page.getByRole('button', { name: 'Open conversation' }).click();
    const open = await script.frame('open');
    await page.locator('#queue-position', { hasText: 'You are number 2 in the queue (about 30 s).' }).waitFor();
    script.send({ type: 'queued', id: open.id, to: 'XianFengShuDian', position: 1, estimatedWait: null });
    await page.locator('#queue-position', { hasText: 'You are number 1 in the queue.' }).waitFor();
    script.send({ type: 'opened', id: open.id, conversation: 'c-9', to: 'XianFengShuDian', agent: null });
    await page.getByRole('heading', { name: 'Talking to XianFengShuDian' }).waitFor();
    script.send({ type: 'transferred', conversation: 'c-9', to: 'XianFengShuDian', agent: 'ShopAssistant3' });
    await page.locator('li.note', { hasText: 'You are now talking to ShopAssistant3.' }).waitFor();
    script.send({ type: 'closed', conversation: 'c-9', by: 'XianFengShuDian', reason: 'closed' });
    await page.locator('li.note', { hasText: 'XianFengShuDian closed the conversation.' }).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
});
