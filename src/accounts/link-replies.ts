/** What /link shows: the current link with Relink and Unlink buttons, or a button to connect. */
import { type APIActionRowComponent, type APIButtonComponent, ButtonStyle, ComponentType } from 'discord.js';
import { encodeCustomId } from '../discord/custom-id.js';
import { xHandle } from '../discord/x-text.js';
import type { Unlinked } from './linked-accounts.js';
import type { Link } from './links.js';

export const LINK_NAMESPACE = 'link';

type Reply = { content: string; components: APIActionRowComponent<APIButtonComponent>[] };

export function linkedReply(link: Link): Reply {
  return {
    content: `Your Discord account is linked to X as **${xHandle(link)}**. \`/follow\` and \`/unfollow\` act as that account.`,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: 'Relink',
            custom_id: encodeCustomId(LINK_NAMESPACE, 'relink'),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Danger,
            label: 'Unlink',
            custom_id: encodeCustomId(LINK_NAMESPACE, 'unlink'),
          },
        ],
      },
    ],
  };
}

export function connectReply(url: string): Reply {
  return {
    content:
      'Connect your X account to follow and unfollow from Discord. The button first asks you to sign in with ' +
      'Discord (so only you can use it), then opens X, where you approve Flock. It works for 10 minutes, in one browser.',
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Link, label: 'Connect X account', url },
        ],
      },
    ],
  };
}

export function unlinkedText(result: Unlinked | undefined): string {
  if (!result) return 'You have no linked X account.';
  const name = `**${xHandle(result.link)}**`;
  const text = result.revoked
    ? `Unlinked ${name}: Flock revoked its access at X and deleted everything it stored for you.`
    : `Unlinked ${name} and deleted everything stored for you, but X did not confirm the revocation. ` +
      'You can also remove Flock on x.com under Settings → Security and account access → Apps and sessions.';
  return result.cleared
    ? text
    : `${text} Discord did not answer when Flock cleared your Linked Roles, so any role they gave you may stay a little longer: Flock keeps trying.`;
}
