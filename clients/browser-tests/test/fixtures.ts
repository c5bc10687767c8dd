/**
 * Real components for the browser tests: a node run from its jar (`java -jar`), a redis-server, Debian's chromium
 * driven by playwright-core, HS256 tokens signed like the node's, and waiting with deadlines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The node's jar: from the build (SWITCHBOARD_JAR) or where `mvn package` leaves it. */
const JAR = process.env.SWITCHBOARD_JAR ?? fileURLToPath(new URL('../../../../node/target/switchboard.jar', import.meta.url));
/** The demo directory the embedded default starts with, for nodes on Redis (which start with none). */
export const DEMO_DIRECTORY = fileURLToPath(new URL('../../../../node/src/main/resources/demo-directory.json', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Where the run leaves its screenshots (not committed). */
const SCREENSHOTS = process.env.SCREENSHOTS ?? fileURLToPath(new URL('../../target/screenshots', import.meta.url));
const START_TIMEOUT = 60_000;
/** Generous: the build machine is shared. */
export const UI_TIMEOUT = 20_000;
/** A suite that takes longer has hung: it fails rather than hold the build. */
export const SUITE_TIMEOUT = 180_000;

export const SECRET = 'switchboard-browser-test-secret-0123456789';

/** A JWT for `user` signed HS256 with `secret`, lasting `seconds` (negative: expired that long ago). */
export function token(user: string, seconds = 3600, secret = SECRET, roles?: string[]): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: user, iat: Math.min(now, now + seconds - 60), exp: now + seconds, ...(roles ? { roles } : {}) })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** A port free on loopback right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `check` gives a value other than undefined/false, or fails after `timeout` ms saying `what`. */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>,
  timeout = UI_TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A redis-server on a free loopback port that keeps nothing on disk. */
export class Redis {
  private constructor(readonly port: number, private readonly process: ChildProcess, private readonly dir: string) {}

  static async start(): Promise<Redis> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-browser-redis-'));
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' });
    const redis = new Redis(port, child, dir);
    await eventually('redis-server to answer', () => answersPing(port), 10_000).catch(async (error) => {
      await redis.stop();
      throw error;
    });
    return redis;
  }

  get uri(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await kill(this.process, 'SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A node started with `java -jar` on the ports given, with the options given (none: the demo mode). */
export class NodeProcess {
  private output = '';
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(readonly httpPort: number, private readonly process: ChildProcess) {
    process.stdout?.on('data', (data: Buffer) => (this.output += data.toString()));
    process.stderr?.on('data', (data: Buffer) => (this.output += data.toString()));
    this.exit = new Promise((resolve) => process.once('exit', () => {
      this.exited = true;
      resolve();
    }));
  }

  static async start(httpPort: number, tcpPort: number, options: string[] = []): Promise<NodeProcess> {
    const args = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-jar', JAR, '--host', '127.0.0.1',
      '--http-port', String(httpPort), '--tcp-port', String(tcpPort), '--gateway-instances', '1', '--shutdown-grace', 'PT2S',
      ...options];
    const node = new NodeProcess(httpPort, spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    try {
      await eventually('the node to start', () => node.exited || node.output.includes('started with roles'), START_TIMEOUT);
    } catch (error) {
      await node.kill();
      throw error;
    }
    if (node.exited) {
      throw new Error(`the node did not start:\n${node.output}`);
    }
    return node;
  }

  /** The address of one of the node's pages. */
  page(path: string): string {
    return `http://127.0.0.1:${this.httpPort}${path}`;
  }

  /** The admin token a node in demo mode logs. */
  get adminToken(): string {
    const logged = /admin token for \/api\/v1: (\S+)/.exec(this.output);
    if (!logged) {
      throw new Error(`the node logged no admin token:\n${this.output}`);
    }
    return logged[1]!;
  }

  /** A planned stop (SIGTERM): the node sends `shutdown` frames, closes its connections and exits. */
  async terminate(): Promise<void> {
    await kill(this.process, 'SIGTERM', this.exit);
  }

  async kill(): Promise<void> {
    await kill(this.process, 'SIGKILL', this.exit);
  }
}

/** Debian's chromium, headless; a test's pages each get a context of their own (their own storage). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

/** A page in a new context that fails the test on any script error and remembers dialogs (none is expected). */
export async function newPage(browser: Browser, viewport = { width: 1100, height: 800 }): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Whether a Redis answers PING on `port`. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('error', () => resolve(false));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

async function kill(child: ChildProcess, signal: NodeJS.Signals, exit?: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = exit ?? new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
