import type { Kysely } from 'kysely';
import { Username } from '../../shared/identity';
import { Id } from '../../shared/task';
import {
  AssignRefused,
  assignProject,
  type ProjectAssignment,
  type ProjectScope,
} from '../db/project-assign';
import type { Database } from '../db/schema';
import type { Parsed } from './args';
import { checked, optional, positionals } from './args';
import { CliError, UsageError } from './usage';

type Db = Kysely<Database>;
type Print = (line: string) => void;

/** who may see a project, in words (the CLI's answer after a change) */
export function scopeWords(scope: ProjectScope): string {
  if (scope.allPods) return 'open to every pod';
  const who = [...scope.pods.map((p) => `pod ${p}`), ...scope.users.map((u) => `user ${u}`)];
  return who.length ? `open to ${who.join(', ')}` : 'open to nobody but admins (assign a pod or a user)';
}

/**
 * `project assign ID --pod X | --user U | --all-pods [--remove]` (docs/server.md, "Projects and
 * pods"): exactly one of --pod, --user, --all-pods.
 */
export async function projectAssign(db: Db, parsed: Parsed, print: Print): Promise<void> {
  const [rawId] = positionals(parsed, ['id']);
  const id = checked(Id, rawId, 'ID', parsed.command);
  const pod = optional(parsed, 'pod');
  const user = optional(parsed, 'user');
  const allPods = parsed.values['all-pods'] === true;
  const remove = parsed.values.remove === true;
  if ([pod !== undefined, user !== undefined, allPods].filter(Boolean).length !== 1)
    throw new UsageError('give exactly one of --pod ID, --user USERNAME, --all-pods', parsed.command);
  if (allPods && remove)
    throw new UsageError('--remove takes --pod or --user, not --all-pods', parsed.command);
  const change: ProjectAssignment =
    pod !== undefined
      ? { pod: checked(Id, pod, '--pod', parsed.command), remove }
      : user !== undefined
        ? { user: checked(Username, user, '--user', parsed.command), remove }
        : { allPods: true };
  try {
    const { scope, withdrawn } = await assignProject(db, id, change);
    print(`project ${id}: ${scopeWords(scope)}`);
    if (withdrawn)
      print(`${withdrawn} lease(s) withdrawn from users who lost the project (told at their next sync)`);
  } catch (error) {
    if (error instanceof AssignRefused) throw new CliError(error.message);
    throw error;
  }
}
