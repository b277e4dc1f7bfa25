/** Splits a guideline into searchable sections: one per heading, plus one per golden example. */
export interface GuidelineSection {
  key: string;
  title: string;
  markdown: string;
  kind: 'section' | 'example';
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

export function splitSections(
  markdown: string,
  examples: readonly { title: string; markdown: string }[],
): GuidelineSection[] {
  const sections: GuidelineSection[] = [];
  let title = 'Introduction';
  let lines: string[] = [];
  let inFence = false;
  const flush = () => {
    const body = lines.join('\n').trim();
    if (body || title !== 'Introduction') {
      sections.push({ key: `s${sections.length}`, title, markdown: body, kind: 'section' });
    }
  };
  for (const line of markdown.split('\n')) {
    if (FENCE.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    if (heading) {
      flush();
      title = heading[2] || 'Untitled';
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  examples.forEach((example, i) =>
    sections.push({ key: `e${i}`, title: example.title, markdown: example.markdown, kind: 'example' }),
  );
  return sections;
}

export function filterSections(sections: readonly GuidelineSection[], query: string): GuidelineSection[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...sections];
  return sections.filter((s) => s.title.toLowerCase().includes(q) || s.markdown.toLowerCase().includes(q));
}

/** Splits text around case-insensitive matches of `query`, for highlighting. */
export function splitMatches(text: string, query: string): { text: string; match: boolean }[] {
  const q = query.trim().toLowerCase();
  if (!q) return [{ text, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(q); at !== -1; at = lower.indexOf(q, from)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + q.length), match: true });
    from = at + q.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}

/** A heading's anchor slug, as Markdown renderers write it: "Rank 1: Safety" -> "rank-1-safety". */
export function slugify(title: string): string {
  return title
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The section a key's `guidelineSection` names: its heading text (any case) or its slug, with or
 * without a leading "#". Null when the guideline has no such section.
 */
export function findSection(sections: readonly GuidelineSection[], wanted: string): GuidelineSection | null {
  const target = wanted.trim().replace(/^#+\s*/, '');
  if (!target) return null;
  const lower = target.toLowerCase();
  const slug = slugify(target);
  return (
    sections.find((s) => s.title.trim().toLowerCase() === lower) ??
    sections.find((s) => slugify(s.title) === slug) ??
    null
  );
}
