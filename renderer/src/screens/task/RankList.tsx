import {
  type Announcements,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useMemo } from 'react';
import { rankList } from '../../logic/ranking';
import { keyHint } from '../../shortcuts/table';
import { useReadOnly } from '../../state/readOnly';
import { useUi } from '../../state/uiStore';
import { moveInRankList } from '../../state/workActions';
import { useWork } from '../../state/workStore';
import { RankItem } from './RankItem';
import { LETTERS } from './ResponsesArea';

const INSTRUCTIONS =
  'To reorder, press Space to pick up a response, use the up and down arrow keys to move it, ' +
  'Space to drop it, or Escape to cancel. Digits 1 to 9 give the focused response that rank.';

/** The current order, best first; drag (mouse or keyboard) to reorder. */
export function RankList({ order, allowTies }: { order: readonly string[]; allowTies: boolean }) {
  const ranks = useWork((s) => s.work.ranks);
  const touched = useWork((s) => s.work.rankingTouched);
  const entries = useMemo(() => rankList(ranks, order), [ranks, order]);
  const readOnly = useReadOnly();
  const ids = entries.map((e) => e.id);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const name = (id: string | number) => `Response ${LETTERS[order.indexOf(String(id))] ?? '?'}`;
  const place = (id: string | number) => `position ${ids.indexOf(String(id)) + 1} of ${ids.length}`;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${name(active.id)} at ${place(active.id)}.`,
    onDragOver: ({ active, over }) =>
      over ? `${name(active.id)} is over ${place(over.id)}.` : `${name(active.id)} is not over a position.`,
    onDragEnd: ({ active, over }) =>
      over
        ? `${name(active.id)} dropped at ${place(over.id)}.`
        : `${name(active.id)} dropped; order unchanged.`,
    onDragCancel: ({ active }) => `Moving cancelled. ${name(active.id)} is back where it was.`,
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    useUi.setState({ dragging: false });
    if (!over || active.id === over.id) return;
    moveInRankList(String(active.id), ids.indexOf(String(over.id)));
  };

  return (
    <section className="ranking" aria-labelledby="ranking-heading">
      <h2 id="ranking-heading" className="panel-heading">
        {readOnly ? 'Your ranking' : 'Ranking'} <span className="muted">best first</span>
      </h2>
      <p className="hint" hidden={readOnly}>
        Focus a response (<kbd>{keyHint('nextResponse')}</kbd>, <kbd>{keyHint('prevResponse')}</kbd>) and
        press its rank <kbd>1…{order.length}</kbd>
        {allowTies ? (
          <>
            ; <kbd>Shift+digit</kbd> ties it.
          </>
        ) : (
          '; ties are not allowed here.'
        )}
      </p>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        accessibility={{ announcements, screenReaderInstructions: { draggable: INSTRUCTIONS } }}
        onDragStart={() => useUi.setState({ dragging: true })}
        onDragCancel={() => useUi.setState({ dragging: false })}
        onDragEnd={onDragEnd}
      >
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          <ol className="rank-list" data-testid="rank-list" aria-label="Ranking, best first">
            {entries.map((entry) => (
              <RankItem
                key={entry.id}
                entry={entry}
                index={order.indexOf(entry.id)}
                letter={LETTERS[order.indexOf(entry.id)]!}
                readOnly={readOnly}
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
      {!touched && !readOnly && (
        <p className="hint hint-warn">
          <span aria-hidden="true">⚠ </span>This is the order the responses were shown in. Change it to your
          judgement.
        </p>
      )}
    </section>
  );
}
