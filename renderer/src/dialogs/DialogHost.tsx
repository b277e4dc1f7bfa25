import { useSession } from '../state/sessionStore';
import { useUi } from '../state/uiStore';
import { EscalateDialog } from './EscalateDialog';
import { ShortcutsDialog } from './ShortcutsDialog';
import { SkipDialog } from './SkipDialog';
import { SubmitDialog } from './SubmitDialog';
import { TagPickerDialog } from './TagPickerDialog';

/** At most one dialog at a time; which one is UI state. */
export function DialogHost() {
  const dialog = useUi((s) => s.dialog);
  const onTask = useSession((s) => s.screen === 'task' && s.bundle !== null);
  switch (dialog) {
    case 'shortcuts':
      return <ShortcutsDialog />;
    case 'submit':
      return onTask ? <SubmitDialog /> : null;
    case 'escalate':
      return onTask ? <EscalateDialog /> : null;
    case 'skip':
      return onTask ? <SkipDialog /> : null;
    case 'tags':
      return onTask ? <TagPickerDialog /> : null;
    default:
      return null;
  }
}
