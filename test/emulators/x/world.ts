/**
 * The emulated X: accounts and the follow graph, with follow times so lists come newest first,
 * protected accounts with pending requests, each account's blocks and mutes, suspended and
 * deactivated accounts (hidden from lists, which is why X's pages can come back shorter than
 * asked while more remain).
 */
import { randomBytes } from 'node:crypto';
import { Relation } from './relations.js';

export type UserState = 'active' | 'suspended' | 'deactivated';

export interface EmuUser {
  id: string;
  username: string;
  name: string;
  description: string;
  location: string | undefined;
  url: string | undefined;
  profileImageUrl: string;
  createdAt: number;
  protected: boolean;
  verified: boolean;
  verifiedType: 'none' | 'blue' | 'business' | 'government';
  tweetCount: number;
  listedCount: number;
  /** Change it with `World.setState`, which tells listeners; assigning it says nothing to anyone. */
  state: UserState;
}

export type NewUser = Partial<Omit<EmuUser, 'id' | 'username'>> & { username: string; id?: string };

/** A change to the follow graph, as X's Activity API reports it: `source` follows or unfollows `target`. */
export interface FollowChange {
  type: 'follow' | 'unfollow';
  sourceId: string;
  targetId: string;
}

/** An account's state changed: suspended, deactivated, or back. */
export interface StateChange {
  userId: string;
  from: UserState;
  to: UserState;
}

interface Edge {
  at: number;
  /** Breaks ties between follows made in the same millisecond: later is newer. */
  seq: number;
}

export class World {
  readonly users = new Map<string, EmuUser>();
  readonly #byName = new Map<string, string>();
  /** followee id → follower id → edge */
  readonly #followers = new Map<string, Map<string, Edge>>();
  /** follower id → followee id → edge */
  readonly #following = new Map<string, Map<string, Edge>>();
  /** protected account id → requester ids */
  readonly pending = new Map<string, Set<string>>();
  /** Who each account blocks (X offers no block writes below Enterprise: tests set them here). */
  readonly blocks = new Relation(() => this.now());
  /** Who each account mutes. */
  readonly mutes = new Relation(() => this.now());
  #seq = 0;
  #nextId = 1_500_000_000_000_000_000n;
  #sorted = new Map<string, string[]>();
  readonly #listeners: ((change: FollowChange) => void)[] = [];
  readonly #stateListeners: ((change: StateChange) => void)[] = [];

  constructor(private readonly now: () => number) {}

  addUser(input: NewUser): EmuUser {
    const id = input.id ?? String(this.#nextId++);
    if (this.users.has(id)) throw new Error(`user id ${id} exists`);
    if (this.#byName.has(input.username.toLowerCase())) throw new Error(`username ${input.username} exists`);
    const user: EmuUser = {
      name: input.username,
      description: '',
      location: undefined,
      url: undefined,
      profileImageUrl: `https://pbs.twimg.com/profile_images/${id}/avatar_normal.jpg`,
      createdAt: Date.parse('2015-03-21T20:50:14Z'),
      protected: false,
      verified: false,
      verifiedType: 'none',
      tweetCount: 0,
      listedCount: 0,
      state: 'active',
      ...input,
      id,
    };
    this.users.set(id, user);
    this.#byName.set(user.username.toLowerCase(), id);
    return user;
  }

  /** Adds `count` plain accounts named `${prefix}${n}`. */
  addUsers(count: number, prefix: string): EmuUser[] {
    return Array.from({ length: count }, (_, n) =>
      this.addUser({ username: `${prefix}${n}`, name: `${prefix} ${n}` }),
    );
  }

  byUsername(username: string): EmuUser | undefined {
    const id = this.#byName.get(username.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  /** Calls `listener` after every follow or unfollow that changes the graph (repeats change nothing). */
  onFollowChange(listener: (change: FollowChange) => void): void {
    this.#listeners.push(listener);
  }

  /** Makes `followerId` follow `followeeId` now (or at `at`); re-following keeps the first time. */
  follow(followerId: string, followeeId: string, at = this.now()): void {
    if (this.#edge(this.#followers, followeeId).has(followerId)) return;
    const edge = { at, seq: this.#seq++ };
    this.#edge(this.#followers, followeeId).set(followerId, edge);
    this.#edge(this.#following, followerId).set(followeeId, edge);
    this.pending.get(followeeId)?.delete(followerId);
    this.#sorted.delete(`followers:${followeeId}`);
    this.#sorted.delete(`following:${followerId}`);
    this.#emit({ type: 'follow', sourceId: followerId, targetId: followeeId });
  }

  unfollow(followerId: string, followeeId: string): void {
    const existed = this.#followers.get(followeeId)?.delete(followerId) ?? false;
    this.#following.get(followerId)?.delete(followeeId);
    this.pending.get(followeeId)?.delete(followerId);
    this.#sorted.delete(`followers:${followeeId}`);
    this.#sorted.delete(`following:${followerId}`);
    if (existed) this.#emit({ type: 'unfollow', sourceId: followerId, targetId: followeeId });
  }

  #emit(change: FollowChange): void {
    for (const listener of this.#listeners) listener(change);
  }

  /** Calls `listener` after every `setState` that changes an account's state. */
  onStateChange(listener: (change: StateChange) => void): void {
    this.#stateListeners.push(listener);
  }

  /**
   * Suspends, deactivates or restores an account. Its follows stay in the graph (hidden while it
   * is gone, as X hides them), so restoring it brings them back.
   */
  setState(userId: string, state: UserState): void {
    const user = this.users.get(userId);
    if (!user) throw new Error(`no user ${userId}`);
    const from = user.state;
    if (from === state) return;
    user.state = state;
    for (const listener of this.#stateListeners) listener({ userId, from, to: state });
  }

  /** `blockerId` blocks `blockedId`: as on X, neither follows the other any more. */
  block(blockerId: string, blockedId: string, at = this.now()): void {
    this.blocks.add(blockerId, blockedId, at);
    this.unfollow(blockerId, blockedId);
    this.unfollow(blockedId, blockerId);
  }

  requestFollow(followerId: string, followeeId: string): void {
    const set = this.pending.get(followeeId) ?? new Set<string>();
    this.pending.set(followeeId, set);
    set.add(followerId);
  }

  /** The protected account accepts a pending request. */
  approve(followeeId: string, followerId: string): void {
    if (this.pending.get(followeeId)?.has(followerId)) this.follow(followerId, followeeId);
  }

  follows(followerId: string, followeeId: string): boolean {
    return this.#followers.get(followeeId)?.has(followerId) ?? false;
  }

  /** Every id on the list, newest first, including accounts that lists hide. */
  list(which: 'followers' | 'following', id: string): string[] {
    const key = `${which}:${id}`;
    let ids = this.#sorted.get(key);
    if (!ids) {
      const edges =
        (which === 'followers' ? this.#followers : this.#following).get(id) ?? new Map<string, Edge>();
      ids = [...edges.entries()].sort(([, a], [, b]) => b.at - a.at || b.seq - a.seq).map(([other]) => other);
      this.#sorted.set(key, ids);
    }
    return ids;
  }

  visible(id: string): boolean {
    return this.users.get(id)?.state === 'active';
  }

  /** Counts as X shows them: hidden accounts are not counted. */
  count(which: 'followers' | 'following', id: string): number {
    return this.list(which, id).filter((other) => this.visible(other)).length;
  }

  #edge(map: Map<string, Map<string, Edge>>, id: string): Map<string, Edge> {
    const edges = map.get(id) ?? new Map<string, Edge>();
    map.set(id, edges);
    return edges;
  }

  static randomToken(bytes = 24): string {
    return randomBytes(bytes).toString('base64url');
  }
}
