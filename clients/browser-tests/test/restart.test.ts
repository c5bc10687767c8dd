/**
 * The pages on a node with a secret of its own, on Redis, tokens handed over in the address: a customer waiting in a
 * virtual user's queue sees its position; an expired token is said so; a node restarted mid-conversation (a planned
 * stop: `shutdown` frames, then a new node on the same ports and the same Redis) is survived by both pages: they say
 * they are reconnecting, come back by themselves, and the conversation goes on in both directions with its seq
 * where it was.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import {
  DEMO_DIRECTORY, freePort, launchBrowser, newPage, NodeProcess, Redis, screenshot, SECRET, SUITE_TIMEOUT, token,
} from './fixtures.js';

/** The demo directory and `line`, a virtual user whose one member (ShopAssistant4) is away: opens queue there. */
function directoryWithQueue(dir: string): string {
  const directory = JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8')) as { virtualUsers: object[] };
  directory.virtualUsers.push({ id: 'line', name: 'The line', members: ['ShopAssistant4'],
    policy: { queue: { maxWaiting: 10, maxWait: 'PT5M' } } });
  const file = join(dir, 'directory.json');
  writeFileSync(file, JSON.stringify(directory));
  return file;
}

describe('the pages on a node with its own secret, on Redis', { timeout: SUITE_TIMEOUT }, () => {
  let redis: Redis;
  let browser: Browser;
  let node: NodeProcess | undefined;
  let ports: [number, number];
  let dir: string;
  let directory: string;

  const start = () => NodeProcess.start(ports[0], ports[1], ['--jwt-secret', SECRET, '--redis', redis.uri, '--directory', directory]);

  before(async () => {
    ports = [await freePort(), await freePort()];
    dir = mkdtempSync(join(tmpdir(), 'switchboard-browser-'));
    directory = directoryWithQueue(dir);
    [redis, browser] = await Promise.all([Redis.start(), launchBrowser()]);
    node = await start();
  });

  after(async () => {
    await browser?.close();
    await node?.kill();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a customer waiting in the queue sees its position, as does the dashboard, then the agent who comes online', async () => {
    const customer = await newPage(browser, { width: 400, height: 760 });
    await customer.page.goto(node!.page(`/chat?to=line#token=${token('abc')}`));
    await customer.page.getByRole('button', { name: 'Open conversation' }).click();
    await customer.page.locator('#queue-position', { hasText: 'You are number 1 in the queue' }).waitFor();
    await screenshot(customer.page, 'chat-queued');
    const admin = await newPage(browser);
    await admin.page.goto(node!.page(`/admin#token=${token('ops', 3600, SECRET, ['admin'])}`));
    const queue = admin.page.locator('[data-id="line"] ol.queue li');
    await queue.filter({ hasText: 'abc waiting since' }).waitFor();

    const agent = await newPage(browser);
    await agent.page.goto(node!.page(`/agent#token=${token('ShopAssistant4')}`));
    await agent.page.locator('li.offer', { hasText: 'abc wants to talk to line' }).getByRole('button', { name: 'Accept' }).click();
    await customer.page.getByRole('heading', { name: 'Talking to line' }).waitFor();
    await admin.page.locator('[data-id="line"] p', { hasText: 'Nobody waits.' }).waitFor();
    await admin.context.close();
    await agent.page.getByRole('button', { name: 'Close conversation' }).click();
    await customer.page.getByRole('button', { name: 'Start a new conversation' }).waitFor();
    assert.deepEqual([...agent.problems, ...customer.problems, ...admin.problems], []);
    await Promise.all([agent.context.close(), customer.context.close()]);
  });

  it('an expired token is said so, and a new one asked for (no demo tokens here)', async () => {
    const { page, context, problems } = await newPage(browser);
    await page.goto(node!.page(`/agent#token=${token('ShopAssistant3', -60)}`));
    await page.getByRole('alert').filter({ hasText: /Your token was refused: .*expired/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: /demo token/ }).count(), 0);
    await page.getByLabel(/^Token/).fill(token('ShopAssistant3'));
    await page.getByRole('button', { name: 'Connect with this token' }).click();
    await page.locator('#connection', { hasText: 'Connected as ShopAssistant3' }).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });

  async function send(page: Page, text: string): Promise<void> {
    await page.getByLabel('Message', { exact: true }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  it('a node restart mid-conversation is survived by the chat and the agent page', async () => {
    const agent = await newPage(browser);
    const customer = await newPage(browser, { width: 400, height: 760 });
    // Tokens handed over in the address, as an app embedding the pages would (a node with a secret gives none).
    await agent.page.goto(node!.page(`/agent#token=${token('ShopAssistant2')}`));
    await agent.page.locator('#connection', { hasText: 'Connected as ShopAssistant2' }).waitFor();
    assert.equal(await agent.page.evaluate(() => location.hash), '', 'the token is taken out of the address');
    await customer.page.goto(node!.page(`/chat#token=${token('bob')}`));
    await customer.page.getByRole('button', { name: 'Open conversation' }).click();
    await agent.page.locator('li.offer', { hasText: 'bob wants to talk' }).getByRole('button', { name: 'Accept' }).click();
    await customer.page.getByRole('heading', { name: 'Talking to XianFengShuDian' }).waitFor();
    await send(customer.page, 'before the restart');
    await agent.page.locator('li.message.theirs[data-seq="1"]', { hasText: 'before the restart' }).waitFor();

    await node!.terminate();
    await Promise.all([agent.page, customer.page].map((page) =>
      page.locator('#connection', { hasText: /reconnecting/ }).waitFor()));
    node = await start();
    await agent.page.locator('#connection', { hasText: 'Connected as ShopAssistant2' }).waitFor();
    await customer.page.locator('#connection', { hasText: 'Connected as bob' }).waitFor();

    await send(customer.page, 'after the restart');
    await agent.page.locator('li.message.theirs[data-seq="2"]', { hasText: 'after the restart' }).waitFor();
    await send(agent.page, 'still here');
    const reply = customer.page.locator('li.message.theirs', { hasText: 'still here' });
    await reply.waitFor();
    assert.equal(await reply.locator('.seq').textContent(), '#3');
    // Each message once on each side.
    assert.equal(await agent.page.locator('li.message').count(), 3);
    assert.equal(await customer.page.locator('li.message').count(), 3);
    await Promise.all([screenshot(customer.page, 'chat-after-restart'), screenshot(agent.page, 'agent-after-restart')]);
    assert.deepEqual([...agent.problems, ...customer.problems], []);
    await Promise.all([agent.context.close(), customer.context.close()]);
  });
});
