// Structured logging: one JSON object per line on stderr, with a component
// and any context fields, so logs are greppable and machine-readable.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines all carry these fields too. */
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

export interface LoggerOptions {
  level?: LogLevel;
  sink?: LogSink;
}

function parseLevel(text: string | undefined): LogLevel {
  return text !== undefined && text in LEVEL_RANK ? (text as LogLevel) : 'info';
}

/** Longest string value a log line carries; longer ones are cut, so no input can make a huge line. */
export const MAX_LOG_VALUE = 2000;

const cut = (_key: string, value: unknown): unknown =>
  typeof value === 'string' && value.length > MAX_LOG_VALUE ? `${value.slice(0, MAX_LOG_VALUE)}… (${value.length} characters)` : value;

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { message: value.message, ...(value.name !== 'Error' ? { name: value.name } : {}) };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function createLogger(component: string, options: LoggerOptions = {}, base: LogFields = {}): Logger {
  const level = options.level ?? parseLevel(process.env.LOG_LEVEL);
  const sink = options.sink ?? ((line: string) => process.stderr.write(`${line}\n`));
  const write = (lineLevel: LogLevel, msg: string, fields: LogFields = {}): void => {
    if (LEVEL_RANK[lineLevel] < LEVEL_RANK[level]) return;
    const record: LogFields = { time: new Date().toISOString(), level: lineLevel, component, msg };
    for (const [key, value] of Object.entries({ ...base, ...fields })) record[key] = serialise(value);
    sink(JSON.stringify(record, cut));
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger(component, { level, sink }, { ...base, ...fields }),
  };
}

/** A logger that keeps its lines, for tests that assert on what was logged. */
export function memoryLogger(component = 'test'): Logger & { lines: LogFields[] } {
  const lines: LogFields[] = [];
  const logger = createLogger(component, { level: 'debug', sink: (line) => lines.push(JSON.parse(line) as LogFields) });
  return Object.assign(logger, { lines });
}
