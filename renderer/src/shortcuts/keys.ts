/** Key-event predicates shared by the shortcut table and the components that handle keys themselves. */
export type KeyTest = (e: KeyboardEvent) => boolean;

export const noModifiers = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey;

/** The digit on the key, whatever the layout and Shift state (Shift+1 is "!" on a US layout). */
export function digitOf(e: KeyboardEvent): number | null {
  const fromCode = /^(?:Digit|Numpad)(\d)$/.exec(e.code);
  if (fromCode) return Number(fromCode[1]);
  return /^\d$/.test(e.key) ? Number(e.key) : null;
}

export const letter =
  (key: string): KeyTest =>
  (e) =>
    noModifiers(e) && e.key.toLowerCase() === key;

export const exactKey =
  (...keys: string[]): KeyTest =>
  (e) =>
    noModifiers(e) && keys.includes(e.key);

export const digitIn =
  (min: number, max: number, shift: boolean): KeyTest =>
  (e) => {
    const d = digitOf(e);
    return noModifiers(e) && e.shiftKey === shift && d !== null && d >= min && d <= max;
  };

export const ctrlEnter: KeyTest = (e) => (e.ctrlKey || e.metaKey) && e.key === 'Enter';

/** Shortcuts stand aside while the reviewer types. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(
      target.type,
    );
  }
  return false;
}
