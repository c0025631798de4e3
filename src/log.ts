/**
 * A small structured logger: one JSON object per line on stderr, with context merged in.
 * Values under keys that name secrets are replaced before anything is written, so a token
 * passed by mistake in a context object still never reaches the log.
 */
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

const SECRET_KEY = /token|secret|password|authorization|verifier|cookie|^code$|(^|_|encryption)key$/i;

/**
 * Interaction and webhook tokens travel in URLs (`/webhooks/<app>/<token>/…`), which discord.js
 * errors carry: anyone holding one could post as Flock for 15 minutes.
 */
const TOKEN_IN_URL =
  /\b(webhooks|interactions)(\/|%2F)(\d+)(\/|%2F)[^/?#\s"%]+(?:%[0-9A-F]{2}[^/?#\s"%]*)*/gi;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(TOKEN_IN_URL, '$1$2$3$4[redacted]');
  // Deeper than this is not worth the risk of writing something unredacted.
  if (depth > 5) return '[truncated]';
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message), ...redactObject(value as object, depth) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return redactObject(value, depth);
}

function redactObject(value: object, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== undefined ? '[redacted]' : redact(item, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default. Tests pass a collector to search the output. */
  write?: (line: string) => void;
  context?: LogContext;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const base = options.context ?? {};
  const emit = (level: LogLevel, message: string, context?: LogContext) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const entry = {
      time: new Date().toISOString(),
      level,
      message,
      ...(redact({ ...base, ...context }) as object),
    };
    write(JSON.stringify(entry));
  };
  return {
    debug: (message, context) => emit('debug', message, context),
    info: (message, context) => emit('info', message, context),
    warn: (message, context) => emit('warn', message, context),
    error: (message, context) => emit('error', message, context),
    child: (context) => createLogger({ ...options, context: { ...base, ...context } }),
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
