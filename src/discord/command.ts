/**
 * The shape of a slash command file and of a button handler. Definitions are plain REST bodies,
 * checked with `satisfies`, and the same objects are what gets registered with Discord. Both are
 * handed the interaction's Responder, which answers in one response when the answer is quick.
 */
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Wording } from '../i18n/translate.js';
import type { Services } from '../services.js';
import type { CustomId } from './custom-id.js';
import type { Precondition } from './preconditions.js';
import type { Responder } from './replies.js';

export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** What must hold before `execute` runs; the router checks each, in order, and answers the first that fails. */
  needs?: readonly Precondition[];
  /** The command's own words for a need it does not meet, where they say more than the generic ones. */
  needsText?: Partial<Record<Precondition, Wording>>;
  execute(interaction: ChatInputCommandInteraction, services: Services, reply: Responder): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, services: Services): Promise<void>;
}

export interface ButtonHandler {
  /** The custom_id namespace it owns. */
  namespace: string;
  handle(interaction: ButtonInteraction, id: CustomId, services: Services, reply: Responder): Promise<void>;
  /** A form (modal) one of its buttons opened, submitted; its custom_id is in the same namespace. */
  submit?(
    interaction: ModalSubmitInteraction,
    id: CustomId,
    services: Services,
    reply: Responder,
  ): Promise<void>;
}
