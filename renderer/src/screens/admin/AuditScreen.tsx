import { useEffect, useRef } from 'react';
import type { AuditRow } from '../../../../shared/lead-workstation';
import {
  AUDIT_PAGE,
  firstAuditPage,
  nextAuditPage,
  previousAuditPage,
  useAudit,
} from '../../state/auditStore';
import '../../styles/lead.css';

const when = (iso: string) => iso.slice(0, 19).replace('T', ' ');
const json = (value: unknown) => (value === null ? '(none)' : JSON.stringify(value, null, 2));

function Entry({ entry, open }: { entry: AuditRow; open: boolean }) {
  const who =
    entry.actorRole === 'operator' ? 'operator (server CLI)' : `${entry.actor} (${entry.actorRole})`;
  return (
    <>
      <tr data-testid={`audit-${entry.id}`}>
        <td>{when(entry.at)}</td>
        <td>{who}</td>
        <th scope="row">{entry.action}</th>
        <td>
          {entry.targetType} {entry.targetName ?? entry.targetId}
        </td>
        <td>
          <button
            type="button"
            className="btn btn-small"
            aria-expanded={open}
            aria-controls={`audit-diff-${entry.id}`}
            onClick={() => useAudit.setState({ openId: open ? null : entry.id })}
          >
            {open ? 'Hide' : 'Before/after'}
            <span className="sr-only"> of entry {entry.id}</span>
          </button>
        </td>
      </tr>
      {open && (
        <tr id={`audit-diff-${entry.id}`}>
          <td colSpan={5}>
            <div className="audit-diff" data-testid="audit-diff">
              <div>
                <b>Before</b>
                <pre>{json(entry.before)}</pre>
              </div>
              <div>
                <b>After</b>
                <pre>{json(entry.after)}</pre>
              </div>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

/**
 * The admin's audit log (admin.audit): who did what to which target and when, oldest first, a page
 * of 50 at a time from an optional date on; before and after on demand. Keyboard: Tab to a row's
 * Before/after, Enter; the since field applies with Enter.
 */
export function AuditScreen() {
  const { entries, pages, next, since, openId, loading, error } = useAudit();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const first = entries[0]?.id;
  return (
    <main id="main" className="audit-screen" data-testid="audit-screen" tabIndex={-1}>
      <div className="m-head">
        <h1 ref={heading} tabIndex={-1}>
          Audit log
        </h1>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void firstAuditPage();
          }}
        >
          <label htmlFor="audit-since">Since </label>
          <input
            id="audit-since"
            type="text"
            placeholder="YYYY-MM-DD"
            size={12}
            value={since}
            onChange={(e) => useAudit.setState({ since: e.target.value })}
          />{' '}
          <button type="submit" className="btn btn-small">
            Show
          </button>
        </form>
        <span className="muted" role="status" data-testid="audit-range">
          {loading
            ? 'Loading…'
            : entries.length
              ? `Page ${pages.length}: entries ${first} to ${entries[entries.length - 1]!.id}, oldest first`
              : 'No entries'}
        </span>
      </div>
      {error && (
        <p className="t-problem" role="alert">
          {error}
        </p>
      )}
      {entries.length > 0 && (
        <table className="data-table" data-testid="audit-table">
          <caption className="sr-only">Audit log entries, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Target</th>
              <th scope="col">
                <span className="sr-only">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <Entry key={e.id} entry={e} open={openId === e.id} />
            ))}
          </tbody>
        </table>
      )}
      <nav className="modal-actions" aria-label="Audit log pages">
        <button
          type="button"
          className="btn btn-small"
          disabled={pages.length < 2 || loading}
          onClick={() => void previousAuditPage()}
        >
          Previous {AUDIT_PAGE}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={next === null || loading}
          onClick={() => void nextAuditPage()}
        >
          Next {AUDIT_PAGE}
        </button>
      </nav>
    </main>
  );
}
