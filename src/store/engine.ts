/** What differs between the kinds of store behind openStore, and the helpers they share. */
import type Keyv from 'keyv';

export interface Engine {
  /** The Keyv for one namespace, on this engine's connection. */
  makeKeyv(namespace: string): Keyv;
  take(keyv: Keyv, key: string): Promise<unknown>;
  sweepExpired(namespaces: Keyv[]): Promise<number>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The value of a raw record as Keyv stored it, or undefined when it had expired. */
export async function liveValue(keyv: Keyv, raw: string): Promise<unknown> {
  const data = await keyv.deserializeData<unknown>(raw);
  return data && !hasExpired(data) ? data.value : undefined;
}

/** Keyv's own test, with its clock. */
export function hasExpired(data: { expires?: number | null }): boolean {
  return typeof data.expires === 'number' && Date.now() > data.expires;
}
