/**
 * What a request must read and what that costs today, before anything is read: the users X's
 * counts give each list, less what today's reads of it already hold, at the price X bills for
 * them (an owned read where the list is the app owner's own, read with its own token).
 */
import { estimateReadMicroUsd, type FollowList, type XClient } from '../x/index.js';
import type { ListReads } from './list-reads.js';
import type { AccountInfo, PlannedRead, Want } from './requests.js';

/** The lists a request reads whole, in the order it reads them. */
export function listsOf(want: Want): { list: FollowList; account: AccountInfo }[] {
  if (want.kind === 'overlap')
    return [
      { list: 'followers', account: want.account },
      { list: 'followers', account: want.other },
    ];
  if (want.kind === 'export' && (want.list === 'followers' || want.list === 'following'))
    return [{ list: want.list, account: want.account }];
  return [
    { list: 'followers', account: want.account },
    { list: 'following', account: want.account },
  ];
}

export interface Plan {
  reads: PlannedRead[];
  estimateMicro: number;
  /** Accounts whose lists the app cannot read (protected, and not the asker's own). */
  locked: AccountInfo[];
}

export async function planReads(
  deps: { x: XClient; reads: ListReads },
  want: Want,
  /** The X account the asker linked, if any: their own lists are read with their own token. */
  linkedXUserId: string | undefined,
): Promise<Plan> {
  const reads: PlannedRead[] = [];
  const locked: AccountInfo[] = [];
  for (const { list, account } of listsOf(want)) {
    const withToken = linkedXUserId === account.id;
    if (account.protected && !withToken && !locked.includes(account)) locked.push(account);
    // The client's own rule, so that the estimate prices the read as X will bill it.
    const kind = deps.x.readKind(
      list,
      account.id,
      withToken ? { key: account.id, accessToken: '' } : undefined,
    );
    const expected = list === 'followers' ? account.followers : account.following;
    const today = await deps.reads.current(list, account.id);
    const toRead = today.done ? 0 : Math.max(0, expected - today.users);
    reads.push({ list, accountId: account.id, expected, toRead, kind, withToken });
  }
  const estimateMicro = reads.reduce((sum, r) => sum + estimateReadMicroUsd(r.kind, r.toRead), 0);
  return { reads, estimateMicro, locked };
}

/** Whether every list is already read today: nothing left to confirm or pay. */
export async function allRead(deps: { reads: ListReads }, reads: readonly PlannedRead[]): Promise<boolean> {
  for (const read of reads) if (!(await deps.reads.current(read.list, read.accountId)).done) return false;
  return true;
}
