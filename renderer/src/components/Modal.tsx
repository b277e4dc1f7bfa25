import { type ReactNode, useLayoutEffect, useRef } from 'react';
import { focusResponse } from '../state/focus';
import { useUi } from '../state/uiStore';

interface ModalProps {
  title: string;
  testId: string;
  onClose: () => void;
  children: ReactNode;
  /** extra key handling inside the dialog (reason digits, tag keys…) */
  onKeyDown?: (e: React.KeyboardEvent<HTMLDialogElement>) => void;
  className?: string;
  describedBy?: string;
}

/**
 * A native modal <dialog>: the browser makes the rest of the page inert (focus stays inside)
 * and turns Escape into a cancel event. Focus goes back where it was when the dialog closes.
 */
export function Modal({ title, testId, onClose, children, onKeyDown, className, describedBy }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = `${testId}-title`;
  useLayoutEffect(() => {
    const dialog = ref.current!;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      // the element that opened the dialog may be gone (e.g. the task changed)
      if (previous?.isConnected) previous.focus();
      else focusResponse(useUi.getState().focusedIndex);
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal ${className ?? ''}`}
      data-testid={testId}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={onKeyDown}
    >
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
