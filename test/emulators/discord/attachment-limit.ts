/**
 * Discord's size limit on files: each file at most the `attachment_size_limit` the interaction
 * carried (for its webhook's messages), or the server's limit for a channel message. Past it the
 * whole request is refused with HTTP 413 and code 40005, and nothing is posted. Read from the raw
 * multipart body, before message-files.ts makes a message of it.
 */

/** Discord's default upload limit (a server without boosts): 10 MiB. */
export const DEFAULT_ATTACHMENT_LIMIT = 10_485_760;

/** The size of each file part of a multipart/form-data body (none for any other body). */
export function fileSizes(contentType: string | undefined, raw: Buffer): number[] {
  const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!boundary) return [];
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter has no CRLF before it: search from a virtual one.
  const body = Buffer.concat([Buffer.from('\r\n'), raw]);
  const sizes: number[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1 && /filename="/i.test(part.subarray(0, split).toString('utf8')))
      sizes.push(part.length - split - 4);
    at = next;
  }
  return sizes;
}

export function refuseLargeFiles(
  contentType: string | undefined,
  raw: Buffer,
  limit: number,
): { status: number; body: unknown } | undefined {
  if (!fileSizes(contentType, raw).some((size) => size > limit)) return undefined;
  return { status: 413, body: { code: 40005, message: 'Request entity too large' } };
}

/** The interaction token in a webhook route's path, if it is one. */
export function webhookToken(pathname: string): string | undefined {
  const token = /\/webhooks\/\d+\/([^/]+)/.exec(pathname)?.[1];
  return token === undefined ? undefined : decodeURIComponent(token);
}
