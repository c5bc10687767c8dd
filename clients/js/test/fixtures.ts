/**
 * Real components for the tests: a Switchboard node run from its jar (`java -jar`), a redis-server, a loopback TCP
 * proxy whose connections the test can cut, HS256 tokens signed like the node's, and waiting with deadlines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { WebSocketServer, type WebSocket } from 'ws';

import { SwitchboardClient, type ClientEvents, type ClientOptions, type ClientFrame, type ServerFrame } from '../src/index.js';

export const SECRET = 'switchboard-js-test-secret-0123456789';
/** A suite that takes longer has hung: it fails rather than hold the build. */
export const SUITE_TIMEOUT = 60_000;

/** The node's jar: from the build (SWITCHBOARD_JAR) or where `mvn package` leaves it. */
const JAR = process.env.SWITCHBOARD_JAR ?? fileURLToPath(new URL('../../../../node/target/switchboard.jar', import.meta.url));
const START_TIMEOUT = 40_000;

/** How many separate casts the directory has: each test takes its own, so no test sees another's users. */
const CASTS = 40;

/**
 * Customers u1…u40 and members m1…m40, each member alone behind the virtual user shop1…shop40 (offers time out
 * after 2 s).
 */
export const DIRECTORY = {
  users: Array.from({ length: CASTS }, (_, i) => [{ id: `u${i + 1}` }, { id: `m${i + 1}` }]).flat(),
  virtualUsers: Array.from({ length: CASTS }, (_, i) => ({
    id: `shop${i + 1}`, members: [`m${i + 1}`], policy: { offerTimeout: 'PT2S', maxOffers: 1 },
  })),
};

export interface Cast {
  /** Customers. */
  source: string;
  other: string;
  /** The member behind `shop`. */
  member: string;
  shop: string;
}

let casts = 0;

/** Users no other test of this process has used: two customers, and a shop with its member. */
export function cast(): Cast {
  const n = ++casts;
  if (2 * n > CASTS) {
    throw new Error('the test directory has too few users: raise CASTS');
  }
  return { source: `u${2 * n - 1}`, other: `u${2 * n}`, member: `m${n}`, shop: `shop${n}` };
}

/** A JWT for `user` signed HS256 with `secret`, lasting `seconds` (negative: already expired). */
export function token(user: string, seconds = 3600, secret = SECRET): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: user, iat: Math.min(now, now + seconds), exp: now + seconds })}`;
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
  timeout = 15_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The next `event` of `client` (matching `filter`), or a failure after `timeout` ms. */
export function next<K extends keyof ClientEvents>(client: SwitchboardClient, event: K,
  filter: (payload: ClientEvents[K]) => boolean = () => true, timeout = 15_000): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(event)} event within ${timeout} ms`));
    }, timeout);
    const off = client.on(event, (payload) => {
      if (filter(payload)) {
        off();
        clearTimeout(timer);
        resolve(payload);
      }
    });
  });
}

/** Every `event` of `client` from now on, in order. */
export function record<K extends keyof ClientEvents>(client: SwitchboardClient, event: K): ClientEvents[K][] {
  const seen: ClientEvents[K][] = [];
  client.on(event, (payload) => seen.push(payload));
  return seen;
}

/** A redis-server on a free loopback port that keeps nothing on disk. */
export class Redis {
  private constructor(readonly port: number, private readonly process: ChildProcess, private readonly dir: string) {}

  static async start(): Promise<Redis> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-js-redis-'));
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

export interface NodeSettings {
  httpPort: number;
  tcpPort: number;
  /** A Redis for the store, so that conversations outlive the node. */
  redis?: string;
  /** Extra options, e.g. ['--heartbeat', 'PT1S']. */
  options?: string[];
}

/** A node started with `java -jar`, on the ports given, with the test directory and secret. */
export class NodeProcess {
  private output = '';
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(readonly settings: NodeSettings, private readonly process: ChildProcess, private readonly dir: string) {
    process.stdout?.on('data', (data: Buffer) => (this.output += data.toString()));
    process.stderr?.on('data', (data: Buffer) => (this.output += data.toString()));
    this.exit = new Promise((resolve) => process.once('exit', () => {
      this.exited = true;
      resolve();
    }));
  }

  static async start(settings: NodeSettings): Promise<NodeProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-js-node-'));
    const directory = join(dir, 'directory.json');
    writeFileSync(directory, JSON.stringify(DIRECTORY));
    const args = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-jar', JAR,
      '--host', '127.0.0.1', '--http-port', String(settings.httpPort), '--tcp-port', String(settings.tcpPort),
      '--jwt-secret', SECRET, '--directory', directory, '--gateway-instances', '1', '--shutdown-grace', 'PT2S',
      ...(settings.redis ? ['--redis', settings.redis] : []), ...(settings.options ?? [])];
    const node = new NodeProcess(settings, spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] }), dir);
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

  get url(): string {
    return `ws://127.0.0.1:${this.settings.httpPort}/ws`;
  }

  /** What the node printed so far. */
  get log(): string {
    return this.output;
  }

  /** A planned stop (SIGTERM): the node sends `shutdown` frames, closes its connections and exits. */
  async terminate(): Promise<void> {
    await kill(this.process, 'SIGTERM', this.exit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  async kill(): Promise<void> {
    await kill(this.process, 'SIGKILL', this.exit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Freezes the process (SIGSTOP): its sockets stay open and nothing answers. */
  freeze(): void {
    this.process.kill('SIGSTOP');
  }

  thaw(): void {
    this.process.kill('SIGCONT');
  }
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

/**
 * A loopback TCP proxy in front of a node: clients connect to its port, and `cut()` drops every connection at
 * once, as a network failure or a load balancer would (the node sees its connections end too).
 */
export class Proxy {
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(targetPort: number): Promise<Proxy> {
    const proxy: Proxy = new Proxy(createServer((inbound) => {
      const outbound = new Socket();
      proxy.sockets.add(inbound).add(outbound);
      const drop = () => {
        inbound.destroy();
        outbound.destroy();
        proxy.sockets.delete(inbound);
        proxy.sockets.delete(outbound);
      };
      inbound.on('error', drop).on('close', drop);
      outbound.on('error', drop).on('close', drop);
      outbound.connect(targetPort, '127.0.0.1', () => {
        inbound.pipe(outbound);
        outbound.pipe(inbound);
      });
    }));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as { port: number }).port}/ws`;
  }

  /** Drops every connection through the proxy. */
  cut(): void {
    [...this.sockets].forEach((socket) => socket.destroy());
    this.sockets.clear();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/**
 * A WebSocket server that plays the node's part from a script: it says hello, answers auth with ready, records
 * every frame it receives, and sends what the test tells it to. For frames whose timing the test must control.
 */
export class ScriptedServer {
  /** Every frame received, with the number of the connection (from 1) it came on. */
  readonly received: { connection: number; frame: ClientFrame }[] = [];
  private readonly sockets: WebSocket[] = [];
  /** The frames that answer a request other than auth (default: `ok`); the test sets its own. */
  reply: (frame: ClientFrame) => ServerFrame[] = (frame) => ('id' in frame && frame.id ? [{ type: 'ok', id: frame.id }] : []);

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket) => {
      this.sockets.push(socket);
      const connection = this.sockets.length;
      socket.send(JSON.stringify({ type: 'hello', protocol: 1, node: 'node-scripted', heartbeat: 30_000 }));
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as ClientFrame;
        this.received.push({ connection, frame });
        const answers: ServerFrame[] = frame.type === 'auth'
          ? [{ type: 'ready', id: frame.id, user: 'u', session: `s-${connection}` }]
          : this.reply(frame);
        answers.forEach((answer) => socket.send(JSON.stringify(answer)));
      });
    });
  }

  static async start(): Promise<ScriptedServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    return new ScriptedServer(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as { port: number }).port}/ws`;
  }

  /** How many connections were made to it. */
  get connections(): number {
    return this.sockets.length;
  }

  /** Sends a frame on the latest connection. */
  send(frame: ServerFrame): void {
    this.sockets.at(-1)!.send(JSON.stringify(frame));
  }

  /** Closes the latest connection with `code`. */
  closeLatest(code: number, reason = ''): void {
    this.sockets.at(-1)!.close(code, reason);
  }

  async close(): Promise<void> {
    this.sockets.forEach((socket) => socket.terminate());
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Clients made by a test, closed after it. */
export class Clients {
  private readonly all: SwitchboardClient[] = [];

  constructor(private readonly url: () => string) {}

  /** A client of `user` (not yet connected), with short backoff so tests do not wait long. */
  of(user: string, options: Partial<ClientOptions> = {}): SwitchboardClient {
    const client = new SwitchboardClient({
      url: this.url(),
      token: () => token(user),
      reconnect: { initialDelay: 100, maxDelay: 1_000 },
      ...options,
    });
    this.all.push(client);
    return client;
  }

  /** A connected client of `user`. */
  async connect(user: string, options: Partial<ClientOptions> = {}): Promise<SwitchboardClient> {
    const client = this.of(user, options);
    await client.connect();
    return client;
  }

  closeAll(): void {
    this.all.splice(0).forEach((client) => client.close());
  }
}
