// The logger interface every package takes, and its pino implementation.
import { pino } from 'pino';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

type LogFn = (obj: object | string, msg?: string) => void;

/** The subset of pino the node uses, so tests can pass a silent one. */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): Logger;
  isLevelEnabled(level: LogLevel): boolean;
}

export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  level: LogLevel;
  /** JSON lines for machines, or one readable line per entry for a terminal. */
  format: LogFormat;
  /** File descriptor to write to; 2 (stderr) keeps stdout for the banner. */
  fd: number;
}

export const defaultLoggerOptions: LoggerOptions = { level: 'info', format: 'json', fd: 2 };

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

/** Formats one pino JSON line as `12:00:01.234 INFO  [module] message key=value ...`. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { level, time, msg, module, err, ...fields } = entry;
  const clock = new Date(typeof time === 'number' ? time : Date.now()).toISOString().slice(11, 23);
  const parts = [clock, LEVEL_NAMES[level as number] ?? String(level)];
  if (module !== undefined) parts.push(`[${String(module)}]`);
  parts.push(String(msg ?? ''));
  for (const [key, value] of Object.entries(fields))
    parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  let line = parts.join(' ');
  if (typeof err === 'object' && err !== null) {
    const e = err as { message?: string; stack?: string };
    line += `\n  ${(e.stack ?? e.message ?? JSON.stringify(err)).split('\n').join('\n  ')}`;
  }
  return `${line}\n`;
}

export function createLogger(opts: Partial<LoggerOptions> = {}): Logger {
  const { level, format, fd } = { ...defaultLoggerOptions, ...opts };
  const destination = pino.destination({ fd, sync: false });
  if (format === 'json') return pino({ level, base: null }, destination);
  return pino({ level, base: null }, { write: (line: string) => destination.write(prettyLine(line)) });
}

/** A logger that drops everything, for unit tests. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
