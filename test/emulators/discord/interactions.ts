/**
 * One interaction as Discord tracks it: dispatched at a moment, acknowledged once within 3 s,
 * its token good for 15 minutes of edits and follow-ups. Tests hold the record to await what
 * the bot answered.
 */
import { EventEmitter } from 'node:events';

export const InteractionType = {
  Ping: 1,
  Command: 2,
  Component: 3,
  Autocomplete: 4,
  ModalSubmit: 5,
} as const;
export const CallbackType = {
  Reply: 4,
  DeferredReply: 5,
  DeferredUpdate: 6,
  Update: 7,
  Autocomplete: 8,
  Modal: 9,
} as const;

export const MessageFlags = { Ephemeral: 64, Loading: 128 } as const;

export interface Message {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: Record<string, unknown>;
  content: string;
  embeds: Record<string, unknown>[];
  components: Record<string, unknown>[];
  flags: number;
  type: number;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: string[];
  attachments: unknown[];
  pinned: boolean;
  nonce?: string | number;
  application_id?: string;
  webhook_id?: string;
  interaction_metadata?: Record<string, unknown>;
  /** Not Discord's: what allowed_mentions let this message ping, for tests. */
  allowed_mentions?: unknown;
}

export interface Callback {
  type: number;
  data: Record<string, unknown> | undefined;
  at: number;
  /** The HTTP status the emulator answered with. */
  status: number;
  /** Discord's error code when it refused the callback. */
  code?: number;
}

export class Interaction extends EventEmitter {
  readonly callbacks: Callback[] = [];
  acknowledged: { type: number; at: number } | undefined;
  /** The reply (types 4/5) or, for components, the message the component is on. */
  original: Message | undefined;
  readonly followups: Message[] = [];
  /** Set when this interaction changed its message (an update, or an edit through its token). */
  edited = false;
  choices: unknown[] | undefined;
  modal: Record<string, unknown> | undefined;

  constructor(
    readonly id: string,
    readonly token: string,
    readonly type: number,
    readonly payload: Record<string, unknown>,
    readonly dispatchedAt: number,
    /** For component interactions: the message the component is on. */
    readonly sourceMessage?: Message,
  ) {
    super();
  }

  /** The first callback Discord accepted. */
  acknowledgement(timeoutMs = 5000): Promise<Callback> {
    const accepted = this.callbacks.find((c) => c.status < 300);
    if (accepted) return Promise.resolve(accepted);
    return this.#waitFor(() => this.callbacks.find((c) => c.status < 300), timeoutMs, 'an acknowledgement');
  }

  /**
   * The original response once it is final (not "thinking…") and `test` holds for it: for a
   * deferred reply that is after the edit; for a component, after the message was updated.
   */
  reply(test: (message: Message) => boolean = () => true, timeoutMs = 8000): Promise<Message> {
    return this.#waitFor(
      () => {
        const message = this.original;
        if (!message || message.flags & MessageFlags.Loading) return undefined;
        if (this.acknowledged?.type === CallbackType.DeferredUpdate && !this.edited) return undefined;
        return test(message) ? message : undefined;
      },
      timeoutMs,
      'the reply',
    );
  }

  /** Resolves with the autocomplete choices. */
  async autocompleteChoices(timeoutMs = 5000): Promise<unknown[]> {
    await this.acknowledgement(timeoutMs);
    return this.choices ?? [];
  }

  changed(): void {
    this.emit('change');
  }

  #waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const now = check();
      if (now !== undefined) return resolve(now);
      const timer = setTimeout(() => {
        this.off('change', onChange);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} to interaction ${this.id}`));
      }, timeoutMs);
      const onChange = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        this.off('change', onChange);
        resolve(value);
      };
      this.on('change', onChange);
    });
  }
}
