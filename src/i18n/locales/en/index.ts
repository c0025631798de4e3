/**
 * English, the language every key is written in first and the fallback for any locale Flock does
 * not speak. One namespace per part of Flock.
 */
import { accounts } from './accounts.js';
import { alerts } from './alerts.js';
import { commands } from './commands.js';
import { errors } from './errors.js';
import { help } from './help.js';
import { insights } from './insights.js';
import { moderation } from './moderation.js';
import { paging } from './paging.js';
import { web } from './web.js';

export const en = {
  accounts,
  alerts,
  commands,
  errors,
  help,
  insights,
  moderation,
  paging,
  web,
} as const;
