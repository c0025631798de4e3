/**
 * What a cached page or profile renders to, made once per object and reader's locale: a cached
 * page, a list's account and a looked-up profile are the same objects at every open and click
 * (the store's memos hand them out), and what they render to is the same JSON each time. Frozen,
 * since every answer that shows them shares them; kept only while the object itself is. Nothing
 * made here may mention a command: a mention carries the command's id, which registration can
 * change while the object lives.
 */
export function memoized<K extends object, V extends object>(
  made: WeakMap<K, Map<string, V>>,
  of: K,
  key: string,
  make: () => V,
): V {
  const byKey = made.get(of) ?? new Map<string, V>();
  const known = byKey.get(key);
  if (known) return known;
  const value = deepFreeze(make());
  byKey.set(key, value);
  made.set(of, byKey);
  return value;
}

function deepFreeze<T extends object>(value: T): T {
  for (const item of Object.values(value)) if (item && typeof item === 'object') deepFreeze(item);
  return Object.freeze(value);
}
