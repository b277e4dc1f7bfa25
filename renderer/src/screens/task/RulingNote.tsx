import { decisionWords, judgementWords } from '../../logic/rulingWords';
import { Markdown } from '../../markdown/Markdown';
import { acknowledgeNotice, unreadRulingOn, useNotices } from '../../state/noticesStore';

/** A lead's unread ruling on this task, beside the reviewer's own work, until they mark it read. */
export function RulingNote({ taskId, order }: { taskId: string; order: readonly string[] }) {
  const notice = useNotices((s) => unreadRulingOn(s.list, taskId));
  if (!notice) return null;
  const { ruling } = notice;
  return (
    <section className="ruling-note" aria-labelledby="ruling-heading" data-testid="ruling-note">
      <h2 id="ruling-heading">Your lead&apos;s ruling</h2>
      <p>{decisionWords(ruling)}</p>
      {ruling.label && <p>Their judgement: {judgementWords(ruling.label, order)}</p>}
      <Markdown text={ruling.explanation} />
      {ruling.guidance && <Markdown text={ruling.guidance} />}
      <button type="button" className="btn btn-small" onClick={() => void acknowledgeNotice(notice)}>
        Mark read
      </button>
    </section>
  );
}
