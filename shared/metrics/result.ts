/** What every agreement coefficient returns: the chance-corrected value beside the raw agreement. */
export interface SampleSize {
  /** items that entered the coefficient (for most: those with two or more values) */
  items: number;
  /** distinct raters that gave a value */
  raters: number;
  /** values that entered the coefficient (Krippendorff's n: values in items with two or more) */
  pairable: number;
}

export interface Coefficient {
  /** the coefficient; null when undefined, with `reason` saying why (never NaN) */
  value: number | null;
  /** raw (observed) agreement, 0..1: kappa alone misleads when one answer dominates */
  observed: number | null;
  /** the agreement expected by chance, 0..1, where the coefficient defines one */
  expected: number | null;
  n: SampleSize;
  reason?: string;
  /** percentile bootstrap 95% interval over items (null when it could not be formed) */
  ci95?: [number, number] | null;
  /** how the interval was drawn: resamples actually drawn (0 = none) and the generator's seed */
  bootstrap?: { resamples: number; seed: number };
}

/** A coefficient that cannot be computed on this data. */
export const undefinedCoefficient = (
  reason: string,
  n: SampleSize,
  observed: number | null = null,
  expected: number | null = null,
): Coefficient => ({ value: null, observed, expected, n, reason, ci95: null });
