/**
 * Ratings tables: item x rater -> value, built one rating at a time so a large input streams in.
 * Ratings are kept as three integer columns (codes into interned names), never as one object per
 * rating: a million ratings take about 12 MB.
 */

/** Distinct strings to dense integer codes, in first-seen order. */
export class Interner {
  private readonly codes = new Map<string, number>();
  readonly names: string[] = [];

  code(name: string): number {
    let code = this.codes.get(name);
    if (code === undefined) {
      code = this.names.length;
      this.codes.set(name, code);
      this.names.push(name);
    }
    return code;
  }

  find(name: string): number | undefined {
    return this.codes.get(name);
  }

  get size(): number {
    return this.names.length;
  }
}

/** A growable column of 32-bit integers. */
export class IntColumn {
  private data = new Int32Array(256);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** Room for `more` values without growing on each push. */
  reserve(more: number): void {
    if (this.length + more <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.length + more) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }

  /** The filled part (a view: valid until the next push). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** The input breaks an assumption of a metric (two raters for Cohen, numbers for interval, …). */
export class MetricInputError extends Error {}

/** One rater rated one item twice: `row` and `firstRow` are the rows' indices in the table. */
export class DuplicateRatingError extends MetricInputError {
  constructor(
    readonly item: string,
    readonly rater: string,
    readonly row: number,
    readonly firstRow: number,
  ) {
    super(`rater "${rater}" rated item "${item}" twice`);
  }
}

/**
 * Per item, how many raters gave each value: a compressed sparse row layout. Item `u` holds the
 * entries `start[u] .. start[u + 1] - 1`, each a value code and its count. Every agreement
 * coefficient except Cohen's kappa and Kendall's W depends on the data only through these counts.
 */
export interface ItemCounts {
  readonly items: number;
  readonly start: Int32Array;
  readonly value: Int32Array;
  readonly count: Int32Array;
  /** value codes run 0 .. values - 1 */
  readonly values: number;
  /** distinct raters that gave any value (reported as n.raters; the counts do not need them) */
  readonly raters: number;
}

/** Builds ItemCounts one item at a time (for data that arrives already counted, such as tags). */
export class ItemCountsBuilder {
  private readonly starts = new IntColumn();
  private readonly valueColumn = new IntColumn();
  private readonly countColumn = new IntColumn();
  private maxValue = -1;

  constructor() {
    this.starts.push(0);
  }

  /** Adds `count` ratings of `value` to the current item (call once per distinct value). */
  add(value: number, count: number): void {
    if (count <= 0) return;
    this.valueColumn.push(value);
    this.countColumn.push(count);
    if (value > this.maxValue) this.maxValue = value;
  }

  endItem(): void {
    this.starts.push(this.valueColumn.length);
  }

  /** `times` items alike, `counts[v]` ratings of value v each: add and endItem, `times` times. */
  addItems(counts: readonly number[], times: number): void {
    const values: number[] = [];
    counts.forEach((count, value) => count > 0 && values.push(value));
    const k = values.length;
    this.starts.reserve(times);
    this.valueColumn.reserve(times * k);
    this.countColumn.reserve(times * k);
    for (let i = 0; i < times; i++) {
      for (const value of values) {
        this.valueColumn.push(value);
        this.countColumn.push(counts[value]!);
      }
      this.starts.push(this.valueColumn.length);
    }
    if (k > 0 && values[k - 1]! > this.maxValue) this.maxValue = values[k - 1]!;
  }

  build(raters: number, values = this.maxValue + 1): ItemCounts {
    return {
      items: this.starts.length - 1,
      start: this.starts.view().slice(),
      value: this.valueColumn.view().slice(),
      count: this.countColumn.view().slice(),
      values,
      raters,
    };
  }
}

export class RatingsTable {
  readonly items = new Interner();
  readonly raters = new Interner();
  readonly values = new Interner();
  private readonly itemColumn = new IntColumn();
  private readonly raterColumn = new IntColumn();
  private readonly valueColumn = new IntColumn();

  /**
   * Adds one rating and returns its row index. A missing value (null or '') is skipped, not
   * counted: it adds no row, no rater and no item (returns -1).
   */
  add(item: string, rater: string, value: string | null): number {
    if (value === null || value === '') return -1;
    this.itemColumn.push(this.items.code(item));
    this.raterColumn.push(this.raters.code(rater));
    this.valueColumn.push(this.values.code(value));
    return this.itemColumn.length - 1;
  }

  get size(): number {
    return this.itemColumn.length;
  }

  /** The rows as columns of codes (views: valid until the next add). */
  columns(): { item: Int32Array; rater: Int32Array; value: Int32Array } {
    return { item: this.itemColumn.view(), rater: this.raterColumn.view(), value: this.valueColumn.view() };
  }

  /**
   * Each distinct value as a number, by value code. Throws naming the first value that is not
   * a finite number (levels other than nominal need numbers).
   */
  numericValues(): Float64Array {
    const numbers = new Float64Array(this.values.size);
    this.values.names.forEach((name, code) => {
      const number = Number(name);
      if (name.trim() === '' || !Number.isFinite(number)) {
        throw new MetricInputError(`value "${name}" is not a number`);
      }
      numbers[code] = number;
    });
    return numbers;
  }

  /**
   * Groups the rows by item (a counting sort: O(rows + items)) into per-item value counts.
   * Throws DuplicateRatingError when a rater rated an item twice.
   */
  itemCounts(): ItemCounts {
    const { item, rater, value } = this.columns();
    const itemCount = this.items.size;
    const rows = this.sortedByItem();
    const lastItemOf = new Int32Array(this.raters.size).fill(-1);
    const rowOf = new Int32Array(this.raters.size);
    const countOf = new Int32Array(this.values.size);
    const touched: number[] = [];
    const builder = new ItemCountsBuilder();
    let r = 0;
    for (let u = 0; u < itemCount; u++) {
      for (; r < rows.length && item[rows[r]!] === u; r++) {
        const row = rows[r]!;
        const who = rater[row]!;
        if (lastItemOf[who] === u) {
          throw new DuplicateRatingError(this.items.names[u]!, this.raters.names[who]!, row, rowOf[who]!);
        }
        lastItemOf[who] = u;
        rowOf[who] = row;
        const v = value[row]!;
        if (countOf[v] === 0) touched.push(v);
        countOf[v]!++;
      }
      for (const v of touched) {
        builder.add(v, countOf[v]!);
        countOf[v] = 0;
      }
      touched.length = 0;
      builder.endItem();
    }
    return builder.build(this.raters.size, this.values.size);
  }

  /** Row indices ordered by item code, rows of one item in input order. */
  private sortedByItem(): Int32Array {
    const { item } = this.columns();
    const offsets = new Int32Array(this.items.size + 1);
    for (let row = 0; row < item.length; row++) offsets[item[row]! + 1]!++;
    for (let u = 0; u < this.items.size; u++) offsets[u + 1]! += offsets[u]!;
    const rows = new Int32Array(item.length);
    for (let row = 0; row < item.length; row++) rows[offsets[item[row]!]!++] = row;
    return rows;
  }
}

/** Builds a table from a rater-by-item matrix (null = missing): handy for worked examples. */
export function tableFromMatrix(
  matrix: Readonly<Record<string, readonly (string | number | null)[]>>,
): RatingsTable {
  const table = new RatingsTable();
  for (const [rater, row] of Object.entries(matrix)) {
    row.forEach((value, item) => table.add(String(item + 1), rater, value === null ? null : String(value)));
  }
  return table;
}

/** The items with two or more values (the only ones a pair of ratings can come from). */
export interface PairableItems {
  /** item indices into the ItemCounts */
  items: Int32Array;
  /** values in each of those items (m_u) */
  sizes: Int32Array;
  /** total values in them (Krippendorff's n) */
  values: number;
}

export function pairableItems(counts: ItemCounts): PairableItems {
  const items = new IntColumn();
  const sizes = new IntColumn();
  let values = 0;
  for (let u = 0; u < counts.items; u++) {
    let m = 0;
    for (let e = counts.start[u]!; e < counts.start[u + 1]!; e++) m += counts.count[e]!;
    if (m < 2) continue;
    items.push(u);
    sizes.push(m);
    values += m;
  }
  return { items: items.view().slice(), sizes: sizes.view().slice(), values };
}
