import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { UsageError } from './usage';

type OptionSpec = { type: 'string' | 'boolean'; short?: string };
export type Options = Record<string, OptionSpec>;

const COMMON: Options = { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } };

/** Options each command accepts (besides --db and --help). */
export const COMMAND_OPTIONS: Record<string, Options> = {
  'project create': {
    name: { type: 'string' },
    'batch-size': { type: 'string' },
    'lease-hours': { type: 'string' },
    ratings: { type: 'string' },
    'agreement-share': { type: 'string' },
    'agreement-ratings': { type: 'string' },
    sandbox: { type: 'boolean' },
    'requires-cert': { type: 'string' },
    'escalation-target': { type: 'string' },
    'sensitive-per-day': { type: 'string' },
    'sensitive-per-session': { type: 'string' },
    'break-after': { type: 'string' },
    pod: { type: 'string' },
    user: { type: 'string' },
    'all-pods': { type: 'boolean' },
  },
  'project set': {
    'escalation-target': { type: 'string' },
    'sensitive-per-day': { type: 'string' },
    'sensitive-per-session': { type: 'string' },
    'break-after': { type: 'string' },
  },
  'project assign': {
    pod: { type: 'string' },
    user: { type: 'string' },
    'all-pods': { type: 'boolean' },
    remove: { type: 'boolean' },
  },
  'pod create': { name: { type: 'string' }, lead: { type: 'string' } },
  'user add': {
    role: { type: 'string' },
    pod: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  },
  'user revoke': { wipe: { type: 'boolean' } },
  'user role': { role: { type: 'string' } },
  'device list': { user: { type: 'string' } },
  'device revoke': {},
  'device wipe': {},
  'task withdraw': { project: { type: 'string' }, from: { type: 'string' } },
  import: { project: { type: 'string' } },
  export: {
    project: { type: 'string' },
    format: { type: 'string' },
    messages: { type: 'boolean' },
    margin: { type: 'boolean' },
    out: { type: 'string' },
  },
  backup: { out: { type: 'string' }, force: { type: 'boolean' } },
  agreement: { metric: { type: 'string' }, level: { type: 'string' }, seed: { type: 'string' } },
  'course import': { course: { type: 'string' } },
  'exam create': {
    skill: { type: 'string' },
    bank: { type: 'string' },
    draw: { type: 'string' },
    pass: { type: 'string' },
    attempts: { type: 'string' },
    'cooldown-hours': { type: 'string' },
    'time-limit-min': { type: 'string' },
    'valid-days': { type: 'string' },
    'grace-days': { type: 'string' },
    stratify: { type: 'string' },
    guideline: { type: 'string' },
    promote: { type: 'boolean' },
    title: { type: 'string' },
  },
  'exam retire': {},
  'cert list': { user: { type: 'string' } },
  'cert revoke': { skill: { type: 'string' } },
  'cert grant': { skill: { type: 'string' } },
  'calibration create': {
    pod: { type: 'string' },
    from: { type: 'string' },
    due: { type: 'string' },
    title: { type: 'string' },
  },
  'calibration close': {},
  'shadow open': { project: { type: 'string' }, 'set-size': { type: 'string' } },
  'shadow close': { project: { type: 'string' } },
  restore: { 'mark-only': { type: 'boolean' } },
  'audit export': { since: { type: 'string' }, out: { type: 'string' } },
  'gold import': { project: { type: 'string' }, rate: { type: 'string' } },
  'qa configure': {
    project: { type: 'string' },
    share: { type: 'string' },
    overrides: { type: 'boolean' },
    seed: { type: 'string' },
  },
  'qa sample': { project: { type: 'string' }, seed: { type: 'string' } },
  'user grant': { revoke: { type: 'boolean' } },
  'guideline publish': { minor: { type: 'boolean' }, major: { type: 'boolean' }, id: { type: 'string' } },
  'guideline drafts': { state: { type: 'string' }, pod: { type: 'string' } },
  metrics: {
    project: { type: 'string' },
    pod: { type: 'string' },
    reviewer: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    format: { type: 'string' },
    seed: { type: 'string' },
  },
  'metrics thresholds': {
    project: { type: 'string' },
    pod: { type: 'string' },
    'min-agreement': { type: 'string' },
    'max-gold-error': { type: 'string' },
    'max-position-bias': { type: 'string' },
    'window-days': { type: 'string' },
    'min-n': { type: 'string' },
  },
};

export interface Parsed {
  command: string | null;
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/** The words that are not options or option values, whatever the command. */
function positionalWords(argv: string[]): string[] {
  const all: Options = Object.assign({}, COMMON, ...Object.values(COMMAND_OPTIONS));
  try {
    return parseArgs({ args: argv, options: all, allowPositionals: true, strict: false }).positionals;
  } catch {
    return argv.filter((a) => !a.startsWith('-'));
  }
}

/** Finds the command (one or two words) and parses its options strictly. */
export function parseCommandLine(argv: string[]): Parsed {
  const words = positionalWords(argv);
  const two = words.slice(0, 2).join(' ');
  const command = COMMAND_OPTIONS[two] ? two : COMMAND_OPTIONS[words[0] ?? ''] ? words[0]! : null;
  if (command === null) {
    if (words.length === 0) return { command: null, positionals: [], values: { help: argv.length > 0 } };
    throw new UsageError(`unknown command "${two}"`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...COMMON, ...COMMAND_OPTIONS[command] },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''), command);
  }
  const positionals = parsed.positionals.slice(command.split(' ').length);
  return { command, positionals, values: parsed.values as Parsed['values'] };
}

/** The value of a required string option. */
export function required(parsed: Parsed, name: string): string {
  const value = parsed.values[name];
  if (typeof value !== 'string' || value === '') {
    throw new UsageError(`--${name} is required`, parsed.command);
  }
  return value;
}

export function optional(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Exactly `count` positional arguments, named for the error message. */
export function positionals(parsed: Parsed, names: string[]): string[] {
  if (parsed.positionals.length !== names.length) {
    const what = names.map((n) => n.toUpperCase()).join(' ');
    throw new UsageError(
      parsed.positionals.length < names.length
        ? `missing ${what}`
        : `unexpected argument "${parsed.positionals[names.length]}"`,
      parsed.command,
    );
  }
  return parsed.positionals;
}

/** A value checked with a zod schema; the error names the option. */
export function checked<T>(schema: z.ZodType<T>, value: unknown, what: string, command: string | null): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new UsageError(`${what}: ${result.error.issues[0]?.message ?? 'invalid'}`, command);
  }
  return result.data;
}

export function numberOption(
  parsed: Parsed,
  name: string,
  { min, max, integer }: { min: number; max: number; integer: boolean },
): number | undefined {
  const text = optional(parsed, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `--${name}: "${text}" is not ${integer ? 'a whole number' : 'a number'}`,
      parsed.command,
    );
  }
  if (value < min || value > max) {
    throw new UsageError(`--${name}: must be between ${min} and ${max}`, parsed.command);
  }
  return value;
}
