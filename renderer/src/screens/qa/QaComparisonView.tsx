import { useEffect, useRef } from 'react';
import type { QaComparison } from '../../../../shared/qa';
import { CLASS_WORDS, ERROR_TYPE_WORDS, PART_WORDS } from '../../logic/qaWords';
import { promptPreview } from '../../logic/trainingOverview';
import { goToQa, saveClassification, useQa } from '../../state/qaStore';
import { QaClassControl } from './QaClassControl';
import { QaPartValue } from './QaPartValue';
import { QaMessages } from './QaMessages';

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * A re-rating beside the original, part by part: the discrepant parts marked (in words, not only
 * colour) and each with its classification control. The original reviewer is named now, after
 * the re-rating went in. Ctrl+Enter (or the button) stores the classification; a new one replaces it.
 */
export function QaComparisonView({ comparison }: { comparison: QaComparison }) {
  const { order, bundle, loading } = useQa();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [comparison.ratingId]);
  const reviewer = comparison.reviewer.displayName || comparison.reviewer.username;
  const discrepant = comparison.parts.filter((p) => p.discrepant).length;
  const ctx = { order, bundle };
  return (
    <form
      className="qa-comparison"
      data-testid="qa-comparison"
      onSubmit={(e) => {
        e.preventDefault();
        void saveClassification();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void saveClassification();
        }
      }}
    >
      <div className="m-head">
        <h1 ref={heading} tabIndex={-1}>
          Comparison: {comparison.task.id}
        </h1>
        <button type="button" className="btn btn-small" onClick={() => void goToQa()}>
          Back to QA tasks
        </button>
      </div>
      <QaMessages />
      <p className="qa-prompt muted">{promptPreview(comparison.task.prompt, 160)}</p>
      <p data-testid="qa-reviewer">
        Original by <b>{reviewer}</b> ({comparison.reviewer.username}), sent{' '}
        {when(comparison.original.receivedAt)}; your re-rating sent {when(comparison.rerating.receivedAt)}.{' '}
        {discrepant === 0
          ? 'You agree on every part: nothing to classify.'
          : `${discrepant} of 5 parts differ: classify each.`}
      </p>
      <table className="data-table qa-parts">
        <caption className="sr-only">The original and your re-rating, part by part</caption>
        <thead>
          <tr>
            <th scope="col">Part</th>
            <th scope="col">Original ({reviewer})</th>
            <th scope="col">Your re-rating</th>
            <th scope="col">Classification</th>
          </tr>
        </thead>
        <tbody>
          {comparison.parts.map((part) => (
            <tr
              key={part.part}
              className={part.discrepant ? 'is-discrepant' : undefined}
              data-testid={`qa-part-${part.part}`}
            >
              <th scope="row">
                {PART_WORDS[part.part]}
                <span className={part.discrepant ? 'qa-differs' : 'qa-same'}>
                  {part.discrepant ? 'differs' : 'same'}
                </span>
              </th>
              <td>
                <QaPartValue part={part} side="original" ctx={ctx} />
              </td>
              <td>
                <QaPartValue part={part} side="rerating" ctx={ctx} />
              </td>
              <td>
                {part.discrepant ? <QaClassControl part={part.part} /> : <span className="muted">–</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {discrepant > 0 && (
        <div className="qa-actions">
          <button
            type="submit"
            className="btn btn-primary"
            aria-disabled={loading}
            aria-keyshortcuts="Control+Enter"
          >
            {comparison.classification ? 'Replace classification' : 'Save classification'}{' '}
            <kbd>Ctrl+Enter</kbd>
          </button>
          {comparison.classification && (
            <span className="muted" data-testid="qa-classified">
              Classified by {comparison.classification.classifiedBy},{' '}
              {when(comparison.classification.classifiedAt)}:{' '}
              {comparison.classification.parts
                .map(
                  (p) =>
                    `${PART_WORDS[p.part]}: ${CLASS_WORDS[p.class]}${p.errorType ? ` (${ERROR_TYPE_WORDS[p.errorType].toLowerCase()})` : ''}`,
                )
                .join('; ')}
            </span>
          )}
        </div>
      )}
    </form>
  );
}
