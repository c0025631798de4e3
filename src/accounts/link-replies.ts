/** What /link shows: the current link with Relink and Unlink buttons, or a button to connect. */
import { type APIActionRowComponent, type APIButtonComponent, ButtonStyle, ComponentType } from 'discord.js';
import { encodeCustomId } from '../discord/custom-id.js';
import { xHandle } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';
import type { Unlinked } from './linked-accounts.js';
import type { Link } from './links.js';

export const LINK_NAMESPACE = 'link';

type Reply = { content: string; components: APIActionRowComponent<APIButtonComponent>[] };

export function linkedReply(link: Link, t: Translator): Reply {
  return {
    content: t('accounts:link.current', { who: xHandle(link) }),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: t('accounts:link.relink'),
            custom_id: encodeCustomId(LINK_NAMESPACE, 'relink'),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Danger,
            label: t('accounts:link.unlink'),
            custom_id: encodeCustomId(LINK_NAMESPACE, 'unlink'),
          },
        ],
      },
    ],
  };
}

export function connectReply(url: string, t: Translator): Reply {
  return {
    content: t('accounts:link.connect'),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Link,
            label: t('accounts:link.connect-button'),
            url,
          },
        ],
      },
    ],
  };
}

export function unlinkedText(result: Unlinked | undefined, t: Translator): string {
  if (!result) return t('accounts:unlink.none');
  const who = xHandle(result.link);
  const text = result.revoked
    ? t('accounts:unlink.revoked', { who })
    : t('accounts:unlink.unconfirmed', { who });
  return result.cleared ? text : t('accounts:unlink.roles-pending', { unlinked: text });
}
