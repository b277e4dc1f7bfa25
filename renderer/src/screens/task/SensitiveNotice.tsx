import { keyHint } from '../../shortcuts/table';
import { useSession } from '../../state/sessionStore';
import { useUi } from '../../state/uiStore';

/** Wellbeing: responses of a sensitive task stay blurred until the reviewer chooses to look. */
export function SensitiveNotice() {
  const revealed = useUi((s) => s.revealed);
  const training = useSession((s) => s.bundle?.training !== undefined);
  if (revealed) return null;
  return (
    <div className="sensitive-notice" data-testid="sensitive-notice" role="note">
      <p>
        <strong>Sensitive content.</strong> The responses to this task may be disturbing, so they are blurred.
        Take a moment if you need one
        {training ? '.' : '; you may also skip it with the reason “Content I should not review”.'}
      </p>
      <button type="button" className="btn" onClick={() => useUi.setState({ revealed: true })}>
        Reveal responses <kbd>{keyHint('reveal')}</kbd>
      </button>
    </div>
  );
}
