import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Severity } from '../../../shared/taxonomy';
import { Modal } from '../components/Modal';
import { digitOf, isTypingTarget, noModifiers } from '../shortcuts/keys';
import { LETTERS } from '../screens/task/ResponsesArea';
import { useSession } from '../state/sessionStore';
import { closeDialog, useUi } from '../state/uiStore';
import { DEFAULT_SEVERITY, setTagSeverity, toggleTag } from '../state/workActions';
import { useWork } from '../state/workStore';

const SEVERITIES: Severity[] = ['minor', 'major', 'critical'];

/**
 * Failure tags for one response. A tag's key toggles it, 1/2/3 set the severity of the focused
 * tag, arrows move between tags, Enter closes. Each tag's definition is visible and is the
 * checkbox's description.
 */
export function TagPickerDialog() {
  const responseId = useUi((s) => s.tagTarget);
  const bundle = useSession((s) => s.bundle)!;
  const applied = useWork(
    useShallow((s) =>
      Object.fromEntries(
        s.work.tags.filter((t) => t.responseId === responseId).map((t) => [t.tagId, t.severity]),
      ),
    ),
  );
  const rows = useRef<HTMLDivElement>(null);
  const tags = bundle.taxonomy.tags;
  const letter = LETTERS[bundle.presentedOrder.indexOf(responseId ?? '')] ?? '?';

  const checkbox = (i: number) => rows.current?.querySelector<HTMLInputElement>(`[data-tag-index="${i}"]`);
  useEffect(() => checkbox(0)?.focus(), []);
  if (responseId === null) return null;

  const focusedRow = (): number => {
    const row = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-tag-row]');
    return row ? Number(row.dataset.tagRow) : -1;
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDialogElement>) => {
    const native = e.nativeEvent;
    if (isTypingTarget(e.target) || !noModifiers(native)) return;
    const row = focusedRow();
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = row < 0 ? 0 : (row + (e.key === 'ArrowDown' ? 1 : -1) + tags.length) % tags.length;
      checkbox(next)?.focus();
      return;
    }
    if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) {
      e.preventDefault();
      closeDialog();
      return;
    }
    const digit = digitOf(native);
    if (digit !== null && digit >= 1 && digit <= 3 && row >= 0 && !native.shiftKey) {
      e.preventDefault();
      setTagSeverity(responseId, tags[row]!.id, SEVERITIES[digit - 1]!);
      return;
    }
    const byKey = tags.findIndex((t) => t.key !== undefined && t.key.toLowerCase() === e.key.toLowerCase());
    if (byKey >= 0) {
      e.preventDefault();
      toggleTag(responseId, tags[byKey]!.id);
      checkbox(byKey)?.focus();
    }
  };

  return (
    <Modal
      title={`Failure tags for Response ${letter}`}
      testId="tag-picker"
      onClose={closeDialog}
      onKeyDown={onKeyDown}
      className="tag-picker"
    >
      <p className="hint">
        Press a tag’s key to toggle it, <kbd>1</kbd> <kbd>2</kbd> <kbd>3</kbd> for minor / major / critical,{' '}
        <kbd>↑</kbd> <kbd>↓</kbd> to move, <kbd>Enter</kbd> when done. New tags start as {DEFAULT_SEVERITY}.
      </p>
      <div ref={rows} className="tag-rows">
        {tags.map((tag, i) => {
          const severity = applied[tag.id] as Severity | undefined;
          const defId = `tagdef-${tag.id}`;
          return (
            <div key={tag.id} className={`tag-row${severity ? ' is-applied' : ''}`} data-tag-row={i}>
              <label className="tag-main">
                <input
                  type="checkbox"
                  data-tag-index={i}
                  checked={severity !== undefined}
                  aria-describedby={defId}
                  onChange={() => toggleTag(responseId, tag.id)}
                />
                {tag.key && <kbd className="tag-key">{tag.key}</kbd>}
                <span className="tag-label">{tag.label}</span>
              </label>
              <p id={defId} className="tag-definition">
                {tag.definition}
              </p>
              <fieldset className="severity" aria-label={`Severity of ${tag.label}`}>
                {SEVERITIES.map((s, k) => (
                  <label key={s} className={`sev sev-${s}${severity === s ? ' is-checked' : ''}`}>
                    <input
                      type="radio"
                      name={`severity-${tag.id}`}
                      value={s}
                      checked={severity === s}
                      onChange={() => setTagSeverity(responseId, tag.id, s)}
                    />
                    <span>
                      {k + 1} {s}
                    </span>
                  </label>
                ))}
              </fieldset>
            </div>
          );
        })}
      </div>
      <div className="modal-actions">
        <button type="button" className="btn btn-primary" onClick={closeDialog}>
          Done <kbd>Enter</kbd>
        </button>
      </div>
    </Modal>
  );
}
