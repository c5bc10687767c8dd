/**
 * `/admin`: the operator's dashboard over the admin API (docs/ADMIN-API.md): each virtual user with its aggregated
 * presence, its members' status and load, who waits in its queue, and its latest routing decisions with their
 * trace; the cluster's nodes with their connections. Refreshed every few seconds, and at once on every event of a virtual user's live stream
 * when the node offers one.
 */
import { byId, clock, field, h, replace, show } from './dom.js';

const POLL_MILLIS = 2_000;
/** With a live stream open, polling only backs it up. */
const POLL_WITH_LIVE_MILLIS = 10_000;
const DECISIONS_SHOWN = 10;
/** Each virtual user shown costs three requests a refresh: a large directory shows its first ones. */
const VIRTUAL_USERS_SHOWN = 50;
const TOKEN_KEY = 'switchboard.admin.token';

interface VirtualUserEntry { id: string; name: string | null; members: string[] }
interface MemberStatus { id: string; status: string; load: number; maxConversations: number | null }
interface VirtualUserStatus { id: string; status: string; members: MemberStatus[] }
interface TraceStep { step: string; result: string; reason: string }
interface Decision {
  ts: number; conversation: string; source: string; destination: string;
  selected: string | null; step: string | null; trace: TraceStep[];
}
interface NodeEntry { node: string; roles: string[]; connections: number }
interface Waiting { position: number; source: string; conversation: string; priority: number; since: number }

class Refused extends Error {}

const main = byId('main');
const signin = byId('signin');
const status = byId('connection');
const dashboard = h('div', { id: 'dashboard', hidden: true });
const virtualUsersSection = h('section', { id: 'virtual-users', 'aria-labelledby': 'vu-title' });
const nodesSection = h('section', { id: 'nodes', 'aria-labelledby': 'nodes-title' });
dashboard.append(virtualUsersSection, nodesSection);
main.append(dashboard);

let token: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
/** Open live streams by virtual user, and the virtual users whose stream was tried (once per sign-in). */
const live = new Map<string, AbortController>();
const tried = new Set<string>();

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
  const body = (await response.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (response.status === 401 || response.status === 403) {
    throw new Refused(body?.error?.message ?? `refused (${response.status})`);
  }
  if (!response.ok || body === null) {
    throw new Error(body?.error?.message ?? `the node answered ${response.status}`);
  }
  return body;
}

function showSignIn(refusal: string | null): void {
  stop();
  show(dashboard, false);
  const pasted = h('textarea', { id: 'admin-token', name: 'token', rows: 3, spellcheck: false, required: true });
  replace(signin,
    h('h2', {}, 'Admin token'),
    refusal ? h('p', { class: 'error', role: 'alert' }, `The admin token was refused: ${refusal}. Paste a new one.`) : null,
    h('p', {}, 'A JWT with "roles":["admin"]: a node without --jwt-secret logs one when it starts; otherwise ',
      h('code', {}, 'java -jar switchboard.jar token admin --admin'), ' makes one.'),
    h('form', { class: 'column', onsubmit: (event: Event) => { event.preventDefault(); begin(pasted.value.trim()); } },
      field('Admin token', pasted), h('button', { type: 'submit' }, 'Show the dashboard')));
  show(signin, true);
  status.textContent = 'Not signed in';
  pasted.focus();
}

function begin(given: string): void {
  if (!given) {
    return;
  }
  token = given;
  sessionStorage.setItem(TOKEN_KEY, given);
  show(signin, false);
  show(dashboard, true);
  void refresh();
}

function stop(): void {
  clearTimeout(timer);
  live.forEach((controller) => controller.abort());
  live.clear();
  tried.clear();
}

async function refresh(): Promise<void> {
  clearTimeout(timer);
  try {
    const [{ virtualUsers: all }, nodes] = await Promise.all([
      api<{ virtualUsers: VirtualUserEntry[] }>('/virtual-users'),
      api<{ nodes: NodeEntry[] }>('/nodes'),
    ]);
    const virtualUsers = all.slice(0, VIRTUAL_USERS_SHOWN);
    const details = await Promise.all(virtualUsers.map((virtualUser) => Promise.all([
      api<VirtualUserStatus>(`/virtual-users/${encodeURIComponent(virtualUser.id)}/status`),
      api<{ decisions: Decision[] }>(`/decisions?destination=${encodeURIComponent(virtualUser.id)}&limit=${DECISIONS_SHOWN}`),
      api<{ waiting: Waiting[] }>(`/virtual-users/${encodeURIComponent(virtualUser.id)}/queue`),
    ])));
    renderVirtualUsers(virtualUsers, all.length, details.map(([state, decisions, queue]) =>
      ({ state, decisions: decisions.decisions, waiting: queue.waiting })));
    renderNodes(nodes.nodes);
    virtualUsers.forEach((virtualUser) => follow(virtualUser.id));
    status.textContent = `Updated ${clock(Date.now())}${live.size > 0 ? ' · live' : ` · every ${POLL_MILLIS / 1000} s`}`;
  } catch (failure) {
    if (failure instanceof Refused) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn(failure.message);
      return;
    }
    status.textContent = `Could not refresh: ${(failure as Error).message}; trying again`;
  }
  timer = setTimeout(() => void refresh(), live.size > 0 ? POLL_WITH_LIVE_MILLIS : POLL_MILLIS);
}

/**
 * Opens the virtual user's live stream (server-sent events, with the token in a header, so fetch rather than
 * EventSource) when the node has one; each event refreshes the dashboard. A node without it answers 404: polling.
 */
function follow(id: string): void {
  if (tried.has(id)) {
    return;
  }
  tried.add(id);
  const controller = new AbortController();
  void (async () => {
    try {
      const response = await fetch(`/api/v1/virtual-users/${encodeURIComponent(id)}/live`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, signal: controller.signal,
      });
      if (!response.ok || !response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        throw new Error('no live stream');
      }
      live.set(id, controller);
      const reader = response.body.getReader();
      let pending: ReturnType<typeof setTimeout> | undefined;
      for (;;) {
        const { done } = await reader.read();
        if (done) {
          break;
        }
        // Events come in bursts (an accept changes several things): one refresh per burst.
        clearTimeout(pending);
        pending = setTimeout(() => void refresh(), 100);
      }
    } catch {
      // no stream, or it broke: polling goes on
    }
    // Not tried again while polling works; a new sign-in tries again.
    live.delete(id);
  })();
}

function renderVirtualUsers(virtualUsers: VirtualUserEntry[], total: number,
                            details: { state: VirtualUserStatus; decisions: Decision[]; waiting: Waiting[] }[]): void {
  // The traces the operator opened stay open across refreshes.
  const opened = new Set([...virtualUsersSection.querySelectorAll('details[open]')].map((open) => (open as HTMLElement).dataset.key));
  replace(virtualUsersSection, h('h2', { id: 'vu-title' }, 'Virtual users'),
    virtualUsers.length === 0 ? h('p', { class: 'empty' }, 'The directory has no virtual users.') : null,
    total > virtualUsers.length ? h('p', { class: 'meta' }, `The first ${virtualUsers.length} of ${total}, by id.`) : null,
    ...virtualUsers.map((virtualUser, i) => {
      const { state, decisions, waiting } = details[i]!;
      return h('article', { class: 'virtual-user', 'data-id': virtualUser.id, 'aria-labelledby': `vu-${i}` },
        h('h3', { id: `vu-${i}` }, virtualUser.name ? `${virtualUser.name} (${virtualUser.id})` : virtualUser.id, ' ',
          h('span', { class: `badge status-${state.status}` }, state.status)),
        h('table', {},
          h('caption', {}, 'Members'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Member'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Load'))),
          h('tbody', {}, ...state.members.map((member) => h('tr', { 'data-member': member.id },
            h('th', { scope: 'row' }, member.id),
            h('td', { class: 'status' }, h('span', { class: `badge status-${member.status}` }, member.status)),
            h('td', { class: 'load' }, `${member.load} / ${member.maxConversations ?? '∞'}`))))),
        h('h4', {}, 'Queue'),
        waiting.length === 0 ? h('p', { class: 'empty' }, 'Nobody waits.') : h('ol', { class: 'queue' },
          ...waiting.map((entry) => h('li', { 'data-source': entry.source },
            h('strong', {}, entry.source), ` waiting since ${clock(entry.since)}`,
            entry.priority !== 0 ? ` (priority ${entry.priority})` : ''))),
        h('h4', {}, 'Recent decisions'),
        decisions.length === 0 ? h('p', { class: 'empty' }, 'No routing yet.') : h('ol', { class: 'decisions' },
          ...decisions.map((decision) => h('li', { 'data-conversation': decision.conversation },
            h('details', { 'data-key': `${decision.conversation}@${decision.ts}`, open: opened.has(`${decision.conversation}@${decision.ts}`) },
              h('summary', {}, h('time', {}, clock(decision.ts)), ' ',
                decision.selected ? `${decision.source} got ${decision.selected} (${decision.step})` : `${decision.source}: nobody could be selected`),
              h('p', { class: 'meta' }, `conversation ${decision.conversation}`),
              h('ol', { class: 'trace' }, ...decision.trace.map((step) =>
                h('li', {}, h('strong', {}, step.step), ` ${step.result}: ${step.reason}`))))))));
    }));
}

function renderNodes(nodes: NodeEntry[]): void {
  replace(nodesSection, h('h2', { id: 'nodes-title' }, 'Nodes'),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Node'), h('th', { scope: 'col' }, 'Roles'), h('th', { scope: 'col' }, 'Connections'))),
      h('tbody', {}, ...nodes.map((node) => h('tr', { 'data-node': node.node },
        h('th', { scope: 'row' }, node.node), h('td', {}, node.roles.join(', ')), h('td', { class: 'connections' }, node.connections))))));
}

const given = new URLSearchParams(location.hash.slice(1)).get('token');
if (given) {
  history.replaceState(null, '', location.pathname + location.search);
}
const remembered = given ?? sessionStorage.getItem(TOKEN_KEY);
if (remembered) {
  begin(remembered);
} else {
  showSignIn(null);
}
