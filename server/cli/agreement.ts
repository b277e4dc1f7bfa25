import type { Parsed } from './args';
import { numberOption, optional, positionals, required } from './args';
import { CsvError, readCsv } from './csv';
import { CliError, UsageError } from './usage';
import { DEFAULT_SEED } from '../../shared/metrics/bootstrap';
import { cohenKappa } from '../../shared/metrics/cohen';
import { fleissKappa } from '../../shared/metrics/fleiss';
import { kendallW } from '../../shared/metrics/kendall';
import type { Level } from '../../shared/metrics/krippendorff';
import { LEVELS, krippendorffAlpha } from '../../shared/metrics/krippendorff';
import { percentAgreement } from '../../shared/metrics/percent';
import {
  DuplicateRatingError,
  IntColumn,
  MetricInputError,
  RatingsTable,
} from '../../shared/metrics/ratings';
import type { Coefficient } from '../../shared/metrics/result';

export const METRICS = ['percent', 'cohen', 'fleiss', 'krippendorff', 'kendall-w'] as const;
type Metric = (typeof METRICS)[number];

const HEADER = ['item', 'rater', 'value'];
const FIELD_NAMES = HEADER;
/** bad lines listed before giving up on the file */
const MAX_LISTED = 20;

/**
 * `agreement FILE --metric M [--level L] [--seed N]`: an agreement coefficient over any ratings
 * table (CSV `item,rater,value`), printed as one JSON object. Opens no database. The file is
 * streamed; ratings are kept as integer columns (docs/metrics.md, "agreement CLI").
 */
export async function agreementCommand(
  parsed: Parsed,
  print: (line: string) => void,
  printError: (line: string) => void,
) {
  const [file] = positionals(parsed, ['file']);
  const metric = required(parsed, 'metric');
  if (!(METRICS as readonly string[]).includes(metric)) {
    throw new UsageError(`--metric: "${metric}" is not one of ${METRICS.join(', ')}`, parsed.command);
  }
  const level = levelOf(metric as Metric, optional(parsed, 'level'), parsed.command);
  const seed = numberOption(parsed, 'seed', { min: 0, max: 2 ** 32 - 1, integer: true }) ?? DEFAULT_SEED;
  const numeric = level !== 'nominal';

  const table = new RatingsTable();
  const lineOfRow = new IntColumn();
  const errors: string[] = [];
  const fail = (line: number, message: string) => void errors.push(`${file}:${line}: ${message}`);
  let header = true;
  try {
    for await (const record of readCsv(file!)) {
      if (record instanceof CsvError) {
        fail(record.line, record.message);
        if (header) break;
        continue;
      }
      const { line, fields } = record;
      if (header) {
        header = false;
        if (fields.map((f) => f.trim().toLowerCase()).join(',') !== HEADER.join(',')) {
          fail(line, `the header must be "${HEADER.join(',')}", found "${fields.join(',')}"`);
          break;
        }
        continue;
      }
      if (fields.length !== 3) {
        fail(line, `expected 3 fields (${HEADER.join(',')}), found ${fields.length}`);
        continue;
      }
      const [item, rater, raw] = fields.map((f) => f.trim()) as [string, string, string];
      if (item === '') fail(line, `${FIELD_NAMES[0]}: must not be empty`);
      if (rater === '') fail(line, `${FIELD_NAMES[1]}: must not be empty`);
      if (item === '' || rater === '') continue;
      let value: string | null = raw === '' ? null : raw;
      if (value !== null && numeric) {
        const number = Number(value);
        if (!Number.isFinite(number)) {
          fail(
            line,
            `value: "${value}" is not a number (the ${metric === 'kendall-w' ? 'rank' : `${level} level`} needs numbers)`,
          );
          continue;
        }
        if (level === 'ratio' && number < 0) {
          fail(line, `value: ${value} is negative (the ratio level needs values >= 0)`);
          continue;
        }
        value = String(number); // "1", "1.0" and "01" are one value
      }
      if (table.add(item, rater, value) !== -1) lineOfRow.push(line);
    }
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (header && errors.length === 0)
    fail(1, `the file is empty: the header "${HEADER.join(',')}" is missing`);
  if (errors.length) {
    for (const e of errors.slice(0, MAX_LISTED)) printError(e);
    const more = errors.length > MAX_LISTED ? ` (first ${MAX_LISTED} listed)` : '';
    throw new CliError(`${file}: ${errors.length} bad line(s)${more}`);
  }

  let result: Coefficient & { [extra: string]: unknown };
  try {
    result = compute(metric as Metric, level, table, seed);
  } catch (error) {
    if (error instanceof DuplicateRatingError) {
      const lines = lineOfRow.view();
      throw new CliError(
        `${file}:${lines[error.row]}: rater "${error.rater}" already rated item "${error.item}" on line ${lines[error.firstRow]}`,
      );
    }
    if (error instanceof MetricInputError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
  const { value, observed, expected, n, ci95, bootstrap, reason, ...extra } = result;
  print(
    JSON.stringify({
      metric,
      level,
      value,
      observed,
      expected,
      items: n.items,
      raters: n.raters,
      pairable: n.pairable,
      ci95: ci95 ?? null,
      seed,
      resamples: bootstrap?.resamples ?? 0,
      ...(reason ? { reason } : {}),
      ...extra,
    }),
  );
}

function levelOf(metric: Metric, given: string | undefined, command: string | null): Level {
  if (given !== undefined && !(LEVELS as readonly string[]).includes(given)) {
    throw new UsageError(`--level: "${given}" is not one of ${LEVELS.join(', ')}`, command);
  }
  const fixed: Partial<Record<Metric, Level>> = {
    percent: 'nominal',
    cohen: 'nominal',
    fleiss: 'nominal',
    'kendall-w': 'ordinal',
  };
  const only = fixed[metric];
  if (only && given !== undefined && given !== only) {
    throw new UsageError(`--level: ${metric} is defined at the ${only} level only`, command);
  }
  return only ?? (given as Level | undefined) ?? 'nominal';
}

function compute(
  metric: Metric,
  level: Level,
  table: RatingsTable,
  seed: number,
): Coefficient & { [extra: string]: unknown } {
  const options = { bootstrap: { seed } };
  switch (metric) {
    case 'percent':
      return { ...percentAgreement(table.itemCounts(), options) };
    case 'cohen':
      return { ...cohenKappa(table, options) };
    case 'fleiss': {
      const { ratersPerItem, ...kappa } = fleissKappa(table.itemCounts(), options);
      return { ...kappa, ratersPerItem };
    }
    case 'krippendorff': {
      const numbers = level === 'nominal' ? null : table.numericValues();
      const { level: _level, ...alpha } = krippendorffAlpha(table.itemCounts(), level, numbers, options);
      return alpha;
    }
    case 'kendall-w':
      return { ...kendallW(table, table.numericValues(), options) };
  }
}
