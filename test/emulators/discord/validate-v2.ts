/**
 * Discord's rules for a Components V2 message (flag IS_COMPONENTS_V2, 1 << 15), as
 * reference/discord.md gives them: no `content`, `embeds`, `poll` or `stickers`; top-level
 * Container, Section, TextDisplay, MediaGallery, File, Separator and ActionRow; a Section holds
 * 1–3 TextDisplays and one accessory (a Button or a Thumbnail); at most 40 components in all,
 * nested ones counted; all TextDisplay text together at most 4,000 characters.
 *
 * Discord also refuses, with a bare 500, V2 text past an undocumented size: the UTF-8 bytes of
 * every TextDisplay plus 12 per TextDisplay above 10,170 (discord-api-docs#8554). It matters for
 * text of three bytes a character (Japanese): 4,000 such characters pass the documented limit and
 * fail this one. `v2ServerFault` reports it so the emulator answers as Discord does.
 */
import type { Issue } from './validate.js';

type Json = Record<string, unknown>;

export const IS_COMPONENTS_V2 = 1 << 15;

const TYPE = {
  actionRow: 1,
  button: 2,
  section: 9,
  textDisplay: 10,
  thumbnail: 11,
  mediaGallery: 12,
  file: 13,
  separator: 14,
  container: 17,
} as const;

const SELECTS = new Set([3, 5, 6, 7, 8]);
const TOP_LEVEL = new Set<unknown>([
  TYPE.actionRow,
  TYPE.section,
  TYPE.textDisplay,
  TYPE.mediaGallery,
  TYPE.file,
  TYPE.separator,
  TYPE.container,
]);
const IN_CONTAINER = new Set<unknown>([
  TYPE.actionRow,
  TYPE.section,
  TYPE.textDisplay,
  TYPE.mediaGallery,
  TYPE.file,
  TYPE.separator,
]);
const ONLY_TEXT = new Set<unknown>([TYPE.textDisplay]);
const ACCESSORY = new Set<unknown>([TYPE.button, TYPE.thumbnail]);
const INTERACTIVE = new Set<unknown>([TYPE.button, ...SELECTS]);
const MAX_COMPONENTS = 40;
const MAX_TEXT = 4_000;
const MAX_TEXT_BYTES = 10_170;
const BYTES_PER_DISPLAY = 12;

type Path = (string | number)[];
/**
 * Where a component is, kept as a link to its parent's place and built into a Path only for an
 * issue: a page is checked at every message, and most have none.
 */
type Place = { up: Place | undefined; key: string | number } | undefined;
/** The place of `field` in `up`, or of its `index`-th item. */
function at(up: Place, field: string, index?: number): Place {
  const inField = { up, key: field };
  return index === undefined ? inField : { up: inField, key: index };
}
function pathOf(place: Place, ...more: (string | number)[]): Path {
  const path: Path = [];
  for (let p = place; p; p = p.up) path.unshift(p.key);
  return [...path, ...more];
}

export function isV2(body: Json): boolean {
  return (Number(body.flags ?? 0) & IS_COMPONENTS_V2) !== 0;
}

interface Walk {
  issues: Issue[];
  count: number;
  text: number;
  textBytes: number;
  displays: number;
  ids: Set<string>;
}

/** What Discord refuses in a V2 message body, as 50035 issues. */
export function v2Issues(body: Json): Issue[] {
  const walk: Walk = { issues: [], count: 0, text: 0, textBytes: 0, displays: 0, ids: new Set() };
  for (const field of ['content', 'embeds', 'poll', 'stickers'] as const) {
    const value = body[field];
    const empty =
      value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length);
    if (!empty)
      walk.issues.push({
        path: [field],
        code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        message:
          "The 'content', 'embeds', 'stickers' and 'poll' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
      });
  }
  const top = (body.components as Json[] | undefined) ?? [];
  if (!top.length) walk.issues.push(required(['components']));
  for (let i = 0; i < top.length; i++) visit(top[i] as Json, at(undefined, 'components', i), TOP_LEVEL, walk);
  if (walk.count > MAX_COMPONENTS)
    walk.issues.push({
      path: ['components'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: `Must be ${MAX_COMPONENTS} or fewer in length (nested components counted).`,
    });
  if (walk.text > MAX_TEXT)
    walk.issues.push({
      path: ['components'],
      code: 'COMPONENT_TEXT_LENGTH_EXCEEDED',
      message: `The total length of text in components must be ${MAX_TEXT} or fewer.`,
    });
  return walk.issues;
}

/** Whether Discord answers this V2 body with its undocumented 500 (see the file's comment). */
export function v2ServerFault(body: Json): boolean {
  if (!isV2(body)) return false;
  const walk: Walk = { issues: [], count: 0, text: 0, textBytes: 0, displays: 0, ids: new Set() };
  const top = (body.components as Json[] | undefined) ?? [];
  for (let i = 0; i < top.length; i++) visit(top[i] as Json, at(undefined, 'components', i), TOP_LEVEL, walk);
  return walk.textBytes + BYTES_PER_DISPLAY * walk.displays > MAX_TEXT_BYTES;
}

function required(path: Path): Issue {
  return { path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
}

function badType(place: Place, allowed: Set<unknown>): Issue {
  return {
    path: pathOf(place, 'type'),
    code: 'UNION_TYPE_CHOICES',
    message: `Value of field "type" must be one of (${[...allowed].join(', ')}).`,
  };
}

function visit(component: Json, place: Place, allowed: Set<unknown>, walk: Walk): void {
  walk.count += 1;
  if (!allowed.has(component.type)) {
    walk.issues.push(badType(place, allowed));
    return;
  }
  switch (component.type) {
    case TYPE.container: {
      const children = (component.components as Json[] | undefined) ?? [];
      if (!children.length) walk.issues.push(required(pathOf(place, 'components')));
      for (let i = 0; i < children.length; i++)
        visit(children[i] as Json, at(place, 'components', i), IN_CONTAINER, walk);
      return;
    }
    case TYPE.section: {
      const texts = (component.components as Json[] | undefined) ?? [];
      if (texts.length < 1 || texts.length > 3)
        walk.issues.push({
          path: pathOf(place, 'components'),
          code: 'BASE_TYPE_BAD_LENGTH',
          message: 'Must be between 1 and 3 in length.',
        });
      for (let i = 0; i < texts.length; i++)
        visit(texts[i] as Json, at(place, 'components', i), ONLY_TEXT, walk);
      const accessory = component.accessory as Json | undefined;
      if (!accessory) walk.issues.push(required(pathOf(place, 'accessory')));
      else visit(accessory, at(place, 'accessory'), ACCESSORY, walk);
      return;
    }
    case TYPE.textDisplay: {
      const content = component.content;
      if (typeof content !== 'string' || !content.length) {
        walk.issues.push(required(pathOf(place, 'content')));
        return;
      }
      walk.text += content.length;
      walk.textBytes += Buffer.byteLength(content, 'utf8');
      walk.displays += 1;
      return;
    }
    case TYPE.thumbnail: {
      mediaUrl(component.media as Json | undefined, at(place, 'media'), walk);
      if (component.description !== undefined && String(component.description).length > 1024)
        walk.issues.push(tooLong(pathOf(place, 'description'), 1024));
      return;
    }
    case TYPE.mediaGallery: {
      const items = (component.items as Json[] | undefined) ?? [];
      if (items.length < 1 || items.length > 10)
        walk.issues.push({
          path: pathOf(place, 'items'),
          code: 'BASE_TYPE_BAD_LENGTH',
          message: 'Must be between 1 and 10 in length.',
        });
      for (let i = 0; i < items.length; i++)
        mediaUrl(
          (items[i] as Json).media as Json | undefined,
          { up: at(place, 'items', i), key: 'media' },
          walk,
        );
      return;
    }
    case TYPE.separator:
      if (component.spacing !== undefined && component.spacing !== 1 && component.spacing !== 2)
        walk.issues.push({
          path: pathOf(place, 'spacing'),
          code: 'BASE_TYPE_CHOICES',
          message: 'Value must be one of (1, 2).',
        });
      return;
    case TYPE.file: {
      const url = String((component.file as Json | undefined)?.url ?? '');
      if (!url.startsWith('attachment://'))
        walk.issues.push({
          path: pathOf(place, 'file', 'url'),
          code: 'URL_TYPE_INVALID_URL',
          message: 'A file component must reference an attachment.',
        });
      return;
    }
    case TYPE.actionRow: {
      const children = (component.components as Json[] | undefined) ?? [];
      if (children.length < 1 || children.length > 5)
        walk.issues.push({
          path: pathOf(place, 'components'),
          code: 'BASE_TYPE_BAD_LENGTH',
          message: 'Must be between 1 and 5 in length.',
        });
      for (let i = 0; i < children.length; i++)
        visit(children[i] as Json, at(place, 'components', i), INTERACTIVE, walk);
      return;
    }
    default:
      // A button or a select (in a row, or a Section's accessory).
      interactiveIssues(component, place, walk);
  }
}

function interactiveIssues(component: Json, place: Place, walk: Walk): void {
  if (component.label !== undefined && String(component.label).length > 80)
    walk.issues.push(tooLong(pathOf(place, 'label'), 80));
  if (component.type === TYPE.button && component.style === 5) {
    if (!component.url) walk.issues.push(required(pathOf(place, 'url')));
    if (component.custom_id !== undefined)
      walk.issues.push({
        path: pathOf(place, 'custom_id'),
        code: 'COMPONENT_LINK_CUSTOM_ID',
        message: 'A link button cannot have a custom_id.',
      });
    return;
  }
  const id = component.custom_id;
  if (typeof id !== 'string' || id.length < 1 || id.length > 100)
    walk.issues.push({
      path: pathOf(place, 'custom_id'),
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be between 1 and 100 in length.',
    });
  else if (walk.ids.has(id))
    walk.issues.push({
      path: pathOf(place, 'custom_id'),
      code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
      message: 'Component custom id cannot be duplicated',
    });
  else walk.ids.add(id);
}

function mediaUrl(media: Json | undefined, place: Place, walk: Walk): void {
  const url = media?.url;
  if (typeof url !== 'string' || !/^(https?|attachment):\/\//.test(url))
    walk.issues.push({
      path: pathOf(place, 'url'),
      code: 'URL_TYPE_INVALID_URL',
      message: 'Not a well formed URL.',
    });
}

function tooLong(path: Path, max: number): Issue {
  return { path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` };
}
