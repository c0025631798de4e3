/**
 * The types every language's messages are checked against, derived from the English ones: the same
 * namespaces and keys, each a string. Plural forms other than `_other` are optional, since a
 * language has only the forms its plural rules use (Japanese has no `_one`).
 */
import type { en } from './locales/en/index.js';

type English = typeof en;

type OptionalPlural = `${string}_${'zero' | 'one' | 'two' | 'few' | 'many'}`;

export type Shape<T> = {
  [K in keyof T as K extends OptionalPlural ? never : K]: T[K] extends string ? string : Shape<T[K]>;
} & {
  [K in keyof T as K extends OptionalPlural ? K : never]?: string;
};

/** What a language provides: every namespace and key English has. */
export type Catalogue = Shape<English>;

export type Namespace = keyof English & string;

type BaseKey<K extends string> = K extends `${infer B}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}`
  ? B
  : K;

type Leaves<T, P extends string> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${BaseKey<K>}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every message, as `namespace:dotted.path` (a plural message by its base name). */
export type MessageKey = { [N in Namespace]: Leaves<English[N], `${N}:`> }[Namespace];

/** The English text at a dotted path; a plural message's forms as a union. */
type At<T, P extends string> = P extends `${infer H}.${infer R}`
  ? H extends keyof T
    ? At<T[H], R>
    : never
  : P extends keyof T
    ? T[P]
    : T[`${P}_one` & keyof T] | T[`${P}_other` & keyof T];

type IsPlural<T, P extends string> = P extends `${infer H}.${infer R}`
  ? H extends keyof T
    ? IsPlural<T[H], R>
    : false
  : P extends keyof T
    ? false
    : true;

type Split<K> = K extends `${infer N}:${infer P}` ? (N extends Namespace ? [English[N], P] : never) : never;

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;
type Placeholders<S> = S extends `${string}{{${infer V}}}${infer Rest}`
  ? (V extends `${infer Name},${string}` ? Trim<Name> : Trim<V>) | Placeholders<Rest>
  : never;

/** The values a message interpolates; a plural one also needs `count`. */
export type MessageParams<K extends MessageKey> = {
  [V in Placeholders<At<Split<K>[0], Split<K>[1]>>]: V extends 'count' ? number : string | number;
} & (IsPlural<Split<K>[0], Split<K>[1]> extends true ? { count: number } : unknown);

/** The params argument: none for a message without placeholders. */
export type ParamsArg<K extends MessageKey> = keyof MessageParams<K> extends never ? [] : [MessageParams<K>];
