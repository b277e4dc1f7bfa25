// Compares two metrics reports (JSON files, e.g. the bench project's report before and after a
// change to how figures are computed): every count must be equal and every other number agree to
// 1e-12 relative (sums taken in another order may change the last digits). Prints each difference
// and the largest relative one; exits 1 when they do not agree.
//
//   npx tsx test/bench/metrics-compare.ts before.json after.json
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RELATIVE = 1e-12;

/** The differences between two reports (paths and values), and the largest relative one seen. */
export function compareReports(a: unknown, b: unknown): { differences: string[]; maxRelative: number } {
  const differences: string[] = [];
  let maxRelative = 0;
  const walk = (x: unknown, y: unknown, at: string) => {
    if (typeof x === 'number' && typeof y === 'number') {
      if (x === y) return;
      const relative = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
      maxRelative = Math.max(maxRelative, relative);
      if (Number.isInteger(x) && Number.isInteger(y)) differences.push(`${at}: count ${x} != ${y}`);
      else if (!(relative <= RELATIVE)) differences.push(`${at}: ${x} != ${y} (relative ${relative})`);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) differences.push(`${at}: ${x.length} entries != ${y.length}`);
      else x.forEach((v, i) => walk(v, y[i], `${at}[${i}]`));
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object') {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const k of keys)
        walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${at}.${k}`);
      return;
    }
    if (x !== y) differences.push(`${at}: ${JSON.stringify(x)} != ${JSON.stringify(y)}`);
  };
  walk(a, b, '$');
  return { differences, maxRelative };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [before, after] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as unknown);
  const { differences, maxRelative } = compareReports(before, after);
  for (const d of differences.slice(0, 50)) console.log(d);
  console.log(
    `${differences.length} differences beyond ${RELATIVE} relative (counts exactly); largest relative difference ${maxRelative}`,
  );
  process.exit(differences.length > 0 ? 1 : 0);
}
