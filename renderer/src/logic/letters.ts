/** Responses are shown as A, B, C… in presentation order; feedback and hints speak in the same letters. */
export const LETTERS = 'ABCDEFGHI';

/** The letter the reviewer saw for a response id, or "?" for an id not on screen. */
export function letterOf(order: readonly string[], responseId: string): string {
  return LETTERS[order.indexOf(responseId)] ?? '?';
}
