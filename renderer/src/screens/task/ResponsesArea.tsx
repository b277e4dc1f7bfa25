import type { TaskBundle } from '../../../../shared/queue';
import { ResponseCard } from './ResponseCard';

export { LETTERS } from '../../logic/letters';

/** The responses in presentation order, labelled A, B, C… */
export function ResponsesArea({ bundle }: { bundle: TaskBundle }) {
  const byId = new Map(bundle.task.responses.map((r) => [r.id, r]));
  return (
    <section
      className="responses"
      data-task-scroller
      aria-label="Responses"
      style={{ '--count': bundle.presentedOrder.length } as React.CSSProperties}
    >
      {bundle.presentedOrder.map((id, index) => (
        <ResponseCard
          key={id}
          index={index}
          responseId={id}
          text={byId.get(id)?.text ?? ''}
          kind={bundle.task.kind}
          sensitive={bundle.task.sensitive === true}
        />
      ))}
    </section>
  );
}
