/**
 * The token user's own blocks and mutes. X serves these lists only to the listed account's own
 * token (`:id` must be the token's user; scopes block.read and mute.read), 15 reads per 15
 * minutes per user, billed per user returned at the block and mute read prices. Muting and
 * unmuting are writes (mute.write); blocking and unblocking are Enterprise only, so Flock offers
 * neither. Calls go through http.ts like every other: budgets, rate limits, errors.
 */
import type { CallOptions, Send } from './http.js';
import { assertId, type ListOptions, type ReadPage, walkPages } from './list-page.js';
import { resourceError, type XProblem } from './translate-error.js';
import { authUserId, type MuteResult, type OwnList, type UserAuth, type UserPage } from './types.js';

/** List options for the token's own lists: the token is given apart, and is the only one X accepts. */
export type OwnListOptions = Omit<ListOptions, 'auth'>;
export type WriteOptions = Omit<CallOptions, 'auth' | 'tally'>;

interface MuteBody {
  data?: { muting?: boolean };
  errors?: XProblem[];
}

const MUTE = '/2/users/:id/muting';
const UNMUTE = '/2/users/:source_user_id/muting/:target_user_id';

export function createBlocksMutesCalls({ send, readPage }: { send: Send; readPage: ReadPage }) {
  // Async, so that a refusal before sending is a rejection like any other.
  const own = async (which: OwnList, auth: UserAuth, opts: OwnListOptions): Promise<UserPage> => {
    const route = `/2/users/:id/${which}`;
    const userId = authUserId(auth);
    assertId(userId, `GET ${route}`);
    return readPage({
      route,
      path: `2/users/${userId}/${which}`,
      kind: which === 'blocking' ? 'block' : 'mute',
      opts: { ...opts, auth },
    });
  };

  const answer = (body: MuteBody, endpoint: string): MuteResult => {
    // HTTP 200 with only `errors`: the target is missing or suspended.
    if (!body.data && body.errors?.[0]) throw resourceError(body.errors[0], endpoint);
    return { muting: body.data?.muting === true };
  };

  return {
    /** One page of the accounts the token's user blocks, newest first. */
    blocking: (auth: UserAuth, opts: OwnListOptions) => own('blocking', auth, opts),
    /** One page of the accounts the token's user mutes, newest first. */
    muting: (auth: UserAuth, opts: OwnListOptions) => own('muting', auth, opts),
    /** Every page of `blocking` in turn, from `opts.paginationToken` (or the first). */
    blockingPages: (auth: UserAuth, opts: OwnListOptions) =>
      walkPages(opts.paginationToken, (token) => own('blocking', auth, { ...opts, paginationToken: token })),
    /** Every page of `muting` in turn, from `opts.paginationToken` (or the first). */
    mutingPages: (auth: UserAuth, opts: OwnListOptions) =>
      walkPages(opts.paginationToken, (token) => own('muting', auth, { ...opts, paginationToken: token })),

    /** Mutes `targetId` as the token's user. Repeating it changes nothing (and is billed again). */
    async mute(auth: UserAuth, targetId: string, opts: WriteOptions = {}): Promise<MuteResult> {
      const endpoint = `POST ${MUTE}`;
      const sourceId = authUserId(auth);
      assertId(sourceId, endpoint);
      assertId(targetId, endpoint);
      const body = await send<MuteBody>({
        ...opts,
        auth,
        method: 'post',
        route: MUTE,
        path: `2/users/${sourceId}/muting`,
        json: { target_user_id: targetId },
        billing: 'write',
        writeKind: 'mute',
      });
      return answer(body, endpoint);
    },

    /** Unmutes `targetId` as the token's user. Repeating it changes nothing (and is billed again). */
    async unmute(auth: UserAuth, targetId: string, opts: WriteOptions = {}): Promise<MuteResult> {
      const endpoint = `DELETE ${UNMUTE}`;
      const sourceId = authUserId(auth);
      assertId(sourceId, endpoint);
      assertId(targetId, endpoint);
      const body = await send<MuteBody>({
        ...opts,
        auth,
        method: 'delete',
        route: UNMUTE,
        path: `2/users/${sourceId}/muting/${targetId}`,
        billing: 'write',
        writeKind: 'unmute',
      });
      return answer(body, endpoint);
    },
  };
}
