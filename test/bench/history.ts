// The benchmark's memory (issue 12, "Keep it fast"): every recorded run as one JSON line in
// docs/benchmarks-history.jsonl (date, commit, machine, numbers), and each key's ratio to the last
// run that recorded it, so a regression shows the moment it lands.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const HISTORY_FILE = path.resolve(import.meta.dirname, '../../docs/benchmarks-history.jsonl');

export type BenchRecord = {
  date: string;
  commit: string;
  machine: string;
  results: Record<string, number>;
};

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

export function readHistory(file = HISTORY_FILE): BenchRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as BenchRecord;
      } catch (error) {
        throw new Error(`${file}:${i + 1}: not valid JSON: ${(error as Error).message}`, { cause: error });
      }
    });
}

/** each key's value in the last record that has it */
export function lastValues(history: readonly BenchRecord[]): Map<string, { value: number; date: string }> {
  const last = new Map<string, { value: number; date: string }>();
  for (const record of history)
    for (const [key, value] of Object.entries(record.results)) last.set(key, { value, date: record.date });
  return last;
}

/** "0.93× (2026-11-29)": this run over the last recorded one; '' when there is none to compare */
export function ratioText(value: number, last: { value: number; date: string } | undefined): string {
  if (!last || last.value === 0) return '';
  return `${(value / last.value).toFixed(2)}× (${last.date.slice(0, 10)})`;
}

function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function appendRecord(
  results: Record<string, number>,
  file = HISTORY_FILE,
  now = new Date(),
): BenchRecord {
  const record: BenchRecord = {
    date: now.toISOString(),
    commit: currentCommit(),
    machine: machine(),
    results,
  };
  appendFileSync(file, JSON.stringify(record) + '\n');
  return record;
}
