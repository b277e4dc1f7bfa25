import { promptPreview } from '../../logic/trainingOverview';
import { promoteEscalation, useLeadWorkspace } from '../../state/leadWorkspaceStore';

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/**
 * The pod's ruled escalations, newest first: a ruling that became the task's label can be promoted
 * (Enter on "Promote TASK") to a golden example, a course or an exam bank.
 */
export function RuledList() {
  const ruled = useLeadWorkspace((s) => s.ruled);
  if (!ruled) return null;
  if (ruled.length === 0) return <p className="muted">No ruled escalations in your pod yet.</p>;
  return (
    <table className="data-table lead-inbox" data-testid="lead-ruled">
      <caption className="sr-only">Ruled escalations, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Task</th>
          <th scope="col">Reviewer</th>
          <th scope="col">Ruling</th>
          <th scope="col">Ruled</th>
          <th scope="col">Promote</th>
        </tr>
      </thead>
      <tbody>
        {ruled.map((item) => (
          <tr key={item.id} data-testid={`ruled-${item.id}`}>
            <th scope="row">
              {item.task.id}
              <span className="lead-prompt">{promptPreview(item.task.prompt, 90)}</span>
            </th>
            <td>{item.reviewer.displayName || item.reviewer.username}</td>
            <td>
              {item.ruling?.decision === 'label'
                ? `${item.ruling.lead}'s judgement is the label`
                : 'Sent back with guidance'}
            </td>
            <td>{item.ruling ? `${when(item.ruling.ruledAt)} by ${item.ruling.lead}` : '–'}</td>
            <td>
              {item.ruling?.decision === 'label' ? (
                <button type="button" className="linklike" onClick={() => void promoteEscalation(item.id)}>
                  Promote {item.task.id}
                </button>
              ) : (
                <span className="muted">nothing to promote</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
