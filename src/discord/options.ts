/**
 * A command's options read from its own definition: `readOptions(interaction, [USER_OPTION])`
 * gives `{ user: string }`, typed from the definition (required or not, a string's choices as
 * their values, channels and roles as Discord resolved them), so no handler repeats an option's
 * name as a string or casts what it reads. A value outside a string option's choices (which
 * Discord should never send) is refused rather than passed on.
 */
import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { UserError } from '../user-error.js';

type Options = ChatInputCommandInteraction['options'];
type ChannelValue = NonNullable<ReturnType<Options['getChannel']>>;
type RoleValue = NonNullable<ReturnType<Options['getRole']>>;

type ValueOf<O> = O extends {
  type: ApplicationCommandOptionType.String;
  choices: readonly { value: infer V }[];
}
  ? V
  : O extends { type: ApplicationCommandOptionType.String }
    ? string
    : O extends { type: ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number }
      ? number
      : O extends { type: ApplicationCommandOptionType.Boolean }
        ? boolean
        : O extends { type: ApplicationCommandOptionType.Channel }
          ? ChannelValue
          : O extends { type: ApplicationCommandOptionType.Role }
            ? RoleValue
            : never;

/** Each option by its name: its value, or undefined where it is optional and was left out. */
export type OptionValues<Defs extends readonly APIApplicationCommandBasicOption[]> = {
  [O in Defs[number] as O['name']]: O extends { required: true } ? ValueOf<O> : ValueOf<O> | undefined;
};

export function readOptions<const Defs extends readonly APIApplicationCommandBasicOption[]>(
  interaction: ChatInputCommandInteraction,
  definitions: Defs,
): OptionValues<Defs> {
  const values: Record<string, unknown> = {};
  for (const option of definitions) values[option.name] = readOne(interaction.options, option);
  return values as OptionValues<Defs>;
}

function readOne(options: Options, option: APIApplicationCommandBasicOption): unknown {
  const required = option.required === true;
  switch (option.type) {
    case ApplicationCommandOptionType.String: {
      const value = options.getString(option.name, required) ?? undefined;
      const choices = 'choices' in option ? option.choices : undefined;
      if (value !== undefined && choices?.length && !choices.some((c) => c.value === value))
        throw new UserError((t) => t('errors:not-a-choice', { option: option.name }));
      return value;
    }
    case ApplicationCommandOptionType.Integer:
      return options.getInteger(option.name, required) ?? undefined;
    case ApplicationCommandOptionType.Number:
      return options.getNumber(option.name, required) ?? undefined;
    case ApplicationCommandOptionType.Boolean:
      return options.getBoolean(option.name, required) ?? undefined;
    case ApplicationCommandOptionType.Channel:
      return options.getChannel(option.name, required) ?? undefined;
    case ApplicationCommandOptionType.Role:
      return options.getRole(option.name, required) ?? undefined;
    default:
      throw new Error(`readOptions does not read options of type ${option.type}`);
  }
}
