/** The logger keeps secrets out of every line, whatever shape they arrive in. */
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

function lines(write: (log: ReturnType<typeof createLogger>) => void): string {
  const out: string[] = [];
  write(createLogger({ level: 'debug', write: (line) => out.push(line) }));
  return out.join('\n');
}

describe('log redaction', () => {
  it('hides values under secret-looking keys', () => {
    const text = lines((log) =>
      log.info('x', { accessToken: 'AT-1', nested: { client_secret: 'CS-1', code: 'C-1' } }),
    );
    for (const secret of ['AT-1', 'CS-1', 'C-1']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it("keeps Discord's numeric error codes, which say what failed, and hides a code that is text", () => {
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5:secretPart_-x';
    const url = `https://discord.com/api/v10/interactions/123456789012345678/${token}/callback`;
    const error = new DiscordAPIError(
      { code: 10062, message: 'Unknown interaction' },
      10062,
      404,
      'POST',
      url,
      {
        body: {},
      },
    );
    const text = lines((log) => {
      log.error('interaction failed', { error });
      log.info('oauth', { query: { code: 'oauth-code-1', state: 's' } });
    });
    expect(text).toContain('"code":10062');
    expect(text).not.toContain('secretPart');
    expect(text).not.toContain('oauth-code-1');
  });

  it("keeps an error's own code in capitals (Node's, undici's, SQLite's), and still hides other text codes", () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const odd = Object.assign(new Error('exchange failed'), { code: 'Qm9yZWQ6MTox-oauth' });
    const text = lines((log) => {
      log.warn('callback failed', { error: reset });
      log.warn('write failed', { error: busy });
      log.warn('exchange failed', { error: odd, query: { code: 'ABCDEFGHIJ' } });
    });
    expect(text).toContain('"code":"ECONNRESET"');
    expect(text).toContain('"code":"SQLITE_BUSY"');
    expect(text).not.toContain('Qm9yZWQ6MTox');
    // Outside an error, a code is an authorization code whatever it looks like.
    expect(text).not.toContain('ABCDEFGHIJ');
  });

  it('hides interaction and webhook tokens inside URLs and error messages', () => {
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5:secretPart_-x';
    const error = Object.assign(
      new Error(`PATCH /webhooks/123456789012345678/${token}/messages/@original failed`),
      {
        url: `https://discord.com/api/v10/webhooks/123456789012345678/${encodeURIComponent(token)}/messages/%40original`,
      },
    );
    const text = lines((log) => {
      log.warn('could not edit', { error });
      log.warn('callback', { path: `/interactions/123456789012345678/${token}/callback` });
    });
    expect(text).not.toContain('secretPart');
    expect(text).toContain('webhooks/123456789012345678/[redacted]');
    expect(text).toContain('interactions/123456789012345678/[redacted]');
  });

  it('writes nothing from deeper than it looks', () => {
    const deep = {
      a: { b: { c: { d: { e: { f: { g: { token: 'DEEP-SECRET', other: 'DEEP-PLAIN' } } } } } } },
    };
    const text = lines((log) => log.info('deep', deep));
    expect(text).not.toContain('DEEP-SECRET');
    expect(text).not.toContain('DEEP-PLAIN');
    expect(text).toContain('[truncated]');
  });

  it('writes a file a failed upload carries as its size, not its bytes', () => {
    // As discord.js reports a refused upload: the request body, files and all, on the error.
    const csv = Buffer.alloc(10 * 1024 * 1024, 'a');
    const error = Object.assign(new Error('Request entity too large'), {
      requestBody: { files: [{ name: 'followers.csv', data: csv }], json: { content: 'x' } },
    });
    const text = lines((log) =>
      log.error('could not send the export', { error, rows: Array(5000).fill('r') }),
    );
    expect(text).toContain('[10485760 bytes]');
    expect(text).toContain('[4900 more]');
    expect(text.length).toBeLessThan(5_000);
  });

  it('cuts a very long string', () => {
    const text = lines((log) => log.warn('long', { body: 'b'.repeat(50_000) }));
    expect(text).toContain('…[40000 more characters]');
    expect(text.length).toBeLessThan(11_000);
  });
});

describe('child loggers', () => {
  it('write their fields after who wrote the line and before its message, redacted like any field', () => {
    const out: string[] = [];
    const log = createLogger({ level: 'info', write: (line) => out.push(line) });
    const child = log.child({ part: 'router', interactionToken: 'IT-1' }).child({ command: 'lookup' });
    child.info('answered', { ms: 3 });
    const line = JSON.parse(out[0] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(line)).toEqual([
      'level',
      'time',
      'pid',
      'hostname',
      'process',
      'part',
      'interactionToken',
      'command',
      'message',
      'ms',
    ]);
    expect(line).toMatchObject({ part: 'router', interactionToken: '[redacted]', command: 'lookup' });
    expect(out[0]).not.toContain('IT-1');
  });

  it('let a field of the line replace a field of the child, once', () => {
    const out: string[] = [];
    const log = createLogger({ level: 'info', write: (line) => out.push(line) });
    log.child({ part: 'a' }).warn('w', { part: 'b' });
    expect(out[0]?.match(/"part"/g)).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '{}')).toMatchObject({ part: 'b' });
  });

  it('write nothing below the level, children included', () => {
    const out: string[] = [];
    const log = createLogger({ level: 'warn', write: (line) => out.push(line) });
    log.child({ part: 'x' }).info('quiet');
    log.debug('quiet');
    log.child({ part: 'x' }).error('loud');
    expect(out).toHaveLength(1);
  });
});
