import { afterAll, describe, expect, it } from 'vitest';
import { cli, removeTempFiles, tempFile } from './helpers';

afterAll(() => removeTempFiles());

/** The agreement command opens no database: the --db the helper adds is never created. */
const NO_DB = '/nonexistent/agreement-test.db';
const agreement = (file: string, ...args: string[]) => cli(NO_DB, 'agreement', file, ...args);

const csv = (rows: (string | number | null)[][]) =>
  ['item,rater,value', ...rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(','))].join('\n') +
  '\n';

/** rater-by-item matrix (null = missing) as CSV rows */
const matrixCsv = (matrix: Record<string, (string | number | null)[]>) =>
  csv(Object.entries(matrix).flatMap(([rater, row]) => row.map((v, i) => [`u${i + 1}`, rater, v])));

/** Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section E: 4 observers x 12 units */
const KRIPPENDORFF_2011 = matrixCsv({
  A: [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  C: [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
});

const output = (stdout: string) => JSON.parse(stdout) as Record<string, unknown> & { ci95: [number, number] };

describe('server CLI: agreement', () => {
  it.each([
    ['nominal', 0.743],
    ['ordinal', 0.815],
    ['interval', 0.849],
    ['ratio', 0.797],
  ])('krippendorff at %s level: the Krippendorff (2011) example gives %s', async (level, published) => {
    const run = await agreement(
      tempFile('k.csv', KRIPPENDORFF_2011),
      '--metric',
      'krippendorff',
      '--level',
      level,
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const result = output(run.stdout);
    expect(result).toMatchObject({
      metric: 'krippendorff',
      level,
      items: 11,
      raters: 4,
      pairable: 40,
      seed: 1,
    });
    expect(result.value).toBeCloseTo(published, 3);
    expect(result.observed).toBeCloseTo(32 / 40, 12);
    expect(result.ci95[0]).toBeLessThanOrEqual(result.value as number);
    expect(result.ci95[1]).toBeGreaterThanOrEqual(result.value as number);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('krippendorff defaults to nominal; the same seed prints the same interval, another seed another', async () => {
    const file = tempFile('k.csv', KRIPPENDORFF_2011);
    const a = output((await agreement(file, '--metric', 'krippendorff')).stdout);
    const b = output((await agreement(file, '--metric', 'krippendorff')).stdout);
    const c = output((await agreement(file, '--metric', 'krippendorff', '--seed', '99')).stdout);
    expect(a.level).toBe('nominal');
    expect(a.ci95).toEqual(b.ci95);
    expect(c.seed).toBe(99);
    expect(c.ci95).not.toEqual(a.ci95);
  });

  it('cohen: the Wikipedia "Cohen\'s kappa" example (20/5/10/15 of 50) gives 0.4', async () => {
    // Wikipedia, "Cohen's kappa", "Simple example": p_o = 0.7, p_e = 0.5, kappa = 0.4
    const cells: [string, string, number][] = [
      ['yes', 'yes', 20],
      ['yes', 'no', 5],
      ['no', 'yes', 10],
      ['no', 'no', 15],
    ];
    let i = 0;
    const rows = cells.flatMap(([a, b, times]) =>
      Array.from({ length: times }, () => {
        i++;
        return [
          [`app${i}`, 'reader A', a],
          [`app${i}`, 'reader B', b],
        ];
      }).flat(),
    );
    const run = await agreement(tempFile('c.csv', csv(rows)), '--metric', 'cohen');
    expect(run.code).toBe(0);
    const result = output(run.stdout);
    expect(result).toMatchObject({ metric: 'cohen', level: 'nominal', items: 50, raters: 2 });
    expect(result.value).toBeCloseTo(0.4, 12);
    expect(result.observed).toBeCloseTo(0.7, 12);
    expect(result.expected).toBeCloseTo(0.5, 12);
  });

  it('fleiss and percent: the Wikipedia "Fleiss\' kappa" worked example (kappa 0.210, P-bar 0.378)', async () => {
    // Wikipedia, "Fleiss' kappa", "Worked example": 10 subjects x 14 raters x 5 categories
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const rows = table.flatMap((counts, subject) => {
      let rater = 0;
      return counts.flatMap((count, category) =>
        Array.from({ length: count }, () => [`s${subject + 1}`, `r${++rater}`, `cat${category + 1}`]),
      );
    });
    const file = tempFile('f.csv', csv(rows));
    const fleiss = output((await agreement(file, '--metric', 'fleiss')).stdout);
    expect(fleiss).toMatchObject({ metric: 'fleiss', items: 10, raters: 14, pairable: 140 });
    expect(fleiss.value).toBeCloseTo(0.21, 3);
    expect(fleiss.observed).toBeCloseTo(0.378, 3);
    expect(fleiss.expected).toBeCloseTo(0.213, 3);
    const percent = output((await agreement(file, '--metric', 'percent')).stdout);
    expect(percent.value).toBeCloseTo(0.378, 3);
    expect(percent.expected).toBeNull();
  });

  it('kendall-w: 4 judges ranking 8 objects (InfluentialPoints worked example, W = 0.744)', async () => {
    // InfluentialPoints, "Kendall's coefficient of concordance", worked example I
    const file = tempFile(
      'w.csv',
      matrixCsv({
        A: [8, 4, 2, 3, 5, 1, 6, 7],
        B: [7, 3, 1, 4, 5, 2, 6, 8],
        C: [8, 2, 5, 6, 7, 1, 4, 3],
        D: [8, 3, 4, 2, 5, 1, 6, 7],
      }),
    );
    const result = output((await agreement(file, '--metric', 'kendall-w')).stdout);
    expect(result).toMatchObject({ metric: 'kendall-w', level: 'ordinal', items: 8, raters: 4, dropped: 0 });
    expect(result.value).toBeCloseTo(0.744, 3);
  });

  it('reads RFC 4180 quoting: commas, doubled quotes and line breaks inside quoted fields', async () => {
    const file = tempFile(
      'q.csv',
      'item,rater,value\r\n"a, b",x,"say ""hi"""\r\n"a, b",y,"say ""hi"""\r\nc,x,"two\nlines"\r\nc,y,"two\nlines"\r\nd,x,no\r\nd,y,yes\r\n',
    );
    const result = output((await agreement(file, '--metric', 'cohen')).stdout);
    expect(result).toMatchObject({ items: 3, raters: 2 });
    expect(result.observed).toBeCloseTo(2 / 3, 12);
  });

  it('an empty value is missing: skipped, not counted', async () => {
    const file = tempFile(
      'm.csv',
      csv([
        ['a', 'x', 1],
        ['a', 'y', 1],
        ['b', 'x', 2],
        ['b', 'y', null],
        ['c', 'x', 1],
        ['c', 'y', 2],
      ]),
    );
    const result = output((await agreement(file, '--metric', 'percent')).stdout);
    expect(result).toMatchObject({ items: 2, pairable: 4, value: 0.5 });
  });

  it.each([
    [
      'a wrong header',
      'item,judge,value\na,x,1\n',
      /:1: the header must be "item,rater,value", found "item,judge,value"/,
    ],
    [
      'too few fields',
      'item,rater,value\na,x,1\na,y\n',
      /:3: expected 3 fields \(item,rater,value\), found 2/,
    ],
    ['too many fields', 'item,rater,value\na,x,1,2\n', /:2: expected 3 fields \(item,rater,value\), found 4/],
    ['an empty item', 'item,rater,value\n,x,1\n', /:2: item: must not be empty/],
    ['an empty rater', 'item,rater,value\na, ,1\n', /:2: rater: must not be empty/],
    ['a stray quote', 'item,rater,value\na,x"y,1\n', /:2: field 2: a quote inside an unquoted field/],
    ['text after a quote', 'item,rater,value\n"a"b,x,1\n', /:2: field 1: text after a closing quote/],
    [
      'an unclosed quote',
      'item,rater,value\na,x,1\nb,y,"open\n',
      /:3: field 3: a quoted field is not closed/,
    ],
    [
      'a duplicate rating',
      'item,rater,value\na,x,1\na,y,1\na,x,2\n',
      /:4: rater "x" already rated item "a" on line 2/,
    ],
    ['an empty file', '', /:1: the file is empty/],
  ])('rejects %s naming the line (exit 1)', async (_what, content, message) => {
    const file = tempFile('bad.csv', content);
    const run = await agreement(file, '--metric', 'percent');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(file);
    expect(run.stderr).toMatch(message);
  });

  it('rejects non-numeric values at interval and ratio level, negative at ratio level, with the line', async () => {
    const file = tempFile('n.csv', 'item,rater,value\na,x,1\na,y,high\nb,x,-2\nb,y,3\n');
    const interval = await agreement(file, '--metric', 'krippendorff', '--level', 'interval');
    expect(interval.code).toBe(1);
    expect(interval.stderr).toContain(
      `${file}:3: value: "high" is not a number (the interval level needs numbers)`,
    );
    expect(interval.stderr).not.toContain(':4:');
    const ratio = await agreement(file, '--metric', 'krippendorff', '--level', 'ratio');
    expect(ratio.stderr).toContain(`${file}:3: value: "high" is not a number`);
    expect(ratio.stderr).toContain(`${file}:4: value: -2 is negative`);
  });

  it('cohen with other than two raters is a clear error', async () => {
    const file = tempFile(
      'three.csv',
      csv([
        ['a', 'x', 1],
        ['a', 'y', 1],
        ['a', 'z', 2],
      ]),
    );
    const run = await agreement(file, '--metric', 'cohen');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Cohen's kappa needs exactly two raters, found 3 (x, y, z)");
  });

  it('usage errors exit 2: unknown metric, a level the metric does not have, no metric, no file', async () => {
    const file = tempFile('k.csv', KRIPPENDORFF_2011);
    const cases: [string[], RegExp][] = [
      [
        [file, '--metric', 'icc'],
        /--metric: "icc" is not one of percent, cohen, fleiss, krippendorff, kendall-w/,
      ],
      [[file, '--metric', 'cohen', '--level', 'interval'], /cohen is defined at the nominal level only/],
      [[file, '--metric', 'krippendorff', '--level', 'fuzzy'], /--level: "fuzzy" is not one of/],
      [[file], /--metric is required/],
      [['--metric', 'percent'], /missing FILE/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(NO_DB, 'agreement', ...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('an unreadable file is an error naming it', async () => {
    const run = await agreement('/nonexistent/ratings.csv', '--metric', 'percent');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot read \/nonexistent\/ratings.csv/);
  });

  it('has help', async () => {
    const run = await cli(NO_DB, 'agreement', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--metric M/);
  });
});
