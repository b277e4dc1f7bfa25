import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendRecord, lastValues, ratioText, readHistory } from '../../bench/history';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rw-bench-history-'));
  dirs.push(dir);
  return path.join(dir, 'history.jsonl');
};

describe('benchmark history', () => {
  it('appends records and compares each key with the last run that recorded it', () => {
    const file = tempFile();
    expect(readHistory(file)).toEqual([]);
    appendRecord({ 'ui.a': 40, 'ui.b': 10 }, file, new Date('2026-11-01T10:00:00Z'));
    appendRecord({ 'ui.a': 20 }, file, new Date('2026-11-20T10:00:00Z'));
    const history = readHistory(file);
    expect(history.map((r) => r.results)).toEqual([{ 'ui.a': 40, 'ui.b': 10 }, { 'ui.a': 20 }]);
    expect(history[0]!.machine).toMatch(/GiB, node v/);
    const last = lastValues(history);
    expect(ratioText(25, last.get('ui.a'))).toBe('1.25× (2026-11-20)');
    // a key the last run did not measure compares with the run that did
    expect(ratioText(5, last.get('ui.b'))).toBe('0.50× (2026-11-01)');
    expect(ratioText(5, last.get('ui.new'))).toBe('');
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('names the line of a damaged history', () => {
    const file = tempFile();
    writeFileSync(file, '{"date":"x","commit":"c","machine":"m","results":{}}\n{oops\n');
    expect(() => readHistory(file)).toThrow(`${file}:2: not valid JSON`);
  });
});
