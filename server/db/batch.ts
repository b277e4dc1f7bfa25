/** Splits rows for multi-row statements, staying well under SQLite's and PostgreSQL's bound-parameter limits. */
export function chunks<T>(rows: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
