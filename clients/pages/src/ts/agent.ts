/**
 * `/agent`: the member's console. Set a status; answer offers before they expire; hold several conversations in
 * tabs (send, transfer, close); see what the handling rules did (notices, and a popup only for `notify: popup`);
 * edit the rules document and adopt or dismiss its suggestions.
 */
import {
  SwitchboardError,
  type MessageFrame,
  type NoticeFrame,
  type OfferFrame,
  type SettableStatus,
  type Suggestion,
  type SwitchboardClient,
} from '../../../js/src/index.js';
import { byId, field, h, replace, show } from './dom.js';
import { addMessage, addNote, markFailed, markSent } from './messages.js';
import { Session } from './session.js';

const main = byId('main');
const desk = h('div', { id: 'desk', hidden: true });
main.append(desk);

const statusSelect = h('select', { id: 'status', name: 'status' },
  ...(['online', 'busy', 'away'] as SettableStatus[]).map((status) => h('option', { value: status }, status)));
const statusError = h('span', { class: 'error', role: 'alert' });
const offersList = h('ul', { id: 'offers', class: 'offers', 'aria-live': 'polite' });
const noOffers = h('p', { class: 'empty' }, 'No one is waiting.');
const tabs = h('div', { id: 'tabs', role: 'tablist', 'aria-label': 'Conversations' });
const panels = h('div', { id: 'panels' });
const noConversations = h('p', { class: 'empty' }, 'No conversations yet: accept an offer.');
const noticesList = h('ul', { id: 'notices', class: 'notices', 'aria-live': 'polite' });
const popup = h('div', { id: 'popup', class: 'popup', role: 'alert', hidden: true });
const rulesText = h('textarea', { id: 'rules', name: 'rules', rows: 10, spellcheck: false });
const rulesResult = h('p', { id: 'rules-result', role: 'status' });
const suggestionsList = h('ul', { id: 'suggestions', class: 'suggestions' });
const suggestionsNote = h('p', { id: 'suggestions-note', class: 'empty' });

desk.append(
  h('section', { id: 'status-bar', class: 'row', 'aria-label': 'Your status' },
    field('Your status', statusSelect), statusError),
  h('section', { 'aria-labelledby': 'offers-title' }, h('h2', { id: 'offers-title' }, 'Incoming conversations'), noOffers, offersList),
  h('section', { id: 'conversations', 'aria-labelledby': 'conversations-title' },
    h('h2', { id: 'conversations-title' }, 'Conversations'), noConversations, tabs, panels),
  h('section', { 'aria-labelledby': 'notices-title' }, h('h2', { id: 'notices-title' }, 'Notices'), noticesList),
  h('section', { id: 'rules-section', 'aria-labelledby': 'rules-title' }, h('h2', { id: 'rules-title' }, 'Handling rules'),
    h('form', { class: 'column', onsubmit: (event: Event) => { event.preventDefault(); void saveRules(); } },
      field('Rules document (JSON, see docs/RULES.md)', rulesText),
      h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Save rules'),
        h('button', { type: 'button', class: 'secondary', onclick: () => void loadRules() }, 'Reload'))),
    rulesResult,
    h('h3', {}, 'Suggestions'), suggestionsNote, suggestionsList),
  popup);

let client: SwitchboardClient | null = null;
let popupTimer: ReturnType<typeof setTimeout> | undefined;

interface Tab {
  id: string;
  peer: string;
  button: HTMLButtonElement;
  panel: HTMLElement;
  log: HTMLOListElement;
  unread: number;
  open: boolean;
}

const conversations = new Map<string, Tab>();
const offers = new Map<string, { offer: OfferFrame; item: HTMLLIElement; left: HTMLElement }>();

const session = new Session('agent', 'ShopAssistant1', (next) => {
  client = next;
  next.on('offer', addOffer);
  next.on('offer-withdrawn', (withdrawn) => dropOffer(withdrawn.conversation,
    withdrawn.reason === 'timeout' ? 'expired' : withdrawn.reason === 'answered' ? 'answered elsewhere' : 'withdrawn'));
  next.on('message', received);
  next.on('closed', (closed) => {
    const tab = conversations.get(closed.conversation);
    if (tab) {
      ended(tab, closed.reason === 'transferred' ? 'Transferred.' : `Closed by ${closed.by}${closed.reason === 'disconnected' ? ' (disconnected)' : ''}.`);
    }
  });
  next.on('transferred', (moved) => {
    const tab = conversations.get(moved.conversation);
    if (tab) {
      addNote(tab.log, `Transferred to ${moved.agent ?? moved.to}.`);
    }
  });
  next.on('resume-failed', (failed) => {
    const tab = conversations.get(failed.conversation);
    if (tab) {
      ended(tab, 'Ended while you were away.');
    }
  });
  next.on('notice', addNotice);
  next.on('suggestions', (frame) => showSuggestions(frame.suggestions));
}, () => {
  show(desk, true);
  void client?.setStatus(statusSelect.value as SettableStatus).catch(() => undefined);
  void loadRules();
  void loadSuggestions();
});
void session.start();

statusSelect.addEventListener('change', () => {
  statusError.textContent = '';
  client?.setStatus(statusSelect.value as SettableStatus).catch((failure: Error) => statusError.textContent = failure.message);
});

// --- offers

function addOffer(offer: OfferFrame): void {
  dropOffer(offer.conversation, null);
  const left = h('span', { class: 'time-left' });
  const accept = h('button', { type: 'button', onclick: () => answer(offer, true) }, 'Accept');
  const decline = h('button', { type: 'button', class: 'secondary', onclick: () => answer(offer, false) }, 'Decline');
  const item = h('li', { class: 'offer', 'data-conversation': offer.conversation },
    h('p', {}, h('strong', {}, offer.from), ` wants to talk to ${offer.to}`,
      offer.transfer ? ` (transferred by ${offer.transfer.from}${offer.transfer.note ? `: “${offer.transfer.note}”` : ''})` : ''),
    left, ' ', accept, ' ', decline);
  offers.set(offer.conversation, { offer, item, left });
  offersList.append(item);
  // Announced (aria-live), not focused: the agent may be typing in a conversation.
  tick();
}

function dropOffer(conversation: string, why: string | null): void {
  const held = offers.get(conversation);
  if (!held) {
    return;
  }
  offers.delete(conversation);
  held.item.remove();
  if (why) {
    addNoticeText(`Offer from ${held.offer.from}: ${why}.`);
  }
  show(noOffers, offers.size === 0);
}

/** Counts each offer's time down; one that ran out goes (the node would refuse the answer). */
function tick(): void {
  show(noOffers, offers.size === 0);
  for (const [conversation, { offer, left }] of offers) {
    const seconds = Math.ceil((offer.expires - Date.now()) / 1000);
    if (seconds <= 0) {
      dropOffer(conversation, 'expired');
    } else {
      left.textContent = `${seconds} s left`;
    }
  }
}
setInterval(tick, 500);

function answer(offer: OfferFrame, accepting: boolean): void {
  if (!client) {
    return;
  }
  dropOffer(offer.conversation, null);
  if (!accepting) {
    client.decline(offer.conversation).catch((failure: Error) => addNoticeText(`Decline failed: ${failure.message}`));
    return;
  }
  const tab = openTab(offer.conversation, offer.from);
  client.accept(offer.conversation).then(() => select(tab), (failure: unknown) => {
    ended(tab, failure instanceof SwitchboardError && failure.code === 'gone'
      ? 'Too late: the offer had moved on.' : `Could not accept: ${(failure as Error).message}`);
  });
}

// --- conversations in tabs

function openTab(id: string, peer: string): Tab {
  const existing = conversations.get(id);
  if (existing) {
    return existing;
  }
  const index = conversations.size + 1;
  const button = h('button', {
    type: 'button', role: 'tab', id: `tab-${index}`, 'aria-controls': `panel-${index}`, 'aria-selected': 'false',
    tabindex: -1, 'data-conversation': id,
  }, peer);
  const log = h('ol', { class: 'messages', 'aria-live': 'polite', 'aria-label': `Messages with ${peer}` });
  const body = h('input', { name: 'body', autocomplete: 'off', required: true, maxlength: 16000 });
  const to = h('input', { name: 'to', autocomplete: 'off', required: true });
  const note = h('input', { name: 'note', autocomplete: 'off' });
  const panel = h('section', { role: 'tabpanel', id: `panel-${index}`, 'aria-labelledby': `tab-${index}`, hidden: true, 'data-conversation': id },
    log,
    h('form', { class: 'row compose', onsubmit: (event: Event) => { event.preventDefault(); sendFrom(tab, body); } },
      field('Message', body), h('button', { type: 'submit' }, 'Send')),
    h('details', {}, h('summary', {}, 'Transfer'),
      h('form', { class: 'row', onsubmit: (event: Event) => { event.preventDefault(); transfer(tab, to.value.trim(), note.value.trim()); } },
        field('Transfer to (user or virtual user)', to), field('Note for them', note), h('button', { type: 'submit' }, 'Transfer'))),
    h('button', { type: 'button', class: 'secondary close', onclick: () => void client?.closeConversation(id).catch(() => undefined) }, 'Close conversation'));
  const tab: Tab = { id, peer, button, panel, log, unread: 0, open: true };
  button.addEventListener('click', () => select(tab));
  button.addEventListener('keydown', (event) => moveFocus(tab, event));
  conversations.set(id, tab);
  tabs.append(button);
  panels.append(panel);
  show(noConversations, false);
  if (conversations.size === 1) {
    select(tab);
  }
  return tab;
}

function select(tab: Tab): void {
  for (const other of conversations.values()) {
    const selected = other === tab;
    other.button.setAttribute('aria-selected', String(selected));
    other.button.tabIndex = selected ? 0 : -1;
    other.panel.hidden = !selected;
  }
  tab.unread = 0;
  label(tab);
}

/** Arrow keys, Home and End move between tabs (the WAI-ARIA tabs pattern). */
function moveFocus(tab: Tab, event: KeyboardEvent): void {
  const all = [...conversations.values()];
  const at = all.indexOf(tab);
  const to = event.key === 'ArrowRight' ? all[(at + 1) % all.length]
    : event.key === 'ArrowLeft' ? all[(at - 1 + all.length) % all.length]
    : event.key === 'Home' ? all[0] : event.key === 'End' ? all[all.length - 1] : undefined;
  if (to) {
    event.preventDefault();
    select(to);
    to.button.focus();
  }
}

function label(tab: Tab): void {
  tab.button.textContent = tab.peer + (tab.unread > 0 ? ` (${tab.unread} new)` : '') + (tab.open ? '' : ' (ended)');
}

function received(message: MessageFrame): void {
  const tab = openTab(message.conversation, message.from);
  const line = addMessage(tab.log, message.seq, message.from, message.body, message.ts, 'theirs');
  if (message.auto) {
    line.classList.add('auto');
  }
  const visible = !tab.panel.hidden && document.hasFocus();
  if (message.notify === 'none') {
    return;
  }
  if (!visible) {
    tab.unread++;
    label(tab);
  }
  // `silent`: counted on the tab, no popup.
  if (message.notify === 'popup' && !visible) {
    replace(popup, h('strong', {}, message.from), ': ', message.body,
      h('button', { type: 'button', onclick: () => { select(tab); show(popup, false); } }, 'Show'));
    show(popup, true);
    clearTimeout(popupTimer);
    popupTimer = setTimeout(() => show(popup, false), 8000);
  }
}

function sendFrom(tab: Tab, body: HTMLInputElement): void {
  const text = body.value;
  if (!text.trim() || !client) {
    return;
  }
  body.value = '';
  const line = addMessage(tab.log, null, 'You', text, Date.now(), 'mine');
  client.send(tab.id, text).then((ack) => markSent(line, ack.seq), (failure: Error) => markFailed(line, failure.message));
}

function transfer(tab: Tab, to: string, note: string): void {
  if (!client || !to) {
    return;
  }
  addNote(tab.log, `Transferring to ${to}…`);
  client.transfer(tab.id, to, note || undefined).then(() => ended(tab, `Transferred to ${to}.`),
    (failure: unknown) => addNote(tab.log, failure instanceof SwitchboardError && failure.code === 'unknown_type'
      ? 'This node cannot transfer conversations yet.' : `Transfer failed: ${(failure as Error).message}`));
}

function ended(tab: Tab, why: string): void {
  if (!tab.open) {
    return;
  }
  tab.open = false;
  addNote(tab.log, why);
  tab.panel.querySelectorAll('input, button').forEach((control) => (control as HTMLInputElement).disabled = true);
  tab.panel.append(h('button', { type: 'button', onclick: () => removeTab(tab) }, 'Remove this tab'));
  label(tab);
}

function removeTab(tab: Tab): void {
  conversations.delete(tab.id);
  tab.button.remove();
  tab.panel.remove();
  const first = conversations.values().next().value;
  if (first) {
    select(first);
    first.button.focus();
  }
  show(noConversations, conversations.size === 0);
}

// --- notices and rules

const NOTICE_TEXT: Record<string, string> = {
  held: 'held for later',
  released: 'released',
  'auto-replied': 'answered automatically',
  dropped: 'dropped',
  transcript: 'recorded in the transcript only',
};

function addNotice(notice: NoticeFrame): void {
  const peer = notice.conversation ? conversations.get(notice.conversation)?.peer : undefined;
  addNoticeText(`${notice.count} message${notice.count === 1 ? '' : 's'} ${NOTICE_TEXT[notice.action] ?? notice.action}`
    + (peer ? ` from ${peer}` : '') + (notice.rule ? ` (rule ${notice.rule})` : '') + '.');
}

function addNoticeText(text: string): void {
  noticesList.prepend(h('li', {}, h('time', {}, new Date().toLocaleTimeString()), ' ', text));
  while (noticesList.children.length > 50) {
    noticesList.lastElementChild!.remove();
  }
}

async function loadRules(): Promise<void> {
  try {
    rulesText.value = JSON.stringify(await client!.getRules(), null, 2);
    rulesResult.textContent = '';
  } catch (failure) {
    rulesResult.textContent = `Could not read the rules: ${(failure as Error).message}`;
  }
}

async function saveRules(): Promise<void> {
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(rulesText.value) as Record<string, unknown>;
  } catch (failure) {
    rulesResult.textContent = `Not JSON: ${(failure as Error).message}`;
    return;
  }
  try {
    await client!.setRules(document);
    rulesResult.textContent = 'Saved.';
  } catch (failure) {
    rulesResult.textContent = `Not saved: ${(failure as Error).message}`;
  }
}

async function loadSuggestions(): Promise<void> {
  try {
    showSuggestions(await client!.getSuggestions());
  } catch (failure) {
    suggestionsNote.textContent = failure instanceof SwitchboardError && failure.code === 'unknown_type'
      ? 'This node makes no suggestions yet.' : `Could not read suggestions: ${(failure as Error).message}`;
  }
}

function showSuggestions(suggestions: Suggestion[]): void {
  suggestionsNote.textContent = suggestions.length === 0 ? 'No suggestions.' : '';
  replace(suggestionsList, ...suggestions.map((suggestion) => h('li', { class: 'suggestion' },
    h('p', {}, suggestion.evidence),
    h('p', { class: 'meta' }, `seen ${suggestion.support} times, confidence ${Math.round(suggestion.confidence * 100)} %`),
    h('pre', {}, JSON.stringify(suggestion.rule, null, 2)),
    h('button', { type: 'button', onclick: () => decide(suggestion, true) }, 'Adopt'), ' ',
    h('button', { type: 'button', class: 'secondary', onclick: () => decide(suggestion, false) }, 'Dismiss'))));
}

function decide(suggestion: Suggestion, adopt: boolean): void {
  const request = adopt ? client?.adoptSuggestion(suggestion.id) : client?.dismissSuggestion(suggestion.id);
  request?.then(() => Promise.all([loadSuggestions(), adopt ? loadRules() : undefined]),
    (failure: Error) => suggestionsNote.textContent = `Could not ${adopt ? 'adopt' : 'dismiss'}: ${failure.message}`);
}
