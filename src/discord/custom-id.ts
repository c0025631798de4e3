/**
 * custom_id is a codec: `namespace:action:arg:arg…`. Buttons carry only what the router needs to
 * find their state in the store (a session id, a page number), so they keep working after a
 * restart; anything larger lives in the store under a short id. Discord allows 100 characters.
 */
export const CUSTOM_ID_MAX = 100;

export interface CustomId {
  namespace: string;
  action: string;
  args: string[];
}

const PART = /^[A-Za-z0-9_.-]*$/;

export function encodeCustomId(namespace: string, action: string, ...args: (string | number)[]): string {
  const parts = [namespace, action, ...args.map(String)];
  for (const part of parts) {
    if (!PART.test(part))
      throw new RangeError(`custom_id part ${JSON.stringify(part)} has characters outside [A-Za-z0-9_.-]`);
  }
  const id = parts.join(':');
  if (id.length > CUSTOM_ID_MAX)
    throw new RangeError(`custom_id is ${id.length} characters; Discord allows ${CUSTOM_ID_MAX}`);
  return id;
}

/** Undefined for ids Flock did not make (or made by an older, incompatible version). */
export function decodeCustomId(id: string): CustomId | undefined {
  const [namespace, action, ...args] = id.split(':');
  if (!namespace || !action || !args.every((a) => PART.test(a))) return undefined;
  return { namespace, action, args };
}
