import type { z } from 'zod';
import type { ImportIssue } from '../queue';
import { Task } from '../task';
import { isPreferenceRow, preferenceRowToTask } from './preference';
import type { Issue, Sha256Hex } from './preference';

/**
 * Task import shared by the workstation and the server: JSONL line parsing, preference-row
 * conversion and error collection. Storage stays with the caller (atomic transaction there).
 */
export const MAX_IMPORT_ERRORS = 100;

/** The documents a task may refer to by id (taxonomy, rationale template, guideline). */
export interface KnownRefs {
  readonly taxonomies: ReadonlyMap<string, unknown>;
  readonly templates: ReadonlyMap<string, unknown>;
  readonly guidelines: ReadonlyMap<string, unknown>;
}

/** Non-blank lines of a JSONL text with their 1-based numbers; a leading BOM is dropped. */
export function* jsonlLines(text: string): Generator<{ number: number; line: string }> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = i === 0 ? stripBom(lines[i]!) : lines[i]!;
    if (line.trim() !== '') yield { number: i + 1, line };
  }
}

export function stripBom(line: string): string {
  return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}

/**
 * Validates lines one by one and collects their issues, at most MAX_IMPORT_ERRORS;
 * `truncated` turns true (and the caller stops) when one more issue would not fit.
 */
export class TaskLineValidator {
  readonly errors: ImportIssue[] = [];
  truncated = false;

  constructor(
    private readonly refs: KnownRefs,
    private readonly sha256Hex: Sha256Hex,
  ) {}

  /** The line's task, or null when it had issues (recorded in `errors`). */
  accept(lineNumber: number, line: string): Task | null {
    const result = parseTaskLine(line, this.refs, this.sha256Hex);
    if ('task' in result) return result.task;
    for (const issue of result.issues) if (!this.report(lineNumber, issue)) break;
    return null;
  }

  /** Records an issue found on a line; false (and `truncated`) once the list is full. */
  report(lineNumber: number, issue: Issue): boolean {
    if (this.errors.length === MAX_IMPORT_ERRORS) {
      this.truncated = true;
      return false;
    }
    this.errors.push({ line: lineNumber, ...issue });
    return true;
  }
}

/** One JSONL line -> a valid task whose taxonomy, template and guideline exist, or field-level issues. */
export function parseTaskLine(
  line: string,
  refs: KnownRefs,
  sha256Hex: Sha256Hex,
): { task: Task } | { issues: Issue[] } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { issues: [{ path: '(json)', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  if (isPreferenceRow(value)) {
    const converted = preferenceRowToTask(value, sha256Hex);
    if ('issues' in converted) return converted;
    value = converted.task;
  }
  const parsed = Task.safeParse(value);
  if (!parsed.success) return { issues: describeIssues(parsed.error, value) };
  const task = parsed.data;
  const issues = unknownReferences(task, refs);
  return issues.length ? { issues } : { task };
}

/** Issues for a task's taxonomy, template or guideline id that no known document has. */
export function unknownReferences(task: Task, refs: KnownRefs): Issue[] {
  const issues: Issue[] = [];
  const reference = (
    field: string,
    id: string | undefined,
    known: ReadonlyMap<string, unknown>,
    what: string,
  ) => {
    if (id !== undefined && !known.has(id)) {
      issues.push({
        path: field,
        message: `unknown ${what} "${id}" (known: ${[...known.keys()].join(', ') || 'none'})`,
      });
    }
  };
  reference('tags', task.tags, refs.taxonomies, 'taxonomy');
  reference('rationale', task.rationale, refs.templates, 'rationale template');
  reference('guideline', task.guideline, refs.guidelines, 'guideline');
  return issues;
}

/**
 * zod issues in the words a lead or an author needs: a missing field says "is required" and
 * each unknown field is reported at its own path instead of at its parent. Paths are formatted
 * like shared `formatIssues` (`responses.2.id`), under `prefix` when one is given (`key.ranks.r1`).
 */
export function describeIssues(error: z.ZodError, value: unknown, prefix = ''): Issue[] {
  const pathOf = (path: readonly PropertyKey[]) => {
    const parts = [...(prefix ? [prefix] : []), ...path.map(String)];
    return parts.length ? parts.join('.') : '(root)';
  };
  return error.issues.flatMap((issue): Issue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }));
    }
    const missing = issue.path.length > 0 && valueAt(value, issue.path) === undefined;
    return [{ path: pathOf(issue.path), message: missing ? 'is required' : issue.message }];
  });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
