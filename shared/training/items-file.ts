import { z } from 'zod';
import { MAX_IMPORT_ERRORS, describeIssues, jsonlLines, unknownReferences } from '../import/parse';
import type { KnownRefs } from '../import/parse';
import type { ImportIssue } from '../queue';
import { Id, Task } from '../task';
import { AnswerKey, keyProblems } from './key';
import type { CalibrationItem, TrainingItem } from './key';
import type { CourseDoc, CourseModule } from './docs';

/**
 * Item and course files (docs/training.md, "Item files"): JSON Lines, validated like task imports
 * (every line checked, at most MAX_IMPORT_ERRORS issues, `FILE:LINE: PATH: MESSAGE`) and atomic:
 * a file with any issue yields nothing. Pure, so the server CLI and tests share it.
 */
export type ItemFileResult<T> =
  { ok: true; value: T } | { ok: false; errors: ImportIssue[]; truncated: boolean };

type Issue = { path: string; message: string };

/** `FILE:LINE: PATH: MESSAGE`, as task imports print them. */
export function formatItemIssue(file: string, issue: ImportIssue): string {
  return `${file}:${issue.line}: ${issue.path}: ${issue.message}`;
}

/** The header line of a course file. */
const CourseHeader = z.strictObject({
  title: z.string().min(1, 'must not be empty').max(300).optional(),
  description: z.string().max(20_000).optional(),
  version: z.string().min(1, 'must not be empty').max(50).optional(),
});
/** A line that starts a module; the item lines below it belong to it. */
const ModuleHeader = z.strictObject({
  id: Id,
  title: z.string().min(1, 'must not be empty').max(300),
  lesson: z.string().max(100_000).optional(),
});
/** the bounds CourseDoc puts on modules and their items, checked per line to name the line */
const MAX_MODULES = 50;
const MAX_MODULE_ITEMS = 200;

/** Collects issues up to MAX_IMPORT_ERRORS; `full` once one more would not fit. */
class IssueList {
  readonly errors: ImportIssue[] = [];
  truncated = false;

  get full() {
    return this.truncated;
  }

  add(line: number, issues: readonly Issue[]): void {
    for (const issue of issues) {
      if (this.errors.length === MAX_IMPORT_ERRORS) {
        this.truncated = true;
        return;
      }
      this.errors.push({ line, path: issue.path, message: issue.message });
    }
  }

  fail(): { ok: false; errors: ImportIssue[]; truncated: boolean } {
    return { ok: false, errors: this.errors, truncated: this.truncated };
  }
}

/**
 * What an item may refer to: the tag ids its key may name, and the taxonomies, rationale templates
 * and guidelines its task may name (each checked only when given).
 */
export type ItemRefs = { tagIds?: ReadonlySet<string>; refs?: KnownRefs };

/** Item lines: a task plus `key`. With keys 'optional' (calibration rounds) a missing key is null. */
export function parseItemFile(
  text: string,
  opts: { keys: 'required' } & ItemRefs,
): ItemFileResult<TrainingItem[]>;
export function parseItemFile(
  text: string,
  opts: { keys: 'required' | 'optional' } & ItemRefs,
): ItemFileResult<CalibrationItem[]>;
export function parseItemFile(
  text: string,
  opts: { keys: 'required' | 'optional' } & ItemRefs,
): ItemFileResult<CalibrationItem[]> {
  const issues = new IssueList();
  const ids = new TaskIds();
  const items: CalibrationItem[] = [];
  for (const { number, line } of jsonlLines(text)) {
    const value = parseLine(line);
    const item = 'issues' in value ? value : parseItem(value.json, opts.keys, opts);
    if ('issues' in item) issues.add(number, item.issues);
    else {
      issues.add(number, ids.see(item.task.id, number));
      items.push(item);
    }
    if (issues.full) break;
  }
  if (items.length === 0 && issues.errors.length === 0)
    issues.add(1, [{ path: '(root)', message: 'no items: the file holds no item line' }]);
  return issues.errors.length ? issues.fail() : { ok: true, value: items };
}

/**
 * A course file: an optional first line `{"course": {...}}`, then `{"module": {...}}` lines, each
 * followed by its item lines (keys required).
 */
export function parseCourseFile(
  text: string,
  opts: { courseId: string } & ItemRefs,
): ItemFileResult<CourseDoc> {
  const issues = new IssueList();
  const idCheck = Id.safeParse(opts.courseId);
  if (!idCheck.success) {
    issues.add(0, [{ path: 'courseId', message: idCheck.error.issues[0]!.message }]);
    return issues.fail();
  }
  const ids = new TaskIds();
  const moduleLines = new Map<string, number>();
  let header: z.infer<typeof CourseHeader> = {};
  const modules: CourseModule[] = [];
  let first = true;
  for (const { number, line } of jsonlLines(text)) {
    const isFirst = first;
    first = false;
    const value = parseLine(line);
    if ('issues' in value) {
      issues.add(number, value.issues);
    } else if (isObject(value.json) && 'course' in value.json) {
      const parsed = headerLine(value.json, 'course', CourseHeader);
      if (!isFirst)
        issues.add(number, [{ path: 'course', message: 'the course line must be the first line' }]);
      else if ('issues' in parsed) issues.add(number, parsed.issues);
      else header = parsed.value;
    } else if (isObject(value.json) && 'module' in value.json) {
      const parsed = headerLine(value.json, 'module', ModuleHeader);
      if ('issues' in parsed) issues.add(number, parsed.issues);
      else {
        const earlier = moduleLines.get(parsed.value.id);
        if (earlier !== undefined)
          issues.add(number, [
            {
              path: 'module.id',
              message: `duplicate module id "${parsed.value.id}" (first on line ${earlier})`,
            },
          ]);
        else if (modules.length === MAX_MODULES)
          issues.add(number, [{ path: 'module', message: `a course holds at most ${MAX_MODULES} modules` }]);
        moduleLines.set(parsed.value.id, earlier ?? number);
        const { lesson, ...rest } = parsed.value;
        modules.push({ ...rest, lesson: lesson ?? '', items: [] });
      }
    } else if (!looksLikeItem(value.json)) {
      issues.add(number, [
        {
          path: '(root)',
          message: 'unknown line: expected {"course": …}, {"module": …} or an item (a task with a key)',
        },
      ]);
    } else {
      const item = parseItem(value.json, 'required', opts);
      const current = modules.at(-1);
      if ('issues' in item) issues.add(number, item.issues);
      else {
        issues.add(number, ids.see(item.task.id, number));
        if (!current)
          issues.add(number, [
            { path: '(root)', message: 'an item before any module: put a {"module": …} line above it' },
          ]);
        else if (current.items.length === MAX_MODULE_ITEMS)
          issues.add(number, [
            { path: '(root)', message: `a module holds at most ${MAX_MODULE_ITEMS} items` },
          ]);
        else current.items.push(item as TrainingItem);
      }
    }
    if (issues.full) break;
  }
  if (issues.errors.length === 0 && modules.every((m) => m.items.length === 0))
    issues.add(1, [{ path: '(root)', message: 'no items: the course holds no item line' }]);
  if (issues.errors.length) return issues.fail();
  return {
    ok: true,
    value: {
      kind: 'course',
      id: opts.courseId,
      title: header.title ?? opts.courseId,
      version: header.version ?? '1',
      description: header.description ?? '',
      modules,
    },
  };
}

/** Task ids seen so far in a file; a repeat is an issue on the later line. */
class TaskIds {
  private readonly lines = new Map<string, number>();

  see(id: string, line: number): Issue[] {
    const earlier = this.lines.get(id);
    if (earlier !== undefined)
      return [{ path: 'id', message: `duplicate task id "${id}" (first on line ${earlier})` }];
    this.lines.set(id, line);
    return [];
  }
}

function parseLine(line: string): { json: unknown } | { issues: Issue[] } {
  try {
    return { json: JSON.parse(line) };
  } catch (error) {
    return { issues: [{ path: '(root)', message: `not valid JSON: ${(error as Error).message}` }] };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object with any task field or a key is read as an item (and its issues named by field). */
const looksLikeItem = (value: unknown) =>
  isObject(value) && ['id', 'kind', 'prompt', 'responses', 'key'].some((field) => field in value);

function headerLine<T>(
  value: Record<string, unknown>,
  field: string,
  schema: z.ZodType<T>,
): { value: T } | { issues: Issue[] } {
  const extra = Object.keys(value).filter((k) => k !== field);
  const parsed = schema.safeParse(value[field]);
  const issues = [
    ...extra.map((k) => ({ path: k, message: 'unknown field' })),
    ...(parsed.success ? [] : describeIssues(parsed.error, value[field], field)),
  ];
  return issues.length || !parsed.success ? { issues } : { value: parsed.data };
}

/** One item line: the task (everything but `key`) and its key, each validated, then checked together. */
function parseItem(
  value: unknown,
  keys: 'required' | 'optional',
  { tagIds, refs }: ItemRefs,
): CalibrationItem | { issues: Issue[] } {
  if (!isObject(value))
    return {
      issues: [{ path: '(root)', message: 'an item line must be a JSON object (a task with a key)' }],
    };
  const { key: rawKey, ...rawTask } = value;
  const task = Task.safeParse(rawTask);
  const issues = task.success ? [] : describeIssues(task.error, rawTask, '');
  let key: AnswerKey | null = null;
  if (rawKey === undefined || rawKey === null) {
    if (keys === 'required')
      issues.push({ path: 'key', message: 'is required: every item needs an answer key' });
  } else {
    const parsed = AnswerKey.safeParse(rawKey);
    if (parsed.success) key = parsed.data;
    else issues.push(...describeIssues(parsed.error, rawKey, 'key'));
  }
  if (issues.length || !task.success) return { issues };
  const unknown = refs ? unknownReferences(task.data, refs) : [];
  if (unknown.length) return { issues: unknown };
  if (key) {
    const problems = keyProblems(task.data, key, tagIds);
    if (problems.length) return { issues: problems };
  }
  return { task: task.data, key };
}
