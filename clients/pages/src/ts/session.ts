/**
 * What the chat and agent pages share: getting a token (from the address, a demo token in demo mode, or pasted),
 * the client connected with it, and saying how the connection is doing. A refused token (bad, expired) is said
 * plainly, with the way to get a new one.
 */
import { SwitchboardClient, SwitchboardError, type ClientState } from '../../../js/src/index.js';
import { byId, field, h, replace, show } from './dom.js';

/** The node's WebSocket: the one that served the page. */
function webSocketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/**
 * A token handed over in the address (`/chat#token=…`, e.g. by an app that embeds the page). The fragment never
 * reaches a server; it is removed from the address bar so that it is not bookmarked or shared.
 */
export function tokenFromAddress(): string | null {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token) {
    history.replaceState(null, '', location.pathname + location.search);
  }
  return token;
}

/** Whether this node hands out demo tokens: only in demo mode does `/demo/token` exist. */
async function demoMode(): Promise<boolean> {
  try {
    return (await fetch('/demo/token', { cache: 'no-store' })).status === 400;
  } catch {
    return false;
  }
}

async function demoToken(user: string): Promise<string> {
  const response = await fetch(`/demo/token?user=${encodeURIComponent(user)}`, { cache: 'no-store' });
  const body = (await response.json().catch(() => null)) as { token?: string; error?: { message?: string } } | null;
  if (!response.ok || !body?.token) {
    throw new Error(body?.error?.message ?? `the node answered ${response.status}`);
  }
  return body.token;
}

const STATE_TEXT: Record<ClientState, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  ready: 'Connected',
  waiting: 'Connection lost: reconnecting…',
  closed: 'Disconnected',
};

/**
 * The sign-in form in `#signin` and the connection it makes. `bind` runs with each new client before it connects
 * (the first, and one made with a new token after a refusal, which resumes the old one's conversations);
 * `connected` once it is ready.
 */
export class Session {
  client: SwitchboardClient | null = null;
  private readonly panel = byId('signin');
  private readonly status = byId('connection');

  constructor(private readonly page: string, private readonly defaultUser: string,
              private readonly bind: (client: SwitchboardClient) => void,
              private readonly connected: (client: SwitchboardClient) => void) {}

  /** Connects with the token of the address or of this tab's last visit, else shows the sign-in form. */
  async start(): Promise<void> {
    const token = tokenFromAddress() ?? sessionStorage.getItem(this.key);
    if (token) {
      await this.connect(token);
    } else {
      await this.showSignIn(null);
    }
  }

  private get key(): string {
    return `switchboard.${this.page}.token`;
  }

  /** The form: a demo token for a user id (demo mode), or a pasted token; `refusal` says why the last one failed. */
  private async showSignIn(refusal: string | null): Promise<void> {
    const demo = await demoMode();
    const error = h('p', { id: 'signin-error', class: 'error', role: 'alert' }, refusal ?? '');
    show(error, refusal !== null);
    const user = h('input', { id: 'signin-user', name: 'user', value: this.defaultUser, autocomplete: 'username', required: true });
    const pasted = h('textarea', { id: 'signin-token', name: 'token', rows: 3, spellcheck: false });
    const demoForm = demo ? h('form', {
      class: 'row',
      onsubmit: (event: Event) => {
        event.preventDefault();
        demoToken(user.value.trim()).then((token) => this.connect(token), (failure: Error) => {
          error.textContent = `No demo token: ${failure.message}`;
          show(error, true);
        });
      },
    }, field('User id', user), h('button', { type: 'submit' }, refusal ? 'Get a new demo token' : 'Get a demo token and connect')) : null;
    const tokenForm = h('form', {
      class: 'column',
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (pasted.value.trim()) {
          void this.connect(pasted.value.trim());
        }
      },
    }, field('Token (a JWT signed with the node\'s secret)', pasted), h('button', { type: 'submit' }, 'Connect with this token'));
    replace(this.panel, h('h2', {}, 'Sign in'), error, demoForm,
      demo ? h('details', {}, h('summary', {}, 'Or paste a token'), tokenForm) : tokenForm);
    show(this.panel, true);
    (demo ? user : pasted).focus();
  }

  private async connect(token: string): Promise<void> {
    const previous = this.client;
    // A new token after a refusal: the conversations the old client followed are resumed by the new one.
    const conversations = previous?.conversations() ?? {};
    previous?.close();
    const client = new SwitchboardClient({ url: webSocketUrl(), token, conversations, reconnect: { initialDelay: 300, maxDelay: 5_000 } });
    this.client = client;
    client.on('state', (state) => {
      // `ready` is said with the user's name, by the ready event
      if (state !== 'ready') {
        this.status.textContent = STATE_TEXT[state];
      }
    });
    client.on('disconnected', (lost) => {
      if (lost.reconnectIn !== null) {
        this.status.textContent = `Connection lost: reconnecting in ${Math.ceil(lost.reconnectIn / 1000)} s…`;
      }
    });
    client.on('shutdown', () => this.status.textContent = 'The node is restarting: reconnecting…');
    client.on('ready', (ready) => {
      this.status.textContent = `Connected as ${ready.user}`;
      this.status.dataset.user = ready.user;
    });
    this.bind(client);
    this.status.textContent = STATE_TEXT.connecting;
    try {
      await client.connect();
    } catch (failure) {
      if (this.client === client) {
        this.refused(failure);
      }
      return;
    }
    sessionStorage.setItem(this.key, token);
    show(this.panel, false);
    this.connected(client);
    // Later refusals: a token that expired while the client was away.
    client.on('error', (failure) => {
      if (failure.code === 'unauthenticated' && this.client === client) {
        this.refused(failure);
      }
    });
  }

  private refused(failure: unknown): void {
    sessionStorage.removeItem(this.key);
    const message = failure instanceof SwitchboardError && failure.code === 'unauthenticated'
      ? `Your token was refused: ${failure.message}. Get a new one below.`
      : `Could not connect: ${(failure as Error).message ?? String(failure)}`;
    this.status.textContent = STATE_TEXT.closed;
    void this.showSignIn(message);
  }
}
