/**
 * Keeps Linked Roles values current: once a UTC day at most, each user who signed in with Discord
 * gets their values rewritten from their X account as it is now (followers change). X is asked
 * 100 accounts to a request with the app's token; a rate limit, an outage or the daily budget
 * ends the tick, and the next tick carries on where it stopped.
 */
import { type Clock, utcDay } from '../clock.js';
import type { Logger } from '../log.js';
import type { XClient, XUser } from '../x/index.js';
import type { Link, LinkStore } from './links.js';
import { connectionFor, ROLE_USER_FIELDS, type RoleConnections } from './role-connections.js';
import type { UserLocks } from './user-locks.js';

export interface RoleRefresherOptions {
  roles: RoleConnections;
  links: LinkStore;
  locks: UserLocks;
  x: XClient;
  clock: Clock;
  log: Logger;
  /** How often to look for users whose values are from an earlier day. */
  intervalMs?: number;
}

export class RoleRefresher {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(private readonly options: RoleRefresherOptions) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 60 * 60_000);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Rewrites the values of every user not yet refreshed today; returns how many were written. */
  tick(): Promise<number> {
    // Ticks never overlap: a tick that finds one running waits for it instead.
    this.#running ??= this.#tick().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #tick(): Promise<number> {
    const { links, x, log, clock, roles } = this.options;
    // Values Discord did not confirm clearing (an unlink while Discord was down) go first.
    await roles
      .retryClears()
      .catch((error: unknown) => log.warn('could not retry clearing Linked Roles', { error }));
    const today = utcDay(clock.now());
    let written = 0;
    try {
      // Inside the try: a tick runs from a timer, and a store that is away must not end the process.
      const due = (await links.all()).filter((link) => link.discord && link.rolesDay !== today);
      for (let i = 0; i < due.length; i += 100) {
        const chunk = due.slice(i, i + 100);
        const { users } = await x.usersByIds(
          chunk.map((l) => l.xUserId),
          { userFields: ROLE_USER_FIELDS },
        );
        const byId = new Map(users.map((u) => [u.id, u]));
        for (const link of chunk) {
          const user = byId.get(link.xUserId);
          if (user && (await this.#publish(link, user, today))) written += 1;
        }
      }
    } catch (error) {
      log.warn('Linked Roles refresh stopped early; the next tick continues', { error, written });
    }
    if (written) log.info('Linked Roles values refreshed', { written });
    return written;
  }

  #publish(seen: Link, user: XUser, today: string): Promise<boolean> {
    const { locks, links, roles } = this.options;
    return locks.run(seen.discordUserId, async () => {
      // Re-read under the lock: the user may have unlinked or relinked since the list was made.
      const current = await links.get(seen.discordUserId);
      if (!current?.discord || current.rolesDay === today || current.xUserId !== user.id) return false;
      return (await roles.publish(current, connectionFor(user))).rolesDay === today;
    });
  }
}
