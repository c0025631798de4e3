/**
 * Discord's limits on what a message may carry, answered as Discord answers: HTTP 400 with code
 * 50035 "Invalid Form Body" and an errors object that mirrors the payload's shape.
 */
import { isV2, v2Issues } from './validate-v2.js';

export interface ErrorTree {
  [key: string]: ErrorTree | { code: string; message: string }[];
}

export interface Issue {
  path: (string | number)[];
  code: string;
  message: string;
}

type Json = Record<string, unknown>;

const maxLength = (path: (string | number)[], value: unknown, max: number, issues: Issue[], min = 0) => {
  if (value === undefined || value === null) return;
  const length = String(value).length;
  if (length > max)
    issues.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  if (length < min)
    issues.push({ path, code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${min} or more in length.` });
};

function embedIssues(embed: Json, i: number, issues: Issue[]): number {
  const at = (...path: (string | number)[]) => ['embeds', i, ...path];
  maxLength(at('title'), embed.title, 256, issues);
  maxLength(at('description'), embed.description, 4096, issues);
  const footer = embed.footer as Json | undefined;
  const author = embed.author as Json | undefined;
  maxLength(at('footer', 'text'), footer?.text, 2048, issues);
  maxLength(at('author', 'name'), author?.name, 256, issues);
  const fields = (embed.fields as Json[] | undefined) ?? [];
  if (fields.length > 25)
    issues.push({
      path: at('fields'),
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 25 or fewer in length.',
    });
  let total = [embed.title, embed.description, footer?.text, author?.name].reduce<number>(
    (n, v) => n + String(v ?? '').length,
    0,
  );
  for (const [f, field] of fields.entries()) {
    maxLength(at('fields', f, 'name'), field.name, 256, issues, 1);
    maxLength(at('fields', f, 'value'), field.value, 1024, issues, 1);
    total += String(field.name ?? '').length + String(field.value ?? '').length;
  }
  for (const key of ['url', 'thumbnail', 'image'] as const) {
    const url = key === 'url' ? embed.url : (embed[key] as Json | undefined)?.url;
    if (url !== undefined && !/^(https?|attachment):\/\//.test(String(url))) {
      issues.push({
        path: key === 'url' ? at('url') : at(key, 'url'),
        code: 'URL_TYPE_INVALID_URL',
        message: 'Not a well formed URL.',
      });
    }
  }
  return total;
}

function componentIssues(rows: Json[], issues: Issue[]): void {
  if (rows.length > 5)
    issues.push({
      path: ['components'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 5 or fewer in length.',
    });
  const ids = new Set<string>();
  for (const [r, row] of rows.entries()) {
    if (row.type !== 1) {
      issues.push({
        path: ['components', r, 'type'],
        code: 'UNION_TYPE_CHOICES',
        message: 'Value of field "type" must be one of (1,).',
      });
      continue;
    }
    const children = (row.components as Json[] | undefined) ?? [];
    if (children.length < 1 || children.length > 5) {
      issues.push({
        path: ['components', r, 'components'],
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 5 in length.',
      });
    }
    for (const [c, child] of children.entries()) {
      const at = ['components', r, 'components', c];
      if (child.type === 2) {
        maxLength([...at, 'label'], child.label, 80, issues);
        const isLink = child.style === 5;
        if (isLink) {
          if (!child.url)
            issues.push({
              path: [...at, 'url'],
              code: 'BASE_TYPE_REQUIRED',
              message: 'This field is required',
            });
          if (child.custom_id !== undefined) {
            issues.push({
              path: [...at, 'custom_id'],
              code: 'COMPONENT_LINK_CUSTOM_ID',
              message: 'A link button cannot have a custom_id.',
            });
          }
          continue;
        }
      }
      const id = child.custom_id;
      if (typeof id !== 'string' || id.length < 1 || id.length > 100) {
        issues.push({
          path: [...at, 'custom_id'],
          code: 'BASE_TYPE_BAD_LENGTH',
          message: 'Must be between 1 and 100 in length.',
        });
      } else if (ids.has(id)) {
        issues.push({
          path: [...at, 'custom_id'],
          code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
          message: 'Component custom id cannot be duplicated',
        });
      } else {
        ids.add(id);
      }
      if (child.type === 3 && ((child.options as unknown[] | undefined)?.length ?? 0) > 25) {
        issues.push({
          path: [...at, 'options'],
          code: 'BASE_TYPE_MAX_LENGTH',
          message: 'Must be 25 or fewer in length.',
        });
      }
    }
  }
}

/**
 * The errors object for a message body, or undefined when Discord would accept it. `v2`: the
 * message being edited is a Components V2 one already (an edit need not repeat the flag).
 */
export function messageErrors(body: Json, options: { v2?: boolean } = {}): ErrorTree | undefined {
  if (isV2(body) || options.v2) {
    const issues = v2Issues(body);
    return issues.length ? toTree(issues) : undefined;
  }
  const issues: Issue[] = [];
  maxLength(['content'], body.content, 2000, issues);
  const embeds = (body.embeds as Json[] | undefined) ?? [];
  if (embeds.length > 10)
    issues.push({
      path: ['embeds'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 10 or fewer in length.',
    });
  const total = embeds.reduce((n, embed, i) => n + embedIssues(embed, i, issues), 0);
  if (total > 6000)
    issues.push({
      path: ['embeds'],
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: 'Embed size exceeds maximum size of 6000',
    });
  componentIssues((body.components as Json[] | undefined) ?? [], issues);
  const choices = body.choices as unknown[] | undefined;
  if (choices && choices.length > 25)
    issues.push({
      path: ['choices'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 25 or fewer in length.',
    });
  return issues.length ? toTree(issues) : undefined;
}

/** Discord's errors object: each issue's message under its path, in `_errors`. */
export function toTree(issues: Issue[]): ErrorTree {
  const tree: ErrorTree = {};
  for (const issue of issues) {
    let node: ErrorTree = tree;
    for (const key of issue.path) {
      const next = (node[String(key)] as ErrorTree | undefined) ?? {};
      node[String(key)] = next;
      node = next;
    }
    const list = (node._errors as { code: string; message: string }[] | undefined) ?? [];
    list.push({ code: issue.code, message: issue.message });
    node._errors = list;
  }
  return tree;
}
