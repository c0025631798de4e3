/** The Followers and Following buttons of a /lookup card (`lookup:<list>:<x id>`): a new list for the clicker. */
import type { ButtonHandler } from '../discord/command.js';
import { LOOKUP_NAMESPACE } from './render-profile.js';
import { showList } from './show-list.js';

export const lookupButtons: ButtonHandler = {
  namespace: LOOKUP_NAMESPACE,
  async handle(interaction, id, services, reply) {
    const list = id.action === 'following' ? 'following' : 'followers';
    await showList(interaction, services, reply, list, { kind: 'id', id: id.args[0] ?? '' });
  },
};
