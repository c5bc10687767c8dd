/** A conversation's message log, shared by the chat and agent pages. */
import { clock, h } from './dom.js';

/** A message line; `seq` null until the node acknowledged it. */
export function addMessage(log: HTMLOListElement, seq: number | null, from: string, body: string, ts: number,
                           side: 'mine' | 'theirs'): HTMLLIElement {
  const line = h('li', { class: `message ${side}`, 'data-seq': seq ?? '' },
    h('span', { class: 'meta' }, h('span', { class: 'seq' }, seq !== null ? `#${seq}` : 'sending…'), ' ',
      h('span', { class: 'from' }, from), ' ', h('time', {}, clock(ts))),
    h('p', { class: 'body' }, body));
  log.append(line);
  line.scrollIntoView({ block: 'nearest' });
  return line;
}

export function markSent(line: HTMLLIElement, seq: number): void {
  line.dataset.seq = String(seq);
  line.querySelector('.seq')!.textContent = `#${seq}`;
}

export function markFailed(line: HTMLLIElement, why: string): void {
  line.classList.add('failed');
  line.querySelector('.seq')!.textContent = `not sent (${why})`;
}

export function addNote(log: HTMLOListElement, text: string): void {
  log.append(h('li', { class: 'note' }, text));
}

