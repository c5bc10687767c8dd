/**
 * The seed's story in a browser, on a node in demo mode (`java -jar switchboard.jar` and nothing else): a customer
 * on /chat and an agent on /agent, each with a demo token, open → offer → accept → messages both ways → close, while
 * /admin shows the agent's load go up and down and the decision that chose it. Bodies are shown as text, never as
 * HTML; a refused token is said so, with a way to a new one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { eventually, freePort, launchBrowser, newPage, NodeProcess, screenshot, SUITE_TIMEOUT } from './fixtures.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('the pages on a node in demo mode', { timeout: SUITE_TIMEOUT }, () => {
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

  /** Signs in on /chat or /agent with a demo token for `user`. */
  async function signIn(page: Page, path: string, user: string): Promise<void> {
    await page.goto(node.page(path));
    await page.getByLabel('User id').fill(user);
    await page.getByRole('button', { name: 'Get a demo token and connect' }).click();
    await page.locator('#connection', { hasText: `Connected as ${user}` }).waitFor();
  }

  async function load(admin: Page, member: string): Promise<string> {
    return (await admin.locator(`[data-id="XianFengShuDian"] tr[data-member="${member}"] td.load`).textContent()) ?? '';
  }

  it('a customer and an agent talk from open to close, and the dashboard follows the load', async () => {
    const agent = await newPage(browser);
    const customer = await newPage(browser, { width: 400, height: 760 });
    const admin = await newPage(browser);
    await signIn(agent.page, '/agent', 'ShopAssistant1');
    await admin.page.goto(node.page(`/admin#token=${node.adminToken}`));
    await eventually('the dashboard to show the member idle', async () => (await load(admin.page, 'ShopAssistant1')) === '0 / 5');
    assert.equal(await admin.page.locator('[data-id="XianFengShuDian"] h3 .badge').textContent(), 'online');
    assert.ok(Number(await admin.page.locator('#nodes td.connections').first().textContent()) >= 1, 'the agent counts as a connection');

    await signIn(customer.page, '/chat', 'abc');
    await customer.page.getByRole('button', { name: 'Open conversation' }).click();
    await customer.page.locator('#waiting').waitFor();

    const offer = agent.page.locator('li.offer', { hasText: 'abc wants to talk to XianFengShuDian' });
    await offer.waitFor();
    assert.match((await offer.locator('.time-left').textContent()) ?? '', /^\d+ s left$/);
    await offer.getByRole('button', { name: 'Accept' }).click();

    await customer.page.getByRole('heading', { name: 'Talking to XianFengShuDian' }).waitFor();
    await eventually('the dashboard to show the member\'s load go up', async () => (await load(admin.page, 'ShopAssistant1')) === '1 / 5');
    const decision = admin.page.locator('[data-id="XianFengShuDian"] .decisions li', { hasText: 'abc got ShopAssistant1' }).first();
    await decision.waitFor();
    await decision.locator('summary').click();
    await decision.locator('.trace li', { hasText: 'least-load' }).waitFor();

    // The customer writes markup and plain text; the agent sees both as written, in order, with their seq.
    await customer.page.getByLabel('Message', { exact: true }).fill(XSS);
    await customer.page.getByRole('button', { name: 'Send' }).click();
    await customer.page.getByLabel('Message', { exact: true }).fill('hello');
    await customer.page.getByRole('button', { name: 'Send' }).click();
    const agentLog = agent.page.locator('[role="tabpanel"]:not([hidden]) .messages');
    await agentLog.locator('li.message.theirs[data-seq="2"]').waitFor();
    assert.deepEqual(await agentLog.locator('li.message.theirs .body').allTextContents(), [XSS, 'hello']);
    assert.deepEqual(await agentLog.locator('li.message.theirs .seq').allTextContents(), ['#1', '#2']);
    assert.equal(await agent.page.locator('.messages img').count(), 0, 'a body is never parsed as HTML');
    await customer.page.locator('li.message.mine[data-seq="2"]').waitFor();

    await agent.page.getByLabel('Message', { exact: true }).fill('Hi abc, how can I help?');
    await agent.page.getByRole('button', { name: 'Send' }).click();
    const reply = customer.page.locator('li.message.theirs', { hasText: 'Hi abc, how can I help?' });
    await reply.waitFor();
    assert.equal(await reply.locator('.seq').textContent(), '#3');
    assert.equal(await reply.locator('.from').textContent(), 'XianFengShuDian');
    assert.equal(await customer.page.locator('.messages img').count(), 0);

    await Promise.all([screenshot(customer.page, 'chat'), screenshot(agent.page, 'agent'), screenshot(admin.page, 'admin')]);
    // The same pages on a phone.
    await Promise.all([agent.page, admin.page].map((page) => page.setViewportSize({ width: 390, height: 844 })));
    await Promise.all([screenshot(agent.page, 'agent-phone'), screenshot(admin.page, 'admin-phone')]);

    // A reload finds the conversation again, read back from the transcript, and goes on.
    await customer.page.reload();
    await customer.page.getByRole('heading', { name: 'Talking to XianFengShuDian' }).waitFor();
    await customer.page.locator('li.message[data-seq="3"]').waitFor();
    assert.deepEqual(await customer.page.locator('li.message .body').allTextContents(), [XSS, 'hello', 'Hi abc, how can I help?']);
    assert.deepEqual(await customer.page.locator('li.message.mine .seq').allTextContents(), ['#1', '#2']);
    await agent.page.getByLabel('Message', { exact: true }).fill('Still there?');
    await agent.page.getByRole('button', { name: 'Send' }).click();
    await customer.page.locator('li.message.theirs[data-seq="4"]', { hasText: 'Still there?' }).waitFor();
    assert.equal(await customer.page.locator('li.message').count(), 4, 'each message once');

    await agent.page.getByRole('button', { name: 'Close conversation' }).click();
    await customer.page.locator('li.note', { hasText: 'ShopAssistant1 closed the conversation' })
      .or(customer.page.locator('li.note', { hasText: 'XianFengShuDian closed the conversation' })).waitFor();
    await customer.page.getByRole('button', { name: 'Start a new conversation' }).waitFor();
    await agent.page.getByRole('tab', { name: 'abc (ended)' }).waitFor();
    await eventually('the dashboard to show the member\'s load go down', async () => (await load(admin.page, 'ShopAssistant1')) === '0 / 5');

    for (const { problems } of [agent, customer, admin]) {
      assert.deepEqual(problems, []);
    }
    await Promise.all([agent.context.close(), customer.context.close(), admin.context.close()]);
  });

  it('a refused token is said so, and a new one is offered', async () => {
    const { page, context, problems } = await newPage(browser);
    await page.goto(node.page('/chat#token=not.a.token'));
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: 'Your token was refused' }).waitFor();
    await page.getByLabel('User id').fill('bob');
    await page.getByRole('button', { name: 'Get a new demo token' }).click();
    await page.locator('#connection', { hasText: 'Connected as bob' }).waitFor();

    await page.goto(node.page('/admin#token=not.a.token'));
    await page.getByRole('alert').filter({ hasText: 'The admin token was refused' }).waitFor();
    await page.getByLabel('Admin token').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
});
