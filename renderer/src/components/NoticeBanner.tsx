import { showNotice, useSession } from '../state/sessionStore';

/** Errors and notes from the last action; announced, dismissible. */
export function NoticeBanner() {
  const notice = useSession((s) => s.notice);
  return (
    <div className="notice-region" role={notice?.kind === 'error' ? 'alert' : 'status'}>
      {notice && (
        <div className={`notice notice-${notice.kind}`}>
          <span className="notice-label">{notice.kind === 'error' ? 'Problem:' : 'Note:'}</span> {notice.text}
          <button type="button" className="btn btn-small" onClick={() => showNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
