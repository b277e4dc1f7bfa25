/** z for a two-sided 95% interval: the 0.975 quantile of the standard normal. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a proportion of `successes` in `total` (Wilson 1927; Newcombe 1998,
 * method 3): good coverage even near 0 or 1 and for small samples, unlike the Wald interval.
 * Null when total is 0.
 */
export function wilsonInterval(successes: number, total: number, z = Z95): [number, number] | null {
  if (!(total > 0) || successes < 0 || successes > total) return null;
  const p = successes / total;
  const z2 = z * z;
  const denominator = 1 + z2 / total;
  const centre = (p + z2 / (2 * total)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
