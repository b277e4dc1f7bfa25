import type { GoldenExample } from './guideline';

/**
 * Which parts of a guideline changed between two versions: the reviewer's "Guidelines updated"
 * notice lists them, and the admin sees them before publishing a draft. A part is a section of the
 * Markdown (from one heading to the next, any level; the text before the first heading is the
 * "Introduction") or a golden example (by title). Sections are matched by heading text; a heading
 * used twice is matched by its occurrence (the second "Examples" with the second). Pure.
 */

export type SectionChange = {
  /** the heading's text (the example's title for a golden example) */
  heading: string;
  kind: 'section' | 'example';
  change: 'added' | 'changed' | 'removed';
};

export type GuidelineText = { markdown: string; examples?: readonly GoldenExample[] };

export type MarkdownSection = { heading: string; level: number; body: string };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;
export const INTRODUCTION = 'Introduction';

/** The Markdown's sections in order; headings inside code fences are text. */
export function markdownSections(markdown: string): MarkdownSection[] {
  const sections: MarkdownSection[] = [];
  let current: { heading: string; level: number; lines: string[] } = {
    heading: INTRODUCTION,
    level: 0,
    lines: [],
  };
  const flush = () => {
    const body = current.lines.join('\n').trim();
    // an empty introduction is no section
    if (current.level > 0 || body) sections.push({ heading: current.heading, level: current.level, body });
  };
  let inFence = false;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (FENCE.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    if (heading) {
      flush();
      current = { heading: heading[2] || 'Untitled', level: heading[1]!.length, lines: [] };
    } else current.lines.push(line);
  }
  flush();
  return sections;
}

/** "heading#n": the n-th section with that heading (headings compared trimmed, any case) */
function keyed<T>(items: readonly T[], heading: (t: T) => string): Map<string, T> {
  const seen = new Map<string, number>();
  const out = new Map<string, T>();
  for (const item of items) {
    const name = heading(item).trim().toLowerCase();
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    out.set(`${name}#${n}`, item);
  }
  return out;
}

/** Whitespace at line ends and blank-line runs do not count as a change. */
const normal = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

function diff<T>(
  before: readonly T[],
  after: readonly T[],
  heading: (t: T) => string,
  content: (t: T) => string,
  kind: SectionChange['kind'],
): SectionChange[] {
  const old = keyed(before, heading);
  const next = keyed(after, heading);
  const changes: SectionChange[] = [];
  for (const [key, item] of next) {
    const was = old.get(key);
    if (was === undefined) changes.push({ heading: heading(item), kind, change: 'added' });
    else if (normal(content(was)) !== normal(content(item)))
      changes.push({ heading: heading(item), kind, change: 'changed' });
  }
  for (const [key, item] of old)
    if (!next.has(key)) changes.push({ heading: heading(item), kind, change: 'removed' });
  return changes;
}

/**
 * The sections and golden examples added, changed or removed from `before` to `after`: sections
 * first (added and changed in the new order, then removed ones in the old order), then examples.
 * A section whose heading level changed counts as changed.
 */
export function changedSections(before: GuidelineText, after: GuidelineText): SectionChange[] {
  return [
    ...diff(
      markdownSections(before.markdown),
      markdownSections(after.markdown),
      (s) => s.heading,
      (s) => `${s.level}\n${s.body}`,
      'section',
    ),
    ...diff(
      before.examples ?? [],
      after.examples ?? [],
      (e) => e.title,
      (e) => e.markdown,
      'example',
    ),
  ];
}

/**
 * The Markdown with some sections replaced (same heading, first occurrence), removed (`body: null`)
 * or appended (a heading it does not have, as a level-2 section). A draft that names sections only
 * becomes a full text this way.
 */
export function replaceSections(
  markdown: string,
  edits: readonly { heading: string; body: string | null }[],
): string {
  const sections = markdownSections(markdown);
  const out = sections.map((s) => ({ ...s, body: s.body as string | null }));
  for (const edit of edits) {
    const name = edit.heading.trim().toLowerCase();
    const at = out.findIndex((s) => s.heading.trim().toLowerCase() === name);
    if (at >= 0) out[at] = { ...out[at]!, body: edit.body };
    else if (edit.body !== null) out.push({ heading: edit.heading.trim(), level: 2, body: edit.body });
  }
  return out
    .filter((s) => s.body !== null)
    .map((s) => (s.level === 0 ? s.body!.trim() : `${'#'.repeat(s.level)} ${s.heading}\n\n${s.body!.trim()}`))
    .map((text) => text.trimEnd())
    .join('\n\n')
    .concat('\n');
}
