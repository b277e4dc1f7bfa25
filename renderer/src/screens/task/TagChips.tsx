import { useShallow } from 'zustand/react/shallow';
import { useReadOnly } from '../../state/readOnly';
import { removeTag } from '../../state/workActions';
import { useSession } from '../../state/sessionStore';
import { useWork } from '../../state/workStore';

/** The failure tags on one response; each chip shows its definition on hover/focus and is removable by key. */
export function TagChips({ responseId }: { responseId: string }) {
  const tags = useWork(useShallow((s) => s.work.tags.filter((t) => t.responseId === responseId)));
  const taxonomy = useSession((s) => s.bundle?.taxonomy);
  const readOnly = useReadOnly();
  if (tags.length === 0 || !taxonomy) return null;
  // the chip disappears with the tag: keep the keyboard on this response
  const remove = (chip: HTMLElement, tagId: string) => {
    chip.closest('article')?.querySelector<HTMLElement>('[data-response-body]')?.focus();
    removeTag(responseId, tagId);
  };
  return (
    <ul className="chips" aria-label="Failure tags">
      {tags.map((t) => {
        const tag = taxonomy.tags.find((x) => x.id === t.tagId);
        const label = tag?.label ?? t.tagId;
        const tipId = `tip-${responseId}-${t.tagId}`;
        if (readOnly)
          return (
            <li key={t.tagId} className={`chip chip-${t.severity}`}>
              <span className="chip-button chip-static" aria-describedby={tipId}>
                <span className="chip-label">{label}</span>
                <span className="chip-severity">{t.severity}</span>
              </span>
              <span id={tipId} role="tooltip" className="tooltip">
                {tag?.definition ?? ''}
              </span>
            </li>
          );
        return (
          <li key={t.tagId} className={`chip chip-${t.severity}`}>
            <button
              type="button"
              className="chip-button"
              aria-describedby={tipId}
              aria-label={`${label}, ${t.severity}. Remove`}
              onClick={(e) => remove(e.currentTarget, t.tagId)}
              onKeyDown={(e) => {
                if (e.key === 'Delete' || e.key === 'Backspace') {
                  e.preventDefault();
                  remove(e.currentTarget, t.tagId);
                }
              }}
            >
              <span className="chip-label">{label}</span>
              <span className="chip-severity">{t.severity}</span>
              <span aria-hidden="true" className="chip-x">
                ×
              </span>
            </button>
            <span id={tipId} role="tooltip" className="tooltip">
              {tag?.definition ?? ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
