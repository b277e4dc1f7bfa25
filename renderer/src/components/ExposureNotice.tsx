import { useEffect, useState } from 'react';
import '../styles/wellbeing.css';
import { api } from '../api';
import { useSync } from '../state/syncStore';

/**
 * Why sensitive tasks are held back (docs/wellbeing.md): "You have reviewed 40 sensitive tasks
 * today, your project's daily limit. …", counted on this computer, offline too. Read again when
 * the screen shows and after each sync (which may bring new caps). Nothing when no cap holds.
 */
export function ExposureNotice() {
  const [notice, setNotice] = useState<string | null>(null);
  const lastSyncAt = useSync((s) => s.sync?.lastSyncAt ?? null);
  useEffect(() => {
    let live = true;
    api.wellbeing
      .status({})
      .then((status) => live && setNotice(status.capNotice))
      // the notice explains; failing to read it must not stop the screen
      .catch(() => live && setNotice(null));
    return () => {
      live = false;
    };
  }, [lastSyncAt]);
  if (!notice) return null;
  return (
    <p className="exposure-notice" data-testid="exposure-notice" role="status">
      <b>Sensitive tasks paused.</b> {notice} Other tasks in your queue are not affected.
    </p>
  );
}
