import { useId, useState } from 'react';
import { api } from '../../api';
import { messageOf } from '../../state/transition';

interface CoachingFormProps {
  userId: string;
  /** the reviewer's pod (an admin acts on any); the lead's own when not given */
  podId?: string | null;
  /** the reviewer's name as the lead reads it */
  name: string;
  /** after the note is stored (the lead workspace reloads the reviewer's actions) */
  onSent?: () => void;
}

/**
 * A lead's coaching note to a reviewer (lead.coach): shown on their workstation until acknowledged.
 * One form for the metrics drill-down and the lead workspace's reviewer actions.
 */
export function CoachingForm({ userId, podId, name, onSent }: CoachingFormProps) {
  const id = useId();
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  const send = async () => {
    if (!note.trim()) return setStatus('Write the note first.');
    try {
      await api.lead.coach({ userId, ...(podId ? { podId } : {}), coaching: { note, taskIds: [] } });
      setNote('');
      setStatus(`Sent to ${name}: they see it at their next sync until they acknowledge it.`);
      onSent?.();
    } catch (cause) {
      setStatus(messageOf(cause));
    }
  };
  return (
    <div className="m-coach">
      <label htmlFor={`${id}-note`} className="ruling-label">
        Coaching note to {name}
      </label>
      <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      <button type="button" className="btn btn-small" onClick={() => void send()}>
        Send coaching note
      </button>
      <p className="m-item-status" role="status" data-testid="coach-status">
        {status}
      </p>
    </div>
  );
}
