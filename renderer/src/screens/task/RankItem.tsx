import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { RankEntry } from '../../logic/ranking';
import { useUi } from '../../state/uiStore';

/** One draggable row of the rank list; focusing it makes its response the keyboard target. */
export function RankItem({
  entry,
  index,
  letter,
  readOnly,
}: {
  entry: RankEntry;
  index: number;
  letter: string;
  readOnly: boolean;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: entry.id,
    disabled: readOnly,
  });
  const focused = useUi((s) => s.focusedIndex === index);
  return (
    <li className="rank-li">
      <div
        ref={setNodeRef}
        className={`rank-item${isDragging ? ' is-dragging' : ''}${focused ? ' is-target' : ''}${readOnly ? ' is-readonly' : ''}`}
        style={{ transform: CSS.Transform.toString(transform), transition }}
        data-rank-item={entry.id}
        {...attributes}
        {...listeners}
        aria-label={`Response ${letter}, ${entry.rank === null ? 'unranked' : `rank ${entry.rank}${entry.tied ? ', tied' : ''}`}`}
        onFocus={() => useUi.setState({ focusedIndex: index })}
      >
        <span className="rank-number" aria-hidden="true">
          {entry.rank ?? '–'}
        </span>
        <span className="rank-name" aria-hidden="true">
          Response {letter}
        </span>
        {entry.tied && (
          <span className="rank-tie" aria-hidden="true">
            tie
          </span>
        )}
        {!readOnly && (
          <span className="drag-handle" aria-hidden="true">
            ⠿
          </span>
        )}
      </div>
    </li>
  );
}
