import type { z } from 'zod';
import type { HistoryPoint, ServerError, WipeOrder } from '../shared/sync';

/** An error the client should see, in the shared ServerError shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
    /** history refusals of a push: what the server holds for the device */
    readonly history?: HistoryPoint,
    /** a refusal that carries a remote wipe order for the device (server/auth/wipe.ts) */
    readonly wipe?: WipeOrder,
  ) {
    super(message);
  }
}

export const errorBody = (
  code: string,
  message: string,
  issues?: HttpError['issues'],
  history?: HistoryPoint,
  wipe?: WipeOrder,
): ServerError => ({
  error: {
    code,
    message,
    ...(issues ? { issues } : {}),
    ...(history ? { history } : {}),
    ...(wipe ? { wipe } : {}),
  },
});

/** Parses a request part with a shared zod schema; failures become a 400 naming every field path. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : '(root)',
    message: i.message,
  }));
  const first = issues[0]!;
  throw new HttpError(
    400,
    'invalid-request',
    `invalid request ${what}: ${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    issues,
  );
}
