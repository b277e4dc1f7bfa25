import type { Kysely } from 'kysely';
import type { MetricsReport } from '../../shared/metrics/report';
import type { Database } from '../db/schema';
import { computeMetrics, MetricsScopeError } from '../metrics/compute';
import { metricsCsv } from '../metrics/csv';
import { saveThresholds } from '../metrics/thresholds-store';
import type { ThresholdValues } from '../metrics/thresholds-store';
import type { Print } from './admin';
import type { Parsed } from './args';
import { numberOption, optional, positionals, required } from './args';
import { CliError, UsageError } from './usage';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A --since / --until value: a day (YYYY-MM-DD, UTC; --until includes that whole day) or an
 * ISO-8601 instant. Anything else is a usage error (exit 2).
 */
export function parseDateOption(parsed: Parsed, name: 'since' | 'until'): string | null {
  const text = optional(parsed, name);
  if (text === undefined) return null;
  const day = DAY.test(text);
  const ms = Date.parse(day ? `${text}T00:00:00.000Z` : text);
  const valid = Number.isFinite(ms) && (day || /^\d{4}-\d{2}-\d{2}T/.test(text));
  if (!valid || (day && new Date(ms).toISOString().slice(0, 10) !== text)) {
    throw new UsageError(
      `--${name}: "${text}" is not a date (YYYY-MM-DD) or an ISO-8601 time`,
      parsed.command,
    );
  }
  return new Date(day && name === 'until' ? ms + 86_400_000 : ms).toISOString();
}

/** `metrics --project P [...]`: the report as JSON (default) or one CSV row per pod and reviewer. */
export async function metricsCommand(
  db: Kysely<Database>,
  parsed: Parsed,
  print: Print,
): Promise<MetricsReport> {
  positionals(parsed, []);
  const projectId = required(parsed, 'project');
  const format = optional(parsed, 'format') ?? 'json';
  if (format !== 'json' && format !== 'csv') {
    throw new UsageError(`--format: "${format}" is not one of json, csv`, parsed.command);
  }
  const since = parseDateOption(parsed, 'since');
  const until = parseDateOption(parsed, 'until');
  if (since !== null && until !== null && since >= until) {
    throw new UsageError(`--since must be before --until`, parsed.command);
  }
  const seed = numberOption(parsed, 'seed', { min: 0, max: 2 ** 32 - 1, integer: true });
  let report: MetricsReport;
  try {
    report = await computeMetrics(db, {
      projectId,
      pod: optional(parsed, 'pod') ?? null,
      reviewer: optional(parsed, 'reviewer') ?? null,
      since,
      until,
      ...(seed !== undefined ? { bootstrap: { seed } } : {}),
    });
  } catch (error) {
    if (error instanceof MetricsScopeError) throw new CliError(error.message);
    throw error;
  }
  print(format === 'csv' ? metricsCsv(report).trimEnd() : JSON.stringify(report, null, 2));
  return report;
}

/** `metrics thresholds --project P [--pod X] --min-agreement …`: sets the bars; prints them. */
export async function metricsThresholdsCommand(
  db: Kysely<Database>,
  parsed: Parsed,
  print: Print,
): Promise<void> {
  positionals(parsed, []);
  const projectId = required(parsed, 'project');
  const podId = optional(parsed, 'pod') ?? null;
  const values: Partial<ThresholdValues> = {};
  const set = <K extends keyof ThresholdValues>(key: K, value: ThresholdValues[K] | undefined) => {
    if (value !== undefined) values[key] = value;
  };
  set('minAgreement', numberOption(parsed, 'min-agreement', { min: 0, max: 1, integer: false }));
  set('maxGoldError', numberOption(parsed, 'max-gold-error', { min: 0, max: 1, integer: false }));
  set('maxPositionBias', numberOption(parsed, 'max-position-bias', { min: 0, max: 0.5, integer: false }));
  set('windowDays', numberOption(parsed, 'window-days', { min: 1, max: 3660, integer: true }));
  set('minN', numberOption(parsed, 'min-n', { min: 1, max: 1_000_000_000, integer: true }));
  const project = await db.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst();
  if (!project) throw new CliError(`--project: no project "${projectId}"`);
  if (
    podId !== null &&
    !(await db.selectFrom('pods').select('id').where('id', '=', podId).executeTakeFirst())
  ) {
    throw new CliError(`--pod: no pod "${podId}"`);
  }
  const saved = await saveThresholds(db, projectId, podId, values, new Date());
  print(JSON.stringify({ projectId, pod: podId, ...saved }));
}
