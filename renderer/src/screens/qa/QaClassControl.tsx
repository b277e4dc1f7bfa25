import { useId } from 'react';
import type { QaPart } from '../../../../shared/qa';
import { QA_CLASSES, QA_ERROR_TYPES, type QaClass, type QaErrorType } from '../../../../shared/qa-classes';
import { CLASS_WORDS, ERROR_TYPE_WORDS, PART_WORDS } from '../../logic/qaWords';
import { choose, useQa } from '../../state/qaStore';

/** The classification of one discrepant part: a class, and for a reviewer error its kind. */
export function QaClassControl({ part }: { part: QaPart }) {
  const id = useId();
  const choice = useQa((s) => s.choices[part]) ?? { class: '', errorType: '' };
  return (
    <div className="qa-class">
      <label htmlFor={`${id}-class`} className="sr-only">
        Classification of {PART_WORDS[part]}
      </label>
      <select
        id={`${id}-class`}
        value={choice.class}
        data-testid={`qa-class-${part}`}
        onChange={(e) => choose(part, { class: e.target.value as QaClass | '' })}
      >
        <option value="">Not classified</option>
        {QA_CLASSES.map((c) => (
          <option key={c} value={c}>
            {CLASS_WORDS[c]}
          </option>
        ))}
      </select>
      {choice.class === 'reviewer-error' && (
        <>
          <label htmlFor={`${id}-type`} className="sr-only">
            Kind of reviewer error in {PART_WORDS[part]}
          </label>
          <select
            id={`${id}-type`}
            value={choice.errorType}
            data-testid={`qa-error-type-${part}`}
            onChange={(e) => choose(part, { errorType: e.target.value as QaErrorType | '' })}
          >
            <option value="">Kind of error…</option>
            {QA_ERROR_TYPES.map((t) => (
              <option key={t} value={t}>
                {ERROR_TYPE_WORDS[t]}
              </option>
            ))}
          </select>
        </>
      )}
    </div>
  );
}
