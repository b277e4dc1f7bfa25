import type { BootstrapOptions } from './bootstrap';
import { everyUnit, withInterval } from './bootstrap';
import type { RatingsTable } from './ratings';
import { DuplicateRatingError, MetricInputError } from './ratings';
import type { Coefficient } from './result';
import { undefinedCoefficient } from './result';

/**
 * Cohen's kappa (Cohen 1960) for exactly two raters: kappa = (p_o - p_e) / (1 - p_e), p_o the
 * share of items both rated on which they agree, p_e = sum_c p_1c p_2c from each rater's own
 * marginal shares. Items only one of them rated are skipped. p_e = 1 (both always gave the same
 * single value): kappa is undefined (null). Throws MetricInputError for other than two raters.
 */
export function cohenKappa(
  table: RatingsTable,
  options: { bootstrap?: BootstrapOptions | false } = {},
): Coefficient {
  if (table.raters.size !== 2) {
    const names = table.raters.names.slice(0, 5).join(', ');
    throw new MetricInputError(
      `Cohen's kappa needs exactly two raters, found ${table.raters.size}${names ? ` (${names}${table.raters.size > 5 ? ', …' : ''})` : ''}`,
    );
  }
  const { item, rater, value } = table.columns();
  const itemCount = table.items.size;
  const first = new Int32Array(itemCount).fill(-1);
  const second = new Int32Array(itemCount).fill(-1);
  const firstRow = new Int32Array(itemCount);
  const secondRow = new Int32Array(itemCount);
  for (let row = 0; row < item.length; row++) {
    const [values, rows] = rater[row] === 0 ? [first, firstRow] : [second, secondRow];
    const u = item[row]!;
    if (values[u] !== -1) {
      throw new DuplicateRatingError(table.items.names[u]!, table.raters.names[rater[row]!]!, row, rows[u]!);
    }
    values[u] = value[row]!;
    rows[u] = row;
  }
  // the items both rated, as cells of the K x K table
  const K = table.values.size;
  const cells: number[] = [];
  for (let u = 0; u < itemCount; u++)
    if (first[u] !== -1 && second[u] !== -1) cells.push(first[u]! * K + second[u]!);
  const n = { items: cells.length, raters: 2, pairable: 2 * cells.length };
  if (cells.length === 0) return undefinedCoefficient('no item was rated by both raters', n);

  const rows = new Float64Array(K);
  const columns = new Float64Array(K);
  const compute = (draw: ArrayLike<number>, length: number) => {
    rows.fill(0);
    columns.fill(0);
    let agreeing = 0;
    for (let i = 0; i < length; i++) {
      const cell = cells[draw[i]!]!;
      const a = Math.floor(cell / K);
      const b = cell % K;
      rows[a]!++;
      columns[b]!++;
      if (a === b) agreeing++;
    }
    let expected = 0;
    for (let c = 0; c < K; c++) expected += (rows[c]! / length) * (columns[c]! / length);
    const observed = agreeing / length;
    return {
      observed,
      expected,
      value: expected >= 1 - 1e-12 ? null : (observed - expected) / (1 - expected),
    };
  };
  const whole = compute(everyUnit(cells.length), cells.length);
  if (whole.value === null) {
    return undefinedCoefficient(
      'both raters gave one and the same value to every item: chance agreement is 1',
      n,
      whole.observed,
      whole.expected,
    );
  }
  return withInterval<Coefficient>(
    { value: whole.value, observed: whole.observed, expected: whole.expected, n },
    options.bootstrap,
    cells.length,
    (draw) => compute(draw, cells.length).value,
    cells.length + K,
  );
}
