import type { ItemFeedback } from '../../../../shared/training/score';
import { tagGroups, type ReferenceWords } from '../../logic/trainingFeedback';
import { Mark } from './JudgementFeedback';

/** Tag expectations met or not, per response, and the tags the key does not mention. */
export function TagFeedback({
  tags,
  order,
  labelOf,
  words,
}: {
  tags: ItemFeedback['tags'];
  order: readonly string[];
  labelOf: (tagId: string) => string;
  words: ReferenceWords;
}) {
  const groups = tagGroups(tags, order, labelOf);
  if (!groups.length) return null;
  const met = tags.checks.filter((c) => c.met).length;
  return (
    <section className="feedback-part" aria-labelledby="feedback-tags" data-testid="feedback-tags">
      <h3 id="feedback-tags">
        Failure tags
        {tags.checks.length > 0 && (
          <span className="muted">
            {' '}
            {met} of {tags.checks.length} as expected
          </span>
        )}
      </h3>
      {groups.map((group) => (
        <div key={group.responseId} className="feedback-tag-group">
          <p className="feedback-tag-response">Response {group.letter}</p>
          <ul className="feedback-facts">
            {group.checks.map((check, i) => (
              <li key={i} data-verdict={check.verdict}>
                <Mark ok={check.met} />
                {check.text}
              </li>
            ))}
            {group.unmentioned.length > 0 && (
              <li className="feedback-unmentioned">
                <span className="mark mark-note" aria-hidden="true">
                  ·
                </span>
                {words.unmentioned}: {group.unmentioned.map((u) => `${u.label} (${u.severity})`).join(', ')}
              </li>
            )}
          </ul>
        </div>
      ))}
    </section>
  );
}
