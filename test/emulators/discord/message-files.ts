/**
 * Files sent with a message, as Discord takes them, wherever a message is made or edited (a
 * channel message, an interaction response, a follow-up, an edit through the token): a
 * multipart/form-data body whose `payload_json` part is the JSON body and whose `files[n]` parts
 * are the files (what discord.js's REST client sends). The body's `attachments` array may rename
 * a file or give it a description (alt text) by the index `n`, and, in an edit, keeps existing
 * attachments by their ids (those left out are removed). `attachment://name` in an embed or a
 * component must name a file of the message. At most 10 files, each at most 10 MiB (the
 * default `attachment_size_limit`); posting files in a channel needs Attach Files.
 *
 * The bytes of what was attached stay readable for tests (`attachmentBytes`).
 */
import { snowflake } from './snowflake.js';

type Json = Record<string, unknown>;

export interface Upload {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface Attachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
  description?: string;
  width?: number;
  height?: number;
}

/** Discord's default upload limit (the guild's `attachment_size_limit`). */
export const ATTACHMENT_SIZE_LIMIT = 10_485_760;
const MAX_FILES = 10;

/** The files of a parsed multipart body, by the body object. */
const uploads = new WeakMap<object, Upload[]>();
/** What each attachment held, by the attachment record. */
const received = new WeakMap<object, Buffer>();

/**
 * The JSON body of a multipart/form-data request (its files kept beside it), or undefined when
 * the request is not multipart. A malformed payload_json reads as an empty body.
 */
export async function readMultipart(contentType: string | undefined, raw: Buffer): Promise<Json | undefined> {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const form = await new Response(new Uint8Array(raw), {
    headers: { 'content-type': contentType },
  }).formData();
  let payload: Json = {};
  const json = form.get('payload_json');
  if (typeof json === 'string') {
    try {
      payload = JSON.parse(json) as Json;
    } catch {
      payload = {};
    }
  }
  const files: Upload[] = [];
  for (const [field, value] of form) {
    if (typeof value === 'string') continue;
    files.push({
      field,
      filename: value.name,
      contentType: value.type,
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  uploads.set(payload, files);
  return payload;
}

/**
 * Files sent with an interaction callback belong to its `data`, the message: the multipart body's
 * payload_json is the whole callback, `{ type, data }`.
 */
export function filesGoWith(body: Json, data: Json): void {
  const files = uploads.get(body);
  if (files) uploads.set(data, files);
}

/** Whether the body came with files. */
export const hasFiles = (body: Json): boolean => (uploads.get(body)?.length ?? 0) > 0;

/** The bytes Discord received for an attachment of a stored message. */
export function attachmentBytes(attachment: unknown): Buffer | undefined {
  return typeof attachment === 'object' && attachment !== null ? received.get(attachment) : undefined;
}

/** The `attachments` entry that names the upload in field `files[n]`. */
function describedAs(body: Json, upload: Upload): Json | undefined {
  const index = /^files\[(\d+)\]$/.exec(upload.field)?.[1];
  const list = Array.isArray(body.attachments) ? (body.attachments as Json[]) : [];
  return index === undefined ? undefined : list.find((a) => String(a.id) === index);
}

function filenameOf(body: Json, upload: Upload): string {
  const named = describedAs(body, upload)?.filename;
  return typeof named === 'string' && named ? named : upload.filename;
}

/** Existing attachments an edit keeps: those whose ids its `attachments` array lists. */
function kept(current: readonly unknown[], body: Json): Attachment[] {
  if (!Array.isArray(body.attachments)) return current as Attachment[];
  const ids = new Set((body.attachments as Json[]).map((a) => String(a.id)));
  return (current as Attachment[]).filter((a) => ids.has(a.id));
}

/** Why Discord refuses the body's files or its `attachment://` references, as its answer. */
export function attachmentErrors(
  body: Json,
  existing?: { attachments?: readonly unknown[] },
): { status: number; code: number; message: string; errors?: unknown } | undefined {
  const files = uploads.get(body) ?? [];
  if (files.length > MAX_FILES)
    return {
      status: 400,
      code: 50035,
      message: 'Invalid Form Body',
      errors: {
        files: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }] },
      },
    };
  if (files.some((f) => f.bytes.length > ATTACHMENT_SIZE_LIMIT))
    return { status: 413, code: 40005, message: 'Request entity too large' };
  const names = new Set([
    ...files.map((f) => filenameOf(body, f)),
    ...(existing ? kept(existing.attachments ?? [], body).map((a) => a.filename) : []),
  ]);
  const missing = references(body).find((name) => !names.has(name));
  if (missing === undefined) return undefined;
  return {
    status: 400,
    code: 50035,
    message: 'Invalid Form Body',
    errors: {
      attachments: {
        _errors: [
          { code: 'ATTACHMENT_NOT_FOUND', message: `No attachment named ${missing} in this message.` },
        ],
      },
    },
  };
}

/** Every `attachment://name` the body's embeds and components point at. */
function references(body: Json): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const name = /^attachment:\/\/(.+)$/.exec(value)?.[1];
      if (name) found.push(name);
    } else if (Array.isArray(value)) for (const v of value) visit(v);
    else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) visit(v);
  };
  visit(body.embeds);
  visit(body.components);
  return found;
}

/** The attachments of a message created from this body. */
export function newAttachments(body: Json, channelId: string): Attachment[] {
  return (uploads.get(body) ?? []).map((upload) => {
    const id = snowflake();
    const filename = filenameOf(body, upload);
    const description = describedAs(body, upload)?.description;
    const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    const attachment: Attachment = {
      id,
      filename,
      size: upload.bytes.length,
      url,
      proxy_url: url.replace('cdn.discordapp.com', 'media.discordapp.net'),
      content_type: upload.contentType,
      ...(typeof description === 'string' ? { description } : {}),
      ...pngSize(upload.bytes),
    };
    received.set(attachment, upload.bytes);
    return attachment;
  });
}

/** A message's attachments after an edit with this body; undefined when it leaves them as they are. */
export function editedAttachments(
  current: readonly unknown[],
  body: Json,
  channelId: string,
): unknown[] | undefined {
  if (!hasFiles(body) && !Array.isArray(body.attachments)) return undefined;
  return [...kept(current, body), ...newAttachments(body, channelId)];
}

/** Discord reports an image's size: a PNG's is in its IHDR chunk. */
function pngSize(bytes: Buffer): { width?: number; height?: number } {
  const signature = bytes.subarray(0, 8).toString('hex') === '89504e470d0a1a0a';
  if (!signature || bytes.length < 24 || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') return {};
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
