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

export interface LoggerOptions {
  level: LogLevel;
  /** File descriptor to write JSON lines to; 2 (stderr) keeps stdout for the banner. */
  fd: number;
}

export const defaultLoggerOptions: LoggerOptions = { level: 'info', fd: 2 };

export function createLogger(opts: Partial<LoggerOptions> = {}): Logger {
  const { level, fd } = { ...defaultLoggerOptions, ...opts };
  return pino({ level, base: null }, pino.destination({ fd, sync: false }));
}

/** A logger that drops everything, for unit tests. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
