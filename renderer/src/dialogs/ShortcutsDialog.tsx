import { useEffect, useRef } from 'react';
import { Modal } from '../components/Modal';
import { SHORTCUTS, type Scope } from '../shortcuts/table';
import { closeDialog } from '../state/uiStore';

const SCOPES: Scope[] = [
  'Anywhere',
  'Queue',
  'Task',
  'Ranking',
  'Pairwise',
  'Training item',
  'Tag picker',
  'Rank list',
  'Dialogs',
];

/** Every shortcut, read from the same table the key handler uses. */
export function ShortcutsDialog() {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <Modal title="Keyboard shortcuts" testId="shortcuts-dialog" onClose={closeDialog} className="shortcuts">
      <p className="muted">
        Single-key shortcuts pause while you type in a text field; Ctrl+Enter and Esc still work there.
      </p>
      <div className="shortcut-groups">
        {SCOPES.map((scope) => (
          <section key={scope} className="shortcut-group">
            <h3>{scope}</h3>
            <dl>
              {SHORTCUTS.filter((s) => s.scope === scope).map((s) => (
                <div key={s.id} className="shortcut-row">
                  <dt>
                    {s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && <span className="muted"> or </span>}
                        <kbd>{k}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{s.description}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <div className="modal-actions">
        <button ref={close} type="button" className="btn btn-primary" onClick={closeDialog}>
          Close <kbd>Esc</kbd>
        </button>
      </div>
    </Modal>
  );
}
