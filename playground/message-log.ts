/**
 * What the page's channels show: every message Flock posted or answered with, who may see it
 * (an ephemeral reply is its interaction user's alone), and the forms Flock opened. The page is
 * told of each change as it happens (`subscribe`), and gets the whole log when it connects.
 */
import type { Message } from '../test/emulators/discord/interactions.js';

/** A message as the page shows it. */
export interface Shown {
  message: Message;
  /** Set for an ephemeral message: the one user who sees it ("Only you can see this"). */
  onlyFor?: string;
}

/** A form (modal) Flock opened for `onlyFor`, from a button on `messageId` when there is one. */
export interface OpenedModal {
  onlyFor: string;
  channelId: string;
  messageId?: string;
  modal: Record<string, unknown>;
}

export type LogEvent =
  | { kind: 'message'; shown: Shown }
  | { kind: 'delete'; id: string }
  | { kind: 'modal'; opened: OpenedModal }
  | { kind: 'notice'; onlyFor: string; channelId: string; text: string };

/** A playground runs for hours at most; past this the oldest messages are forgotten. */
const MAX_MESSAGES = 1_000;

export class MessageLog {
  readonly #shown = new Map<string, Shown>();
  readonly #listeners = new Set<(event: LogEvent) => void>();

  /** Adds the message or, when it is known, tells the page that it changed (an edit keeps the object). */
  upsert(message: Message, onlyFor?: string): void {
    // Whoever saw it first keeps seeing it: a click by someone else never widens an ephemeral reply.
    const owner = this.#shown.get(message.id)?.onlyFor ?? onlyFor;
    const shown: Shown = owner ? { message, onlyFor: owner } : { message };
    this.#shown.set(message.id, shown);
    if (this.#shown.size > MAX_MESSAGES) {
      const oldest = this.#shown.keys().next().value;
      if (oldest !== undefined) this.#shown.delete(oldest);
    }
    this.#emit({ kind: 'message', shown });
  }

  remove(id: string): void {
    if (this.#shown.delete(id)) this.#emit({ kind: 'delete', id });
  }

  get(id: string): Shown | undefined {
    return this.#shown.get(id);
  }

  all(): Shown[] {
    return [...this.#shown.values()];
  }

  modal(opened: OpenedModal): void {
    this.#emit({ kind: 'modal', opened });
  }

  /** A line from Discord itself rather than Flock, such as "did not respond". */
  notice(onlyFor: string, channelId: string, text: string): void {
    this.#emit({ kind: 'notice', onlyFor, channelId, text });
  }

  subscribe(listener: (event: LogEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: LogEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
