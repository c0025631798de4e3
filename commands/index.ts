/**
 * Every slash command, in the order Discord lists them. The router and the command sync both
 * read this list; a test checks that it names every file in this folder.
 */
import type { Command } from '../src/discord/command.js';
import { alerts } from './alerts.js';
import { blocks } from './blocks.js';
import { exportCommand } from './export.js';
import { follow } from './follow.js';
import { followers } from './followers.js';
import { following } from './following.js';
import { help } from './help.js';
import { insights } from './insights.js';
import { link } from './link.js';
import { lookup } from './lookup.js';
import { mute } from './mute.js';
import { mutes } from './mutes.js';
import { unfollow } from './unfollow.js';
import { unlink } from './unlink.js';
import { unmute } from './unmute.js';

export const COMMANDS: readonly Command[] = [
  followers,
  following,
  lookup,
  link,
  unlink,
  follow,
  unfollow,
  blocks,
  mutes,
  mute,
  unmute,
  insights,
  exportCommand,
  alerts,
  help,
];
