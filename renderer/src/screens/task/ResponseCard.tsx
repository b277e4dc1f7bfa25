import { memo } from 'react';
import type { TaskKind } from '../../../../shared/task';
import { keyHint } from '../../shortcuts/table';
import { useReadOnly } from '../../state/readOnly';
import { useUi } from '../../state/uiStore';
import { JudgementBadge } from './JudgementBadge';
import { LETTERS } from './ResponsesArea';
import { ResponseText } from './ResponseText';
import { TagChips } from './TagChips';

interface Props {
  index: number;
  responseId: string;
  text: string;
  kind: TaskKind;
  sensitive: boolean;
}

/**
 * One response. Memoized and subscribed only to its own slice of state, so typing a rationale
 * or ranking another response does not re-render its Markdown.
 */
export const ResponseCard = memo(function ResponseCard({ index, responseId, text, kind, sensitive }: Props) {
  const letter = LETTERS[index]!;
  const focused = useUi((s) => s.focusedIndex === index);
  const hidden = useUi((s) => sensitive && !s.revealed);
  const readOnly = useReadOnly();
  const headingId = `response-heading-${index}`;
  return (
    <article
      className={`response-card${focused ? ' is-target' : ''}`}
      data-testid={`response-${letter}`}
      data-response-id={responseId}
      aria-labelledby={headingId}
    >
      <header className="response-head">
        <h2 id={headingId} className="response-title">
          Response {letter}
          {focused && (
            <span className="target-mark" aria-hidden="true" title="Keyboard target">
              ◆
            </span>
          )}
        </h2>
        <JudgementBadge kind={kind} responseId={responseId} index={index} />
        {!readOnly && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => useUi.setState({ focusedIndex: index, dialog: 'tags', tagTarget: responseId })}
          >
            Tag <kbd>{keyHint('tags')}</kbd>
          </button>
        )}
      </header>
      <TagChips responseId={responseId} />
      <div
        className="response-body"
        data-task-scroller
        tabIndex={0}
        role="region"
        aria-label={`Response ${letter} text`}
        data-response-body={index}
        onFocus={() => useUi.setState({ focusedIndex: index })}
      >
        {hidden ? (
          <div className="blurred" aria-hidden="true" inert>
            <ResponseText text={text} />
          </div>
        ) : (
          <ResponseText text={text} />
        )}
      </div>
    </article>
  );
});
