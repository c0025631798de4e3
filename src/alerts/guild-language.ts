/**
 * Alerts speak the server's language, not that of whoever set them up: the server's preferred
 * locale as the gateway last said (it follows the server's settings), else the one Discord sent
 * when the alert was added (a process that does not hold the server's shard has no gateway word
 * of it), else English.
 */
import { type Translator, translator } from '../i18n/translate.js';
import type { Subscription } from './subscriptions.js';

/** The server's preferred locale as the gateway told this process, if it did. */
export type GuildLocale = (guildId: string) => string | undefined;

export function guildTranslator(
  guildLocale: GuildLocale | undefined,
  subscription: Pick<Subscription, 'guildId' | 'locale'>,
): Translator {
  return translator(guildLocale?.(subscription.guildId) ?? subscription.locale);
}
