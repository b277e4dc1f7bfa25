import { MUTATION_WORDS, REJECT_WORDS } from '../../logic/syncWords';
import { openTask } from '../../state/actions';
import { useSync } from '../../state/syncStore';

/** Items the server refused and tasks it withdrew while they held work: kept here, with the reason. */
export function QuarantineList() {
  const list = useSync((s) => s.quarantine);
  if (!list || (list.items.length === 0 && list.withdrawn.length === 0)) return null;
  return (
    <section className="quarantine" aria-labelledby="quarantine-heading" data-testid="quarantine">
      <h2 id="quarantine-heading">Needs attention: not accepted by the server</h2>
      <p className="quarantine-lead">
        Nothing here was deleted. Show these to your lead if the reason is not clear.
      </p>
      {list.items.length > 0 && (
        <ul className="quarantine-items">
          {list.items.map((item) => (
            <li key={item.itemId} data-testid="quarantine-item">
              <button type="button" className="linklike" onClick={() => void openTask(item.taskId)}>
                {MUTATION_WORDS[item.type]}: {item.promptPreview || item.taskId}
              </button>
              <span className="quarantine-reason">{REJECT_WORDS[item.reason] ?? item.reason}</span>
              <span className="quarantine-message">{item.message}</span>
            </li>
          ))}
        </ul>
      )}
      {list.withdrawn.length > 0 && (
        <ul className="quarantine-items">
          {list.withdrawn.map((item) => (
            <li key={item.taskId} data-testid="withdrawn-item">
              <button type="button" className="linklike" onClick={() => void openTask(item.taskId)}>
                {item.promptPreview || item.taskId}
              </button>
              <span className="quarantine-reason">
                {item.reason === 'revoked'
                  ? 'Withdrawn by the server; kept because it holds your unsent work'
                  : 'Lease expired; kept because it holds your unsent work'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
