/**
 * What Discord accepts as Linked Roles metadata records and as a user's role connection, refused
 * as Discord refuses a body: HTTP 400, code 50035, and an errors object shaped like the payload.
 */
import { type ErrorTree, type Issue, toTree } from './validate.js';

/** Discord's ApplicationRoleConnectionMetadataType. */
export const MetadataType = {
  IntegerLessThanOrEqual: 1,
  IntegerGreaterThanOrEqual: 2,
  IntegerEqual: 3,
  IntegerNotEqual: 4,
  DatetimeLessThanOrEqual: 5,
  DatetimeGreaterThanOrEqual: 6,
  BooleanEqual: 7,
  BooleanNotEqual: 8,
} as const;

export interface RoleConnectionMetadata {
  type: number;
  key: string;
  name: string;
  description: string;
  name_localizations?: Record<string, string>;
  description_localizations?: Record<string, string>;
}

export interface RoleConnection {
  platform_name: string | null;
  platform_username: string | null;
  /** Values as Discord keeps them: strings. */
  metadata: Record<string, string>;
}

/** What a server's linked role asks of one metadata record. */
export interface RoleRequirement {
  key: string;
  type: number;
  /** An integer; for datetime types a number of days, for boolean types 1. */
  value: number;
}

type Json = Record<string, unknown>;

const isDict = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const INT64 = 2n ** 63n;
const ISO8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const LOCALES = new Set(
  'id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el bg ru uk hi th zh-CN ja zh-TW ko'.split(
    ' ',
  ),
);

function text(issues: Issue[], path: (string | number)[], value: unknown, min: number, max: number): void {
  if (value === undefined || value === null) {
    if (min > 0) issues.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  } else if (typeof value !== 'string') {
    issues.push({
      path,
      code: 'STRING_TYPE_CONVERT',
      message: `Could not interpret "${String(value)}" as string.`,
    });
  } else if (value.length < min || value.length > max) {
    const message =
      min > 0 ? `Must be between ${min} and ${max} in length.` : `Must be ${max} or fewer in length.`;
    issues.push({ path, code: min > 0 ? 'BASE_TYPE_BAD_LENGTH' : 'BASE_TYPE_MAX_LENGTH', message });
  }
}

function localizations(issues: Issue[], path: (string | number)[], value: unknown, max: number): void {
  if (value === undefined || value === null) return;
  if (!isDict(value)) {
    issues.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return;
  }
  for (const [locale, translated] of Object.entries(value)) {
    if (!LOCALES.has(locale)) {
      issues.push({
        path: [...path, locale],
        code: 'BASE_TYPE_CHOICES',
        message: 'Value must be a valid locale.',
      });
    } else text(issues, [...path, locale], translated, 1, max);
  }
}

/** The errors object for a metadata PUT, or undefined when Discord would accept it. */
function metadataErrors(body: unknown): ErrorTree | undefined {
  if (!Array.isArray(body)) {
    return toTree([
      { path: [], code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' },
    ]);
  }
  const issues: Issue[] = [];
  if (body.length > 5)
    issues.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
  const keys = new Set<string>();
  for (const [i, record] of body.entries()) {
    if (!isDict(record)) {
      issues.push({
        path: [i],
        code: 'DICT_TYPE_CONVERT',
        message: 'Only dictionaries may be used in a DictType',
      });
      continue;
    }
    if (record.type === undefined || record.type === null) {
      issues.push({ path: [i, 'type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    } else if (!Number.isInteger(record.type) || Number(record.type) < 1 || Number(record.type) > 8) {
      issues.push({
        path: [i, 'type'],
        code: 'BASE_TYPE_CHOICES',
        message: 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8}.',
      });
    }
    const before = issues.length;
    text(issues, [i, 'key'], record.key, 1, 50);
    if (issues.length === before && !/^[a-z0-9_]+$/.test(String(record.key))) {
      issues.push({
        path: [i, 'key'],
        code: 'STRING_TYPE_REGEX',
        message: 'String value did not match validation regex.',
      });
    } else if (issues.length === before && keys.has(String(record.key))) {
      // Discord's code for this case is not documented; the message says what is wrong.
      issues.push({ path: [i, 'key'], code: 'DUPLICATE_KEY', message: 'Metadata keys must be unique.' });
    }
    keys.add(String(record.key));
    text(issues, [i, 'name'], record.name, 1, 100);
    text(issues, [i, 'description'], record.description, 1, 200);
    localizations(issues, [i, 'name_localizations'], record.name_localizations, 100);
    localizations(issues, [i, 'description_localizations'], record.description_localizations, 200);
  }
  return issues.length ? toTree(issues) : undefined;
}

/** A metadata value as Discord stores it (a string), or why it does not fit the record's type. */
function parseValue(type: number, value: unknown): { ok: string } | { code: string; message: string } {
  const isBoolean = type >= MetadataType.BooleanEqual;
  if (isBoolean && typeof value === 'boolean') return { ok: value ? '1' : '0' };
  if (typeof value !== 'string' && typeof value !== 'number') {
    return {
      code: 'STRING_TYPE_CONVERT',
      message: `Could not interpret "${JSON.stringify(value)}" as string.`,
    };
  }
  const raw = String(value);
  if (raw.length > 100) return { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' };
  if (type <= MetadataType.IntegerNotEqual) {
    const fits = /^-?\d+$/.test(raw) && BigInt(raw) >= -INT64 && BigInt(raw) < INT64;
    return fits
      ? { ok: String(BigInt(raw)) }
      : { code: 'NUMBER_TYPE_COERCE', message: `Value "${raw}" is not int.` };
  }
  if (!isBoolean) {
    return ISO8601.test(raw) && !Number.isNaN(Date.parse(raw))
      ? { ok: raw }
      : { code: 'DATE_TYPE_PARSE', message: `Could not parse ${raw}. Should be ISO8601.` };
  }
  return raw === '0' || raw === '1'
    ? { ok: raw }
    : { code: 'BOOLEAN_TYPE_COERCE', message: `Value "${raw}" is not bool.` };
}

/** A role-connection PUT body as the connection Discord stores, or its errors object. */
export function parseConnection(
  body: unknown,
  records: RoleConnectionMetadata[],
): { connection: RoleConnection } | { errors: ErrorTree } {
  if (!isDict(body)) {
    return {
      errors: toTree([
        { path: [], code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' },
      ]),
    };
  }
  const issues: Issue[] = [];
  text(issues, ['platform_name'], body.platform_name, 0, 50);
  text(issues, ['platform_username'], body.platform_username, 0, 100);
  const metadata: Record<string, string> = {};
  if (body.metadata !== undefined && body.metadata !== null && !isDict(body.metadata)) {
    issues.push({
      path: ['metadata'],
      code: 'DICT_TYPE_CONVERT',
      message: 'Only dictionaries may be used in a DictType',
    });
  }
  for (const [key, value] of Object.entries(isDict(body.metadata) ? body.metadata : {})) {
    const record = records.find((r) => r.key === key);
    if (!record) {
      const known = records.map((r) => r.key).join(', ');
      issues.push({
        path: ['metadata', key],
        code: 'BASE_TYPE_CHOICES',
        message: `Value must be one of (${known}).`,
      });
      continue;
    }
    const parsed = parseValue(record.type, value);
    if ('ok' in parsed) metadata[key] = parsed.ok;
    else issues.push({ path: ['metadata', key], ...parsed });
  }
  if (issues.length) return { errors: toTree(issues) };
  return {
    connection: {
      platform_name: typeof body.platform_name === 'string' ? body.platform_name : null,
      platform_username: typeof body.platform_username === 'string' ? body.platform_username : null,
      metadata,
    },
  };
}

/** A metadata PUT body as the records Discord stores, or its errors object. */
export function parseMetadata(body: unknown): { records: RoleConnectionMetadata[] } | { errors: ErrorTree } {
  const errors = metadataErrors(body);
  if (errors) return { errors };
  const records = (body as Json[]).map((r) => ({
    type: Number(r.type),
    key: String(r.key),
    name: String(r.name),
    description: String(r.description),
    ...(isDict(r.name_localizations)
      ? { name_localizations: r.name_localizations as Record<string, string> }
      : {}),
    ...(isDict(r.description_localizations)
      ? { description_localizations: r.description_localizations as Record<string, string> }
      : {}),
  }));
  return { records };
}
