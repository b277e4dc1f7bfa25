import { z } from 'zod';
import { TRAINING_PATHS } from '../../../shared/sync';
import { AttemptDoc, ShadowSetDoc } from '../../../shared/training/docs';
import type { SessionManager } from '../auth/session';
import type { HttpPort } from '../sync/http';
import { online } from '../sync/online';

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

/** A new attempt at an exam, its items drawn by the server. */
export async function requestAttempt(
  session: SessionManager,
  httpPort: HttpPort,
  examId: string,
): Promise<AttemptDoc> {
  const path = TRAINING_PATHS.startAttempt.replace(':examId', encodeURIComponent(examId));
  return (
    await online(session, httpPort, { method: 'post', path, body: {} }, StartAttemptReply, EXAM_OFFLINE)
  ).attempt;
}

/** The trainee's unfinished shadowing set of a project, else a new one the server draws. */
export async function requestShadowSet(
  session: SessionManager,
  httpPort: HttpPort,
  projectId: string,
): Promise<ShadowSetDoc> {
  const path = TRAINING_PATHS.startShadow.replace(':projectId', encodeURIComponent(projectId));
  return (
    await online(session, httpPort, { method: 'post', path, body: {} }, StartShadowReply, SHADOW_OFFLINE)
  ).set;
}
