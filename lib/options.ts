// Declarative command-line options: one definition gives parsing (flags win
// over environment, environment over config file, file over defaults),
// validation with messages that name the option, `--help` text and the
// README's configuration reference.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface OptionSpec<T> {
  /** Flag without dashes, e.g. `mqtt-url`; also the config-file key with `_`. */
  flag: string;
  /** Environment variable, e.g. `MQTT_URL`. */
  env?: string;
  description: string;
  default?: T;
  required?: boolean;
  /** Name of the value in help text, e.g. URL, PORT. */
  placeholder?: string;
  /** A boolean switch: `--flag` sets true, takes no value. */
  switch?: boolean;
  parse: (text: string) => T;
}

export type OptionSpecs = Record<string, OptionSpec<unknown>>;
export type OptionValues<S extends OptionSpecs> = {
  [K in keyof S]: S[K] extends OptionSpec<infer T> ? (S[K] extends { default: T } | { required: true } ? T : T | undefined) : never;
};

export interface CommandSpec<S extends OptionSpecs> {
  name: string;
  summary: string;
  /** Longer explanation shown by --help. */
  description: string;
  options: S;
  /** Accept a `--config FILE` (YAML or JSON, keys as flags with `_`). */
  configFile?: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const stringOption = (o: Omit<OptionSpec<string>, 'parse'> & { parse?: (t: string) => string }): OptionSpec<string> => ({
  parse: (text) => text,
  placeholder: 'TEXT',
  ...o,
});

export const integerOption = (
  o: Omit<OptionSpec<number>, 'parse'> & { min?: number; max?: number },
): OptionSpec<number> => ({
  placeholder: 'N',
  ...o,
  parse: (text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || value < (o.min ?? -Infinity) || value > (o.max ?? Infinity)) {
      const range = o.min !== undefined || o.max !== undefined ? ` in ${o.min ?? '-∞'}..${o.max ?? '∞'}` : '';
      throw new Error(`expected an integer${range}, got ${JSON.stringify(text)}`);
    }
    return value;
  },
});

export const switchOption = (o: Omit<OptionSpec<boolean>, 'parse' | 'switch'>): OptionSpec<boolean> => ({
  default: false,
  ...o,
  switch: true,
  parse: (text) => {
    if (/^(1|true|yes|on)$/i.test(text)) return true;
    if (/^(0|false|no|off|)$/i.test(text)) return false;
    throw new Error(`expected true or false, got ${JSON.stringify(text)}`);
  },
});

const describeSource = (spec: OptionSpec<unknown>, source: string): string =>
  source === 'flag' ? `--${spec.flag}` : source === 'env' ? `$${spec.env}` : `config key ${spec.flag.replaceAll('-', '_')}`;

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`config file ${path} must be a mapping of key: value`);
  return parsed as Record<string, unknown>;
}

/** Parses argv (after the subcommand) and env into typed values. `--help` throws HelpRequested. */
export function parseOptions<S extends OptionSpecs>(
  command: CommandSpec<S>,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): OptionValues<S> & { _: string[] } {
  const byFlag = new Map(Object.entries(command.options).map(([key, spec]) => [spec.flag, [key, spec] as const]));
  const raw = new Map<string, { text: string; source: string }>();
  const positional: string[] = [];
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') throw new HelpRequested(formatHelp(command));
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    if (flag === 'config' && command.configFile) {
      configPath = inline ?? argv[++i];
      if (configPath === undefined) throw new UsageError('--config needs a file path');
      continue;
    }
    const entry = byFlag.get(flag);
    if (!entry) throw new UsageError(`unknown option --${flag}; see 'galactic ${command.name} --help'`);
    const [key, spec] = entry;
    let text = inline;
    if (text === undefined) text = spec.switch ? 'true' : argv[++i];
    if (text === undefined) throw new UsageError(`--${flag} needs a value (${spec.placeholder ?? 'TEXT'})`);
    raw.set(key, { text, source: 'flag' });
  }
  const file = configPath !== undefined ? readConfigFile(configPath) : {};
  const values: Record<string, unknown> = { _: positional };
  for (const [key, spec] of Object.entries(command.options)) {
    let found = raw.get(key);
    const envText = spec.env !== undefined ? env[spec.env] : undefined;
    if (!found && envText !== undefined && envText !== '') found = { text: envText, source: 'env' };
    const fileValue = file[spec.flag.replaceAll('-', '_')];
    if (!found && fileValue !== undefined && fileValue !== null) found = { text: String(fileValue), source: 'file' };
    if (!found) {
      if (spec.required) {
        const via = [`--${spec.flag}`, ...(spec.env ? [`$${spec.env}`] : [])].join(' or ');
        throw new UsageError(`missing required option ${via}: ${spec.description}`);
      }
      values[key] = spec.default;
      continue;
    }
    try {
      values[key] = spec.parse(found.text);
    } catch (error) {
      throw new UsageError(`invalid ${describeSource(spec, found.source)}: ${(error as Error).message}`);
    }
  }
  return values as OptionValues<S> & { _: string[] };
}

export class HelpRequested extends Error {
  override name = 'HelpRequested';
  constructor(readonly text: string) {
    super(text);
  }
}

function formatDefault(value: unknown): string {
  if (value === undefined || value === false) return '';
  return ` [default: ${typeof value === 'string' ? value : JSON.stringify(value)}]`;
}

export function formatHelp<S extends OptionSpecs>(command: CommandSpec<S>): string {
  const lines = [`Usage: galactic ${command.name} [options]`, '', command.summary, '', command.description.trim(), '', 'Options:'];
  const specs = Object.values(command.options);
  if (command.configFile) {
    lines.push('  --config FILE', '      YAML or JSON file with any of the options below, keys as the flags with underscores (flag_name: value).');
  }
  for (const spec of specs) {
    const value = spec.switch ? '' : ` ${spec.placeholder ?? 'TEXT'}`;
    const env = spec.env ? `, env ${spec.env}` : '';
    const required = spec.required ? ' (required)' : '';
    lines.push(`  --${spec.flag}${value}${env}${required}${formatDefault(spec.default)}`, `      ${spec.description}`);
  }
  lines.push('  --help', '      Show this help.', '', 'Flags win over environment variables, which win over the config file.');
  return lines.join('\n');
}

/** Markdown table of a command's options, for the README's configuration reference. */
export function formatOptionsMarkdown<S extends OptionSpecs>(command: CommandSpec<S>): string {
  const rows = Object.values(command.options).map((spec) => {
    const flag = `\`--${spec.flag}\``;
    const env = spec.env ? `\`${spec.env}\`` : '';
    const def = spec.default === undefined || spec.default === false ? (spec.required ? 'required' : '') : `\`${String(spec.default)}\``;
    return `| ${flag} | ${env} | ${def} | ${spec.description.replaceAll('|', '\\|')} |`;
  });
  return [`### galactic ${command.name}`, '', command.summary, '', '| flag | environment | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
