/**
 * Every slash command, in the order Discord lists them. The router and the command sync both
 * read this list; a test checks that it names every file in this folder.
 */
import type { Command } from '../src/discord/command.js';
import { followers } from './followers.js';
import { following } from './following.js';
import { lookup } from './lookup.js';

export const COMMANDS: readonly Command[] = [followers, following, lookup];
