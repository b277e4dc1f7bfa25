import type { ImportIssue } from '../../../../shared/queue';

export function ImportErrors(props: { fileName: string; errors: ImportIssue[]; truncated: boolean }) {
  return (
    <section
      className="import-errors"
      data-testid="import-errors"
      aria-labelledby="import-errors-heading"
      role="alert"
    >
      <h2 id="import-errors-heading">
        {props.fileName} was not imported: fix {props.errors.length}
        {props.truncated ? '+' : ''} problem{props.errors.length === 1 ? '' : 's'} and import it again
      </h2>
      <p className="muted">Nothing from this file was added to the queue.</p>
      <ol className="import-error-list">
        {props.errors.map((e, i) => (
          <li key={i}>
            <span className="err-line">Line {e.line}</span>
            {e.path && <code className="err-path">{e.path}</code>}
            <span className="err-message">{e.message}</span>
          </li>
        ))}
      </ol>
      {props.truncated && <p className="muted">Only the first problems are listed.</p>}
    </section>
  );
}
