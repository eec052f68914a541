// Command-line arguments of the bench scripts: `--name N` numbers with a default.

/** The number after `--name` on the command line, or `fallback`; a value that is not a number is an error. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number, got ${JSON.stringify(process.argv[i + 1] ?? '')}`);
  return value;
}
