import type { Catalogue } from '../../catalogue.js';
import { accounts } from './accounts.js';
import { alerts } from './alerts.js';
import { commands } from './commands.js';
import { errors } from './errors.js';
import { help } from './help.js';
import { insights } from './insights.js';
import { moderation } from './moderation.js';
import { paging } from './paging.js';
import { web } from './web.js';

export const es = {
  accounts,
  alerts,
  commands,
  errors,
  help,
  insights,
  moderation,
  paging,
  web,
} as const satisfies Catalogue;
