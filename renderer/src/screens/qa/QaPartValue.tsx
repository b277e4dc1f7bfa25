import type { TagAssignment } from '../../../../shared/label';
import { STRENGTH_LABELS } from '../../../../shared/preference';
import type { QaPartComparison } from '../../../../shared/qa';
import type { TaskBundle } from '../../../../shared/queue';
import { letterOf } from '../../logic/letters';
import { Markdown } from '../../markdown/Markdown';

type Side = 'original' | 'rerating';
type Context = { order: readonly string[]; bundle: TaskBundle | null };

const responseName = (order: readonly string[], id: string) =>
  order.includes(id) ? `Response ${letterOf(order, id)}` : `response "${id}"`;

function tagName(bundle: TaskBundle | null, tagId: string): string {
  return bundle?.taxonomy.tags.find((t) => t.id === tagId)?.label ?? tagId;
}

function TagList({ tags, ctx }: { tags: readonly TagAssignment[]; ctx: Context }) {
  return (
    <ul className="qa-list">
      {tags.map((t) => (
        <li key={`${t.responseId} ${t.tagId}`}>
          {responseName(ctx.order, t.responseId)}: {tagName(ctx.bundle, t.tagId)} ({t.severity})
        </li>
      ))}
    </ul>
  );
}

/**
 * One side of one compared part, in the letters the re-rater saw. Rationale texts are the
 * reviewers' words: rendered as inert Markdown, like prompts.
 */
export function QaPartValue({ part, side, ctx }: { part: QaPartComparison; side: Side; ctx: Context }) {
  switch (part.part) {
    case 'preference': {
      const p = part[side];
      if (p.ranks) {
        const byRank = Object.entries(p.ranks).sort((a, b) => a[1] - b[1]);
        return (
          <ol className="qa-list qa-ranks">
            {byRank.map(([id, rank]) => (
              <li key={id}>
                {rank}. {responseName(ctx.order, id)}
              </li>
            ))}
          </ol>
        );
      }
      return (
        <span>
          {p.preferredResponseId === null
            ? 'A tie'
            : `${responseName(ctx.order, p.preferredResponseId)} is better`}
        </span>
      );
    }
    case 'strength': {
      const s = part[side];
      return <span>{s ? STRENGTH_LABELS[s] : <span className="muted">none</span>}</span>;
    }
    case 'tags': {
      const only = side === 'original' ? part.onlyOriginal : part.onlyRerating;
      if (only.length === 0) return <span className="muted">none only here</span>;
      return (
        <div>
          <span className="qa-side-note">Only here:</span>
          <TagList tags={only} ctx={ctx} />
        </div>
      );
    }
    case 'severity':
      if (part.differences.length === 0) return <span className="muted">no differences</span>;
      return (
        <ul className="qa-list">
          {part.differences.map((d) => (
            <li key={`${d.responseId} ${d.tagId}`}>
              {responseName(ctx.order, d.responseId)}: {tagName(ctx.bundle, d.tagId)} — {d[side]}
            </li>
          ))}
        </ul>
      );
    case 'rationale':
      if (part.fields.length === 0) return <span className="muted">none</span>;
      return (
        <div className="qa-rationale">
          {part.fields.map((f) => (
            <div key={f.fieldId} className="qa-field">
              <span className="qa-field-name">
                {ctx.bundle?.template.fields.find((x) => x.id === f.fieldId)?.label ?? f.fieldId}
              </span>
              {f[side].trim() ? <Markdown text={f[side]} /> : <span className="muted">(empty)</span>}
            </div>
          ))}
        </div>
      );
  }
}
