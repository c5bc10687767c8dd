/**
 * `/chat`: the customer's widget. Open a conversation with a virtual user, wait (with the queue position when the
 * node tells it), talk, and close; the client library reconnects and resumes by itself, and the page says so. A
 * reload finds the conversation again (kept in this tab's session storage) and reads it back from the transcript.
 */
import { SwitchboardError, type SwitchboardClient } from '../../../js/src/index.js';
import { byId, field, h, replace, show } from './dom.js';
import { addMessage, addNote, markFailed, markSent } from './messages.js';
import { Session } from './session.js';

const main = byId('main');
const start = h('section', { id: 'start', hidden: true, 'aria-labelledby': 'start-title' });
const waiting = h('section', { id: 'waiting', hidden: true, 'aria-live': 'polite' });
const talk = h('section', { id: 'conversation', hidden: true, 'aria-labelledby': 'conversation-title' });
main.append(start, waiting, talk);

let client: SwitchboardClient | null = null;
/** The conversation under way, if any, with the seqs its log shows (a message reaches the page once). */
let current: { id: string; with: string; log: HTMLOListElement; form: HTMLFormElement; shown: Set<number> } | null = null;
const SAVED_KEY = 'switchboard.chat.conversation';
/** Transcript pages read back after a reload: the node keeps a conversation's last 1,000 messages, 100 a page. */
const TRANSCRIPT_PAGES = 10;

const session = new Session('chat', 'abc', (next) => {
  client = next;
  next.on('message', (message) => {
    if (current && message.conversation === current.id) {
      showOnce(message.seq, message.from, message.body, message.ts, 'theirs');
    }
  });
  next.on('transferred', (moved) => {
    if (current && moved.conversation === current.id) {
      current.with = moved.agent ?? moved.to;
      save();
      addNote(current.log, `You are now talking to ${current.with}.`);
    }
  });
  next.on('closed', (closed) => {
    if (current && closed.conversation === current.id) {
      ended(closed.by === session.client?.user ? 'You closed the conversation.'
        : `${closed.by} closed the conversation${closed.reason === 'disconnected' ? ' (disconnected)' : ''}.`);
    }
  });
  next.on('resume-failed', (failed) => {
    if (current && failed.conversation === current.id) {
      ended('The conversation ended while you were away.');
    }
  });
}, () => {
  if (current) {
    return;
  }
  const saved = sessionStorage.getItem(SAVED_KEY);
  if (saved) {
    void restore(JSON.parse(saved) as { id: string; with: string });
  } else {
    showStart(null);
  }
});
void session.start();

function save(): void {
  if (current) {
    sessionStorage.setItem(SAVED_KEY, JSON.stringify({ id: current.id, with: current.with }));
  } else {
    sessionStorage.removeItem(SAVED_KEY);
  }
}

/** A message line, unless the log shows its seq already. */
function showOnce(seq: number, from: string, body: string, ts: number, side: 'mine' | 'theirs'): void {
  if (current && !current.shown.has(seq)) {
    current.shown.add(seq);
    addMessage(current.log, seq, from, body, ts, side);
  }
}

/** After a reload: the conversation's transcript, then `resume` from its last seq, so that the client follows it. */
async function restore(saved: { id: string; with: string }): Promise<void> {
  conversation(saved.id, saved.with);
  const me = client!.user;
  let after = 0;
  try {
    for (let page = 0, more = true; more && page < TRANSCRIPT_PAGES; page++) {
      const transcript = await client!.transcript(saved.id, { after });
      for (const message of transcript.messages) {
        showOnce(message.seq, message.from === me ? 'You' : message.from, message.body, message.ts, message.from === me ? 'mine' : 'theirs');
        after = message.seq;
      }
      more = transcript.more && transcript.messages.length > 0;
    }
    await client!.resume(saved.id, after);
  } catch (failure) {
    ended(failure instanceof SwitchboardError && failure.code === 'gone' ? 'The conversation has ended.'
      : `The conversation could not be read back: ${(failure as Error).message}`);
  }
}

function showStart(problem: string | null): void {
  const to = h('input', { id: 'to', name: 'to', value: new URLSearchParams(location.search).get('to') ?? 'XianFengShuDian', required: true });
  replace(start,
    h('h2', { id: 'start-title' }, 'Start a conversation'),
    problem ? h('p', { class: 'error', role: 'alert' }, problem) : null,
    h('form', { class: 'row', onsubmit: (event: Event) => { event.preventDefault(); open(to.value.trim()); } },
      field('Talk to', to), h('button', { type: 'submit' }, 'Open conversation')));
  show(start, true);
  show(waiting, false);
  show(talk, false);
  to.focus();
}

function open(to: string): void {
  if (!client) {
    return;
  }
  const position = h('p', { id: 'queue-position' }, 'Finding someone for you…');
  const opening = client.open(to, {
    onQueued: (queued) => position.textContent = `You are number ${queued.position} in the queue`
      + (queued.estimatedWait !== null ? ` (about ${Math.ceil(queued.estimatedWait / 1000)} s)` : '') + '.',
  });
  const cancel = h('button', { type: 'button', onclick: () => void client?.cancelOpen(opening.id).catch(() => undefined) }, 'Cancel');
  replace(waiting, h('h2', {}, `Waiting for ${to}`), position, cancel);
  show(start, false);
  show(waiting, true);
  opening.then((opened) => conversation(opened.conversation, opened.agent ?? opened.to), (failure: unknown) => {
    const code = failure instanceof SwitchboardError ? failure.code : '';
    showStart(code === 'cancelled' ? null
      : code === 'unavailable' ? `Nobody at ${to} can talk right now; try again later.`
      : code === 'timeout' ? `Nobody at ${to} answered in time; try again.`
      : code === 'not_found' ? `There is no ${to}.`
      : `The conversation could not be opened: ${(failure as Error).message}`);
  });
}

function conversation(id: string, peer: string): void {
  const log = h('ol', { id: 'messages', class: 'messages', 'aria-live': 'polite', 'aria-label': 'Messages' });
  const body = h('input', { id: 'body', name: 'body', autocomplete: 'off', required: true, maxlength: 16000 });
  const form = h('form', {
    class: 'row compose',
    onsubmit: (event: Event) => {
      event.preventDefault();
      const text = body.value;
      if (!text.trim() || !client) {
        return;
      }
      body.value = '';
      const line = addMessage(log, null, 'You', text, Date.now(), 'mine');
      client.send(id, text).then((ack) => {
        current?.shown.add(ack.seq);
        markSent(line, ack.seq);
      },
        (failure: Error) => markFailed(line, failure.message));
    },
  }, field('Message', body), h('button', { type: 'submit' }, 'Send'));
  const close = h('button', { type: 'button', class: 'secondary', onclick: () => void client?.closeConversation(id).catch(() => undefined) }, 'Close conversation');
  current = { id, with: peer, log, form, shown: new Set() };
  save();
  replace(talk, h('h2', { id: 'conversation-title' }, `Talking to ${peer}`), log, form, close);
  talk.dataset.conversation = id;
  show(waiting, false);
  show(talk, true);
  body.focus();
}

function ended(why: string): void {
  if (!current) {
    return;
  }
  addNote(current.log, why);
  current.form.querySelectorAll('input, button').forEach((control) => (control as HTMLInputElement).disabled = true);
  const again = h('button', { type: 'button', onclick: () => showStart(null) }, 'Start a new conversation');
  talk.querySelector('button.secondary')?.remove();
  talk.append(again);
  current = null;
  save();
  again.focus();
}
