/**
 * What command and button handlers are given: the configured parts of Flock, built once in
 * app.ts. Handlers call these; they never build their own clients or read the environment.
 */
import type { LinkFlow } from './accounts/link-flow.js';
import type { LinkedAccounts } from './accounts/linked-accounts.js';
import type { RoleRefresher } from './accounts/role-refresher.js';
import type { AccountStates } from './alerts/account-state.js';
import type { AlertSchedule } from './alerts/schedule.js';
import type { Subscriptions } from './alerts/subscriptions.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Insights } from './insights/insights.js';
import type { Logger } from './log.js';
import type { AccountDirectory } from './paging/account-directory.js';
import type { Paging } from './paging/paging.js';
import type { Store } from './store/open-store.js';
import type { XClient } from './x/index.js';

export interface Services {
  config: Config;
  log: Logger;
  clock: Clock;
  store: Store;
  x: XClient;
  accounts: AccountDirectory;
  paging: Paging;
  /** Discord users' linked X accounts and their tokens. */
  linked: LinkedAccounts;
  linking: LinkFlow;
  /** Keeps Linked Roles values current; undefined when linking is not configured. */
  roleRefresher: RoleRefresher | undefined;
  alerts: { subscriptions: Subscriptions; states: AccountStates; schedule: AlertSchedule };
  /** /insights and /export: estimates, full list reads, comparisons and CSV files. */
  insights: Insights;
}
