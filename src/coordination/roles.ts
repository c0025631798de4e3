/**
 * Background work that one process does at a time for the whole bot (alerts, the Linked Roles
 * refresh, the store sweeper): each is a role, held under a lease of its name. Every process
 * offers every role; the one that acquires a lease starts the role, the others stand by and try
 * again every few seconds. A holder that dies stops renewing and its lease runs out after its
 * TTL, so a standby takes the role within TTL + one retry. A holder that learns it lost the lease
 * (Redis away past the TTL, or another took it) stops the role and stands by again. With one
 * process (LocalLeases) every role is acquired at once and never lost: the same code path.
 */
import type { Logger } from '../log.js';
import type { FencedLease, Leases } from './leases.js';

export interface Role {
  name: string;
  /** Starts the work; `fence` is larger than that of every earlier holder of this role. */
  start(fence: number): void | Promise<void>;
  /** Stops the work and waits for what is in flight. */
  stop(): Promise<void>;
}

export interface RolesOptions {
  leases: Leases;
  log: Logger;
  /** How long a lease outlives a holder that stopped renewing it. */
  ttlMs?: number;
  /** How often a standby tries for a role another process holds. */
  retryMs?: number;
}

export const ROLE_LEASE_TTL_MS = 10_000;
export const ROLE_RETRY_MS = 2_500;

interface Slot {
  role: Role;
  lease?: FencedLease;
  /** The start or stop under way, so that the two never overlap. */
  busy?: Promise<void>;
}

export class Roles {
  readonly #slots: Slot[] = [];
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #round: Promise<void> | undefined;

  constructor(private readonly o: RolesOptions) {}

  /** Offers `role`; call before start(). */
  add(role: Role): void {
    this.#slots.push({ role });
  }

  /** The roles this process holds now, for /healthz. */
  held(): string[] {
    return this.#slots.filter((slot) => slot.lease).map((slot) => slot.role.name);
  }

  /** Tries for every role now, and again every retry interval until stop(). */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#tryAll();
    this.#timer ??= setInterval(() => void this.#tryAll(), this.o.retryMs ?? ROLE_RETRY_MS);
    this.#timer.unref();
  }

  /** Stops every role held and releases its lease, so that a standby takes it over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#round;
    await Promise.all(this.#slots.map((slot) => this.#giveUp(slot)));
  }

  #tryAll(): Promise<void> {
    // Rounds never overlap: a slow Redis must not start two acquisitions of one role.
    this.#round ??= (async () => {
      for (const slot of this.#slots) {
        if (this.#stopped) return;
        await slot.busy;
        if (!slot.lease) await this.#tryOne(slot);
      }
    })().finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  async #tryOne(slot: Slot): Promise<void> {
    const { log } = this.o;
    let lease: FencedLease | undefined;
    try {
      lease = await this.o.leases.tryAcquireFenced(
        `role:${slot.role.name}`,
        this.o.ttlMs ?? ROLE_LEASE_TTL_MS,
      );
    } catch (error) {
      log.debug('could not try for a role; trying again shortly', { role: slot.role.name, error });
      return;
    }
    if (!lease) return;
    if (this.#stopped) {
      await lease.release();
      return;
    }
    const held = lease;
    slot.lease = held;
    held.lost.addEventListener(
      'abort',
      () => {
        // A lease released long ago cannot take down the one held now.
        if (slot.lease !== held) return;
        log.warn('lost a role; standing by', { role: slot.role.name, reason: String(held.lost.reason) });
        void this.#giveUp(slot);
      },
      { once: true },
    );
    let started = false;
    slot.busy = (async () => {
      try {
        await slot.role.start(held.fence);
        started = true;
        log.info('took a role', { role: slot.role.name, fence: held.fence });
      } catch (error) {
        log.error('could not start a role; standing by', { role: slot.role.name, error });
      }
    })();
    await slot.busy;
    // What a failed start did open is closed, and another process may try.
    if (!started) await this.#giveUp(slot);
  }

  /** Stops the role if this process holds it, then releases the lease. */
  async #giveUp(slot: Slot): Promise<void> {
    await slot.busy;
    // Taken with no await before it, so a second caller (lost and stop() at once) finds nothing.
    const lease = slot.lease;
    if (!lease) return;
    slot.lease = undefined;
    slot.busy = (async () => {
      try {
        await slot.role.stop();
      } catch (error) {
        this.o.log.error('a role did not stop cleanly', { role: slot.role.name, error });
      }
      await lease.release().catch(() => undefined);
    })();
    await slot.busy;
  }
}
