/**
 * Structured logs from pino: one JSON object per line on stderr, each carrying `pid`, `hostname`,
 * the `process` name and (once app.ts knows it) the `shard`, so the lines of several Flock
 * processes can be told apart. Values under keys that name secrets are replaced before anything
 * is written, so a token passed by mistake in a context object still never reaches the log.
 */
import { hostname } from 'node:os';
import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogContext = Record<string, unknown>;

export interface Logger {
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
  child(context: LogContext): Logger;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const SECRET_KEY = /token|secret|password|authorization|verifier|cookie|(^|_|encryption)key$/i;

/**
 * The codes Node, undici and SQLite give their errors: capitals, digits and underscores
 * (ECONNRESET, UND_ERR_SOCKET, SQLITE_BUSY). An OAuth authorization code is random mixed-case text.
 */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{2,39}$/;

/**
 * Whether a value is written as `[redacted]`: one under a secret-looking key, or a `code` that is
 * text (an OAuth authorization code). A numeric `code` is Discord's or X's error code (10062,
 * "Unknown interaction"), and an error's own code in capitals is the library's (ECONNRESET): each
 * is what an operator reads a failure's line for.
 */
function isSecret(key: string, item: unknown, ofError: boolean): boolean {
  if (item === undefined) return false;
  if (SECRET_KEY.test(key)) return true;
  if (!/^code$/i.test(key) || typeof item === 'number') return false;
  return !(ofError && typeof item === 'string' && ERROR_CODE.test(item));
}

/**
 * Interaction and webhook tokens travel in URLs (`/webhooks/<app>/<token>/…`), which discord.js
 * errors carry: anyone holding one could post as Flock for 15 minutes.
 */
const TOKEN_IN_URL =
  /\b(webhooks|interactions)(\/|%2F)(\d+)(\/|%2F)[^/?#\s"%]+(?:%[0-9A-F]{2}[^/?#\s"%]*)*/gi;

export function redact(value: unknown, depth = 0): unknown {
  return scrub(value, depth, false);
}

/** A string, an array and a file are written up to this much: a log line is not a place for a file's bytes. */
const MAX_STRING = 10_000;
const MAX_ITEMS = 100;

function scrub(value: unknown, depth: number, stacks: boolean): unknown {
  if (typeof value === 'string') {
    const text = value.replace(TOKEN_IN_URL, '$1$2$3$4[redacted]');
    return text.length > MAX_STRING
      ? `${text.slice(0, MAX_STRING)}…[${text.length - MAX_STRING} more characters]`
      : text;
  }
  // Deeper than this is not worth the risk of writing something unredacted.
  if (depth > 5) return '[truncated]';
  if (value === null || typeof value !== 'object') return value;
  // A failed upload's error carries the file (discord.js puts it in requestBody.files): walked
  // key by key, a 10 MiB CSV would be ten million fields, more than the heap holds.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (value instanceof Error) {
    return {
      name: value.name,
      message: scrub(value.message, depth, stacks),
      ...(stacks && value.stack ? { stack: scrub(value.stack, depth, stacks) } : {}),
      ...scrubObject(value, depth, stacks, true),
    };
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => scrub(item, depth + 1, stacks));
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more]`] : items;
  }
  return scrubObject(value, depth, stacks);
}

function scrubObject(
  value: object,
  depth: number,
  stacks: boolean,
  ofError = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecret(key, item, ofError) ? '[redacted]' : scrub(item, depth + 1, stacks);
  }
  return out;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (without their newline); stderr by default. Tests pass a collector to search the output. */
  write?: (line: string) => void;
  /**
   * Fields on every line: `process` (`flock-<pid>` unless given) and, where known, `shard`.
   * Given here rather than through `child()`, a field replaces the default instead of repeating it.
   */
  context?: LogContext;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  // Errors are written as Flock always wrote them (name, message, own fields): the stack only at
  // debug, where an operator chasing a fault asks for it; at info and above the error's kind and
  // message say what happened without a multi-kilobyte line per failure. A stack repeats the
  // message, so it goes through the same URL-token rule.
  const stacks = level === 'debug';
  const instance = pino(
    {
      level,
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      base: redact({
        pid: process.pid,
        hostname: hostname(),
        process: `flock-${process.pid}`,
        ...options.context,
      }) as LogContext,
      formatters: {
        level: (label) => ({ level: label }),
        // pino's `redact` option only knows fixed paths: it cannot say "any key anywhere that looks
        // like a secret" nor find a token inside a URL in a string, so every line's fields pass
        // through Flock's own rule here.
        log: (entry) => scrub(entry, 0, stacks) as Record<string, unknown>,
      },
      // pino's default `err` serializer would reshape an error logged under `err` (and add its
      // stack) after the rule above; Flock's shape holds under every key.
      serializers: { err: (value: unknown) => value },
    },
    options.write ? lineWriter(options.write) : stderr(),
  );
  return wrap(instance);
}

/**
 * Synchronous writes to fd 2: `process.exit()` right after a log call (a failed start-up, the
 * end of shutdown) keeps that last line, which an asynchronous buffer would drop. Flock logs a
 * few lines per interaction or alert, so blocking on each write costs nothing that matters.
 * No transport either: those run in a worker thread.
 */
function stderr(): DestinationStream {
  return pino.destination({ dest: 2, sync: true });
}

function lineWriter(write: (line: string) => void): DestinationStream {
  return { write: (chunk) => write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) };
}

function wrap(instance: PinoLogger, bindings?: LogContext): Logger {
  // The message goes in the fields (pino would append it last) so each line reads level, time,
  // who wrote it (process, shard, a child's context), message, then the line's own context.
  // A child is its fields and nothing else: the router makes one for every interaction and most
  // write nothing, so it costs no pino child (whose bindings pino serializes up front) and a
  // level that is off costs no object. Its fields pass the `log` formatter's rule with the line.
  const at =
    (level: LogLevel) =>
    (message: string, context?: LogContext): void => {
      if (instance.isLevelEnabled(level)) instance[level]({ ...bindings, message, ...context });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (context) => wrap(instance, bindings ? { ...bindings, ...context } : context),
  };
}

/** A logger that drops everything, for library defaults. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
