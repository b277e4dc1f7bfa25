import { useEffect, useRef, useState } from 'react';
import { Modal } from '../components/Modal';
import { ctrlEnter, digitOf, isTypingTarget, noModifiers } from '../shortcuts/keys';
import { useSession } from '../state/sessionStore';
import { closeDialog } from '../state/uiStore';

interface ReasonDialogProps<R extends string> {
  title: string;
  intro: string;
  testId: string;
  labels: Record<R, string>;
  confirmLabel: string;
  onConfirm: (reason: R, note: string) => void;
}

/** Escalate and skip: a reason code (digits pick one), an optional note, Enter to confirm. The draft goes along. */
export function ReasonDialog<R extends string>({
  title,
  intro,
  testId,
  labels,
  confirmLabel,
  onConfirm,
}: ReasonDialogProps<R>) {
  const reasons = Object.keys(labels) as R[];
  const [reason, setReason] = useState<R | null>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const busy = useSession((s) => s.busy !== null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const name = `${testId}-reason`;

  const confirm = () => {
    if (busy) return;
    if (reason === null) {
      setMissing(true);
      first.current?.focus();
      return;
    }
    onConfirm(reason, note.trim());
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDialogElement>) => {
    const native = e.nativeEvent;
    if (ctrlEnter(native)) {
      e.preventDefault();
      confirm();
      return;
    }
    if (isTypingTarget(e.target)) return;
    const digit = digitOf(native);
    if (noModifiers(native) && !native.shiftKey && digit !== null && digit >= 1 && digit <= reasons.length) {
      e.preventDefault();
      setReason(reasons[digit - 1]!);
      setMissing(false);
      document.getElementById(`${name}-${digit - 1}`)?.focus();
    } else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) {
      e.preventDefault();
      confirm();
    }
  };

  return (
    <Modal
      title={title}
      testId={testId}
      onClose={closeDialog}
      onKeyDown={onKeyDown}
      describedBy={`${testId}-intro`}
    >
      <p id={`${testId}-intro`}>{intro}</p>
      <fieldset className="reasons" aria-describedby={missing ? `${testId}-missing` : undefined}>
        <legend>Reason</legend>
        {reasons.map((r, i) => (
          <label key={r} className={`reason${reason === r ? ' is-checked' : ''}`}>
            <input
              ref={i === 0 ? first : undefined}
              id={`${name}-${i}`}
              type="radio"
              name={name}
              value={r}
              checked={reason === r}
              onChange={() => {
                setReason(r);
                setMissing(false);
              }}
            />
            <kbd>{i + 1}</kbd> {labels[r]}
          </label>
        ))}
      </fieldset>
      {missing && (
        <p id={`${testId}-missing`} className="text-block" role="alert">
          Choose a reason first.
        </p>
      )}
      <label htmlFor={`${testId}-note`} className="note-label">
        Note <span className="muted">(optional; Ctrl+Enter confirms from here)</span>
      </label>
      <textarea
        id={`${testId}-note`}
        rows={3}
        maxLength={5000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <div className="modal-actions">
        <button type="button" className="btn btn-primary" aria-disabled={busy} onClick={confirm}>
          {confirmLabel} <kbd>Enter</kbd>
        </button>
        <button type="button" className="btn" onClick={closeDialog}>
          Cancel <kbd>Esc</kbd>
        </button>
      </div>
    </Modal>
  );
}
