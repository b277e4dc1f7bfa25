import type { ApiErrorBody, Handlers } from '../../shared/contract';
import { contract, formatIssues, isChannel } from '../../shared/contract';
import { ServiceError } from './errors';

export type DispatchResult =
  { ok: true; result: unknown } | { ok: false; status: number; error: ApiErrorBody };

const STATUS: Record<ServiceError['code'], number> = {
  'invalid-input': 400,
  'not-found': 404,
  conflict: 409,
  forbidden: 403,
  unavailable: 503,
};

/**
 * The one entry both hosts call: validates the input against the contract, runs
 * the handler, and turns every failure into a status and an ApiErrorBody. Never throws.
 */
export function createDispatch(
  handlers: Handlers,
  log: (message: string, error: unknown) => void = (message, error) => console.error(message, error),
): (channel: string, input: unknown) => Promise<DispatchResult> {
  return async (channel, input) => {
    if (!isChannel(channel)) {
      return {
        ok: false,
        status: 404,
        error: { code: 'not-found', message: `unknown channel "${String(channel)}"` },
      };
    }
    const parsed = contract[channel].input.safeParse(input === undefined || input === null ? {} : input);
    if (!parsed.success) {
      const issues = formatIssues(parsed.error);
      return {
        ok: false,
        status: 400,
        error: {
          code: 'invalid-input',
          message: `invalid input for ${channel}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          issues,
        },
      };
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      return { ok: true, result: await handler(parsed.data) };
    } catch (error) {
      return failedCall(channel, error, log);
    }
  };
}

/** A handler's failure as the caller sees it: a ServiceError's status and words, else a 500. */
export function failedCall(
  channel: string,
  error: unknown,
  log: (message: string, error: unknown) => void,
): DispatchResult & { ok: false } {
  if (error instanceof ServiceError) {
    const body: ApiErrorBody = { code: error.code, message: error.message };
    if (error.issues) body.issues = error.issues;
    return { ok: false, status: STATUS[error.code], error: body };
  }
  log(`[services] ${channel} failed:`, error);
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    status: 500,
    error: { code: 'internal', message: `internal error in ${channel}: ${message}` },
  };
}
