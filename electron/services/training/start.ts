import { z } from 'zod';
import { TRAINING_PATHS } from '../../../shared/sync';
import { AttemptDoc, ShadowSetDoc } from '../../../shared/training/docs';
import type { SessionManager } from '../auth/session';
import { ServiceError } from '../errors';
import { type HttpPort, RequestFailed, createHttp, postJson } from '../sync/http';

/** the server's answer to starting an attempt: the attempt, its items served without keys */
const StartAttemptReply = z.object({ attempt: AttemptDoc });
/** the server's answer to asking for a shadowing set: the set, served without reference labels */
const StartShadowReply = z.object({ set: ShadowSetDoc });

const EXAM_OFFLINE =
  'Starting an exam needs a connection to the server (it draws the questions). ' +
  'Once it has started you can answer offline.';
const SHADOW_OFFLINE =
  'Starting a shadowing set needs a connection to the server (it picks the tasks). ' +
  'Once it has started you can label offline.';

/**
 * Asks the server to start something it draws (an exam attempt, a shadowing set). The server is
 * the authority on whether one may start (attempts left, cool-down, a project open for shadowing):
 * its refusal comes back in its own words. Offline or signed out: 'unavailable'.
 */
async function requestStart<T>(
  session: SessionManager,
  httpPort: HttpPort,
  path: string,
  reply: z.ZodType<T>,
  offline: string,
): Promise<T> {
  const active = session.active();
  if (!active) throw new ServiceError('unavailable', `${offline} Sign in first.`);
  const http = createHttp(active.serverUrl, httpPort);
  try {
    const body = await postJson(http, path, {}, reply, active.token);
    session.contact();
    return body;
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    const { failure } = error;
    if (failure.kind === 'transient') throw new ServiceError('unavailable', `${offline} ${failure.message}`);
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

/** A new attempt at an exam, its items drawn by the server. */
export async function requestAttempt(
  session: SessionManager,
  httpPort: HttpPort,
  examId: string,
): Promise<AttemptDoc> {
  const path = TRAINING_PATHS.startAttempt.replace(':examId', encodeURIComponent(examId));
  return (await requestStart(session, httpPort, path, StartAttemptReply, EXAM_OFFLINE)).attempt;
}

/** The trainee's unfinished shadowing set of a project, else a new one the server draws. */
export async function requestShadowSet(
  session: SessionManager,
  httpPort: HttpPort,
  projectId: string,
): Promise<ShadowSetDoc> {
  const path = TRAINING_PATHS.startShadow.replace(':projectId', encodeURIComponent(projectId));
  return (await requestStart(session, httpPort, path, StartShadowReply, SHADOW_OFFLINE)).set;
}
