import { z } from 'zod';
import { TRAINING_PATHS } from '../../../shared/sync';
import { AttemptDoc } from '../../../shared/training/docs';
import type { SessionManager } from '../auth/session';
import { ServiceError } from '../errors';
import { type HttpPort, RequestFailed, createHttp, postJson } from '../sync/http';

/** the server's answer to starting an attempt: the attempt, its items served without keys */
const StartAttemptReply = z.object({ attempt: AttemptDoc });

const OFFLINE =
  'Starting an exam needs a connection to the server (it draws the questions). ' +
  'Once it has started you can answer offline.';

/**
 * Asks the server for a new attempt at an exam. The server is the authority on whether one may
 * start (attempts left, cool-down, an open attempt, a valid certificate): its refusal comes back
 * in its own words. Offline or signed out: 'unavailable'.
 */
export async function requestAttempt(
  session: SessionManager,
  httpPort: HttpPort,
  examId: string,
): Promise<AttemptDoc> {
  const active = session.active();
  if (!active) throw new ServiceError('unavailable', `${OFFLINE} Sign in first.`);
  const http = createHttp(active.serverUrl, httpPort);
  const path = TRAINING_PATHS.startAttempt.replace(':examId', encodeURIComponent(examId));
  try {
    const reply = await postJson(http, path, {}, StartAttemptReply, active.token);
    session.contact();
    return reply.attempt;
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    const { failure } = error;
    if (failure.kind === 'transient') throw new ServiceError('unavailable', `${OFFLINE} ${failure.message}`);
    if (failure.kind === 'auth') {
      // the session itself was refused: sync would say the same; ask to sign in again
      if (failure.status === 401) session.rejected(failure.message);
      throw new ServiceError('forbidden', failure.message);
    }
    if (failure.status === 404) throw new ServiceError('not-found', failure.message);
    if (failure.status === 409) throw new ServiceError('conflict', failure.message);
    throw new ServiceError(
      'invalid-input',
      failure.message,
      failure.issues.length ? failure.issues : undefined,
    );
  }
}
