import { z } from 'zod';
import { Id } from './task';

export const GoldenExample = z.strictObject({
  title: z.string().min(1).max(300),
  /** markdown: the prompt/responses excerpt and the correct judgement with its reasoning */
  markdown: z.string().max(50_000),
});
export type GoldenExample = z.infer<typeof GoldenExample>;

export const Guideline = z.strictObject({
  id: Id,
  title: z.string().min(1).max(300),
  version: z.string().min(1).max(50),
  markdown: z.string().max(500_000),
  examples: z.array(GoldenExample).max(200).default([]),
});
export type Guideline = z.infer<typeof Guideline>;

/**
 * The next minor version of a guideline version string: "2" -> "2.1", "2.3" -> "2.4",
 * "v3.1" -> "v3.2"; a version without a number -> "0.1". The major number stays (a minor change
 * asks no one to re-certify: shared/training/standing.ts majorVersion).
 */
export function nextMinorVersion(version: string): string {
  const match = /(\d+)(?:\.(\d+))?/.exec(version);
  if (!match) return '0.1';
  const minor = match[2] === undefined ? 1 : Number(match[2]) + 1;
  return (
    version.slice(0, match.index) + `${match[1]}.${minor}` + version.slice(match.index + match[0].length)
  );
}
