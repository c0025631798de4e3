/** The logger keeps secrets out of every line, whatever shape they arrive in. */
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
});
