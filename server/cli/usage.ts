/** Help texts and the usage error (exit code 2) of the operator CLI. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** the command whose help to point at */
    readonly command: string | null = null,
  ) {
    super(message);
  }
}

/** An error in the input or the database state (exit code 1): unknown project, bad file, … */
export class CliError extends Error {}

const DB = `  --db FILE_OR_URL   SQLite file or postgres:// URL (default: $DATABASE_URL, else ./server-data/server.db)`;

export const HELP: Record<string, string> = {
  main: `Operator CLI of the RLHF Reviewer Workstation server.

Usage: npm run server:cli -- <command> [options] [--db FILE_OR_URL]

Commands:
  project create ID --name NAME [...]     create a project
  project set ID --escalation-target H    change a project's escalation response target
                 [--sensitive-per-day N] [--sensitive-per-session N] [--break-after MIN]
                                          or its exposure caps and break reminder (docs/wellbeing.md)
  project assign ID --pod X|--user U      who may see a project [--remove] (or --all-pods)
  pod create ID --name NAME [--lead USER]  create a pod
  user add USERNAME --role ROLE [...]     add a user (prints a generated password once)
  user revoke USERNAME [--wipe]           revoke a user: refused at their next request (--wipe: and wipe their devices)
  user role USERNAME --role ROLE          change a role (promote a certified trainee to reviewer)
  device list [--user USERNAME]           list devices: id, user, name, last mutation, sign-in
  device revoke DEVICE_ID                 revoke a device (a lost laptop): refused at its next request
  device wipe DEVICE_ID                   revoke a device and order it wiped at its next contact
  import FILE --project ID                import tasks (JSONL: task format v1 or {prompt, chosen, rejected})
  task withdraw --project ID TASK...      withdraw tasks: never leased again, holders told at next sync
  export --project ID --format F [...]    export labels: raw | trl | openai
  agreement FILE --metric M [--level L]  agreement of any ratings table (CSV item,rater,value)
  metrics --project ID [...]              a project's quality metrics (JSON or CSV) and flags
  metrics thresholds --project ID [...]   set the bars metric flags use (per project or pod)
  backup --out FILE [--force]             copy the SQLite database, safely while the server runs
  restore FILE --db TARGET                put a backup in place (server stopped); new server epoch
  restore --mark-only [NAME] --db URL     only mark a restore (PostgreSQL, after pg_restore)
  course import FILE --course ID          import a sandbox course (a re-import is a new version)
  exam create ID --skill S --bank FILE …  create a certification exam from an item bank
  exam retire ID                          stop an exam taking new attempts (certificates stay)
  cert list [--user USERNAME]             list certificates with their status
  cert revoke USERNAME --skill S          revoke a user's certificates for a skill
  cert grant USERNAME --skill S           certify a reviewer without an exam (certified before)
  calibration create --pod P --from FILE --due DATE   publish a calibration round to a pod
  calibration close ROUND_ID              reveal a calibration round now
  shadow open --project P [--set-size N]  open a project to trainees for shadowing
  shadow close --project P                stop drawing new shadowing sets
  audit export [--since DATE] [--out F]   the audit log (lead and admin actions) as JSON Lines
  gold import FILE --project P --rate R   add silent gold (items with keys) mixed into leases at rate R
  qa configure --project P --share S      set a project's QA share (0..0.5) [--overrides] [--seed SEED]
  qa sample --project P [--seed SEED]     sample completed labels for blind QA re-rating now
  user grant USERNAME qa [--revoke]       let a user re-rate QA samples of every pod
  guideline publish FILE --minor|--major  publish a guideline's new text (Markdown) [--id ID]
  guideline drafts [--state S] [--pod P]  list the leads' guideline change drafts

Options:
${DB}
  -h, --help         help for a command (e.g. \`user add --help\`)

Exit codes: 0 ok, 1 validation or data errors, 2 usage errors.`,
  'project create': `Usage: project create ID --name NAME [options]

  --name NAME               display name (required)
  --batch-size N            tasks leased per request, for offline work (default 200)
  --lease-hours H           how long a lease lasts before the task returns to the pool (default 72)
  --ratings N               ratings per task (default 1)
  --agreement-share S       share 0..1 of tasks rated more often, for agreement (default 0)
  --agreement-ratings N     ratings on that share (default 2)
  --sandbox                 not production work: trainees may be assigned
  --requires-cert S[,S]     skills whose certificate a non-admin needs to lease here
                            (see \`exam create\`; admins need none)
  --escalation-target H     hours a lead has to answer an escalation before it is
                            marked overdue in their inbox (default 24)
  --sensitive-per-day N     sensitive tasks a reviewer may label per day here
                            (1 .. 10000, or none; default none): past it they get none
  --sensitive-per-session N sensitive tasks a reviewer may label per session (since sign-in)
                            (1 .. 10000, or none; default none)
  --break-after MIN         minutes of continuous sensitive work before a break reminder
                            (0.05 .. 1440, or none; default none; docs/wellbeing.md)
  --pod ID[,ID]             the pods whose members and lead may work on it
  --user U[,U]              users who may work on it whatever their pod
  --all-pods                open to every pod; without it, --pod or --user the project is
                            open to nobody but admins until \`project assign\`
${DB}`,
  'project assign': `Usage: project assign ID --pod X | --user U | --all-pods [--remove]

Gives project ID to a pod (its members and lead) or to a named user, or takes it back with
--remove; --all-pods opens it to every pod (as projects from before pods had projects are).
Removing the last pod or user closes the project (admins only), never opens it. Leases held by
whoever loses the project are withdrawn (told at their next sync). Audited (project.assign).

  --pod ID           a pod
  --user USERNAME    a user, whatever their pod
  --all-pods         every pod
  --remove           take the project back from the pod or user
${DB}`,
  'project set': `Usage: project set ID [--escalation-target HOURS] [--sensitive-per-day N]
                      [--sensitive-per-session N] [--break-after MINUTES]

  --escalation-target H     hours a lead has to answer an escalation before it is
                            marked overdue in their inbox (0.25 .. 2160)
  --sensitive-per-day N     sensitive tasks a reviewer may label per day here
                            (1 .. 10000, or none; default none): past it they get none
  --sensitive-per-session N sensitive tasks a reviewer may label per session (since sign-in)
                            (1 .. 10000, or none; default none)
  --break-after MIN         minutes of continuous sensitive work before a break reminder
                            (0.05 .. 1440, or none; default none; docs/wellbeing.md)
${DB}`,
  'pod create': `Usage: pod create ID --name NAME [--lead USERNAME]

  --name NAME        display name (required)
  --lead USERNAME    an existing user with role lead; joins the pod as its lead
${DB}`,
  'user add': `Usage: user add USERNAME --role trainee|reviewer|lead|admin [options]

  --role ROLE        trainee, reviewer, lead or admin (required)
  --pod ID           the user's pod (a lead becomes its lead)
  --name TEXT        display name (default: the username)
  --password P       the password (at least 8 characters); without it or --password-stdin
                     a random one is generated and printed once
  --password-stdin   read the password from the first line of standard input (piped, e.g. from
                     a password manager): it stays out of shell history and the process list
${DB}`,
  'user role': `Usage: user role USERNAME --role ROLE

Changes USERNAME's role: trainee, reviewer, lead or admin. Promoting a trainee who passed their
certification to reviewer opens production work to them (an exam created with --promote does it
on a pass). The role applies at the user's next request.

  --role ROLE        the new role (required)
${DB}`,
  'user revoke': `Usage: user revoke USERNAME [--wipe]

Revokes the user and all their sessions; their next request is refused.

  --wipe    also order every device the user signed in on wiped (see: device wipe)
${DB}`,
  'device list': `Usage: device list [--user USERNAME]

Lists devices, newest first: id, the user who signed in on it last, its name, the last mutation id
the server applied for it, when it was registered, when it was revoked (- if not), and its latest
sign-in (sessions record no per-request use).

  --user USERNAME    only the devices USERNAME signed in on last
${DB}`,
  'device revoke': `Usage: device revoke DEVICE_ID

Revokes a device (a lost or stolen laptop): every session on it is refused at its next request.
Work it has not sent yet stays on it and never reaches the server. Its user keeps their account
and may sign in on another device. Find the id with \`device list --user USERNAME\`.
${DB}`,
  'device wipe': `Usage: device wipe DEVICE_ID

Revokes a device and orders it wiped (a lost or stolen laptop). At its next contact with the server
(any request, even a refused one) the workstation deletes the tasks, drafts, labels, training
answers and everything else of the account on it, unsent work included (it never reaches the
server), overwrites the freed space in its database, and reports the wipe. \`device list\` shows
the order (WIPE: ordered, then wiped); the audit log records both (device.wipe, device.wiped).
${DB}`,
  'task withdraw': `Usage: task withdraw --project ID [TASK_ID ...] [--from FILE]

Withdraws tasks (a broken prompt, leaked data, a duplicate): they are never leased again, reviewers
holding one are told at their next sync (untouched copies disappear from their queue), and later
work on them is refused with "task-revoked" and kept on the workstation. Labels already received
stay on the server but are left out of exports. All or nothing, one transaction.

  --project ID       the project the tasks belong to (required)
  --from FILE        also withdraw the ids in FILE, one per line
${DB}`,
  import: `Usage: import FILE --project ID

Imports JSON Lines: task format v1 (docs/task-format.md) or {prompt, chosen, rejected} rows,
streamed at constant memory in one transaction.
Atomic: a file with any bad line imports nothing; errors are listed as FILE:LINE: FIELD: MESSAGE.
Tasks already on the server (same id) are skipped, so re-importing a file is harmless.

  --project ID       the project to add the tasks to (required)
${DB}`,
  export: `Usage: export --project ID --format raw|trl|openai [options]

Writes JSON Lines, one row per label (raw) or per strict preference (trl, openai). See docs/exports.md.

  --project ID       the project (required)
  --format F         raw: every label field; trl: TRL {prompt, chosen, rejected};
                     openai: OpenAI preference fine-tuning rows (required)
  --messages         trl: conversational rows (prompt and answers as message lists)
  --margin           trl: add a "margin" column (pairwise strength, or rank gap)
  --out FILE         write to FILE (atomically: temp file, then rename); default stdout
${DB}`,
  agreement: `Usage: agreement FILE --metric percent|cohen|fleiss|krippendorff|kendall-w [options]

Computes an agreement coefficient over any ratings table and prints one JSON object:
{"metric", "level", "value", "observed", "expected", "items", "raters", "pairable", "ci95",
"seed", "resamples", ...}. "observed" is the raw agreement beside the chance-corrected value;
"ci95" a percentile bootstrap 95% interval (1000 resamples of items; of judges for kendall-w).
Opens no database. See docs/metrics.md.

FILE is CSV (RFC 4180) with the header item,rater,value and one rating per line; an empty value
is missing (skipped). For kendall-w the item is the object ranked, the rater the judge and the
value its rank. Errors are listed as FILE:LINE: FIELD: MESSAGE.

  --metric M         percent, cohen (exactly two raters), fleiss, krippendorff or kendall-w (required)
  --level L          krippendorff only: nominal (default), ordinal, interval or ratio; values must
                     be numbers above nominal (ratio: >= 0). percent, cohen and fleiss are nominal
  --seed N           the bootstrap's seed (default 1): the same seed gives the same interval`,
  backup: `Usage: backup --out FILE [--force]

Writes a consistent copy of the SQLite server database to FILE, while the server runs: one read
snapshot (VACUUM INTO), so writes going on meanwhile are neither blocked nor half-copied. The copy
is owner-only (0600), checked (quick_check), synced, and written under a temporary name that is
renamed into place. PostgreSQL: use pg_dump -Fc instead (docs/operations.md).

  --out FILE         where to write the copy (required); an existing FILE is refused
  --force            replace an existing FILE
${DB}`,
  restore: `Usage: restore FILE --db TARGET
       restore --mark-only [NAME] --db FILE_OR_URL

Puts the backup FILE in place of the SQLite database TARGET. Stop the server first: a TARGET that
a server (or any process) has open is refused. FILE must be a server database of this app (it is
checked before TARGET is touched). Stale TARGET-wal / -shm files are removed (a leftover log would
be replayed onto the restored file), and the copy is renamed into place atomically. Then the
database is opened (migrations run) and marked: a new server epoch (every workstation sees at its
next pull that the server's history changed) and server_meta restored_at / restored_from.
See docs/operations.md.

  --db TARGET        the database to replace (required here: no default)
  --mark-only        only the marking, e.g. for PostgreSQL after pg_restore; NAME (the dump's
                     name) is recorded as restored_from`,
  'course import': `Usage: course import FILE --course ID

Imports a sandbox course: JSON Lines, an optional {"course": {...}} first line, then {"module": {...}}
lines each followed by its items (tasks with a "key"; docs/training.md). Courses are training
material: items and keys go to every workstation, for feedback offline. Atomic: a file with any bad
line imports nothing (FILE:LINE: PATH: MESSAGE). Importing the course again replaces it with a new
version (1, 2, ...); answers already given keep the version they were given on.

  --course ID        the course's id (required)
${DB}`,
  'exam create': `Usage: exam create ID --skill S --bank FILE --draw N --pass P --attempts N
                   --cooldown-hours H --valid-days D [options]

Creates a certification exam. Each attempt draws N items at random from the bank (JSON Lines of
tasks with a "key", docs/training.md), served without keys and with neutral response ids; answers
are graded on the server. Passing issues a certificate for the skill, which projects created with
--requires-cert ask for. Bad input stores nothing.

  --skill S             the skill a pass certifies, e.g. helpfulness-ranking (required)
  --bank FILE           the item bank (required); errors are listed as FILE:LINE: PATH: MESSAGE
  --draw N              items per attempt, at most the bank's size (required)
  --pass P              pass mark: the mean item score 0..1 to reach, e.g. 0.8 (required)
  --attempts N          attempts per certification cycle (required)
  --cooldown-hours H    wait between attempts (required; 0 for none)
  --valid-days D        how long a certificate lasts (required)
  --time-limit-min M    time per attempt; answers received later (after 2 minutes' grace) count 0
  --stratify PATH       draw proportionally per value of this item field, e.g. meta.topic
  --guideline ID        the guideline a certificate records the version of (default: default);
                        a new major version of it asks certificates to be renewed
  --grace-days D        how long a certificate stays valid once renewal is asked (default 14)
  --promote             a trainee who passes becomes a reviewer
  --title T             the name workstations show (default: ID)
${DB}`,
  'exam retire': `Usage: exam retire ID

Retires exam ID: it takes no new attempts (workstations say so at their next sync). Attempts
already started can still be finished and are graded; certificates it issued stay valid until they
expire or fall due. Retiring an exam twice is an error.
${DB}`,
  'cert list': `Usage: cert list [--user USERNAME]

Lists certificates by user, newest first: skill, status (valid, due for renewal, expired,
revoked), the exam, the guideline version it was earned under, issue, expiry and due dates.

  --user USERNAME    only USERNAME's certificates
${DB}`,
  'cert grant': `Usage: cert grant USERNAME --skill S

Grants USERNAME a certificate for skill S without an exam: for reviewers certified before the
workstation (a pod's senior core). It is issued under the skill's newest exam and lasts as long
as that exam's certificates; it falls due with them when the guideline changes major version.

  --skill S          the skill (required; an exam must certify it)
${DB}`,
  'cert revoke': `Usage: cert revoke USERNAME --skill S

Revokes USERNAME's certificates for skill S: their next lease on a project requiring S is refused
until they pass the exam again. The workstation is told at its next sync.

  --skill S          the skill (required)
${DB}`,
  'calibration create': `Usage: calibration create --pod P --from FILE --due DATE [--title T]

Publishes a calibration round to pod P: its trainees and reviewers (the members, fixed now) and
its lead get the items (JSON Lines like an exam bank, docs/training.md; a "key" is optional) and
answer them blind, like production work, offline if they like. The round is revealed once every
member has answered every item, at the first contact with the server after DATE, or with
\`calibration close\`: each member then sees the pod's answers, the reference (the key, else the
lead's answer) and their agreement with the pod. Bad input publishes nothing.

  --pod P            the pod (required)
  --from FILE        the items (required); errors are listed as FILE:LINE: PATH: MESSAGE
  --due DATE         YYYY-MM-DD (the end of that day, UTC) or an ISO-8601 time (required)
  --title T          the name workstations show (default: "Calibration due DATE")
${DB}`,
  'calibration close': `Usage: calibration close ROUND_ID

Reveals the round now, whoever has answered (the round's id is printed by \`calibration create\`).
${DB}`,
  'shadow open': `Usage: shadow open --project P [--set-size N]

Opens project P to trainees in shadow mode: a trainee draws a set of N tasks that certified
reviewers already labeled (by someone who, when the label arrived, held every certificate the
project requires), labels them and, once each answer reaches the server, sees the reviewer's label
beside their own. Shadowing answers are training data: never in any export. Run it again to change
the set size.

  --project P        the project (required)
  --set-size N       tasks per set, 1..100 (default 10)
${DB}`,
  'gold import': `Usage: gold import FILE --project P --rate R

Adds the items of FILE (JSON Lines: a task in task format v1 plus its \`key\`, as exam banks;
docs/training.md, "Item files") to project P as silent gold (docs/lead-workspace.md): stored as
tasks of P like any other, their keys kept apart and never sent. Each lease slot goes to a gold
task with probability R, at a random place in the batch, never twice to the same reviewer. Labels
on gold tasks are graded on push and never exported. Task ids are sent to reviewers: give them
the shape of the project's other ids (ids that say "gold" are refused). Any error stores nothing.

  --project P        the project (required)
  --rate R           share of lease slots given to gold, 0..0.5 (required; 0 stops mixing)
${DB}`,
  'qa configure': `Usage: qa configure --project P --share S [--overrides] [--seed SEED]

Sets project P's blind QA re-rating (docs/lead-workspace.md): share S (0..0.5, default 0.1) of
each reviewer's completed labels is sampled (at least one per reviewer with labels) and re-rated
by the reviewer's lead or a user with the qa permission, blind.

  --share S          share of completed labels to sample, 0..0.5 (required)
  --overrides        a re-rating replaces the original label in trl/openai exports (raw keeps both)
  --seed SEED        the sampling seed (default: kept; a random one the first time)
${DB}`,
  'qa sample': `Usage: qa sample --project P [--seed SEED]

Samples project P's completed labels not yet sampled, per reviewer, with the project's seed (or
SEED), and records the run. A QA lease also samples by itself when nothing is left to re-rate.
${DB}`,
  'user grant': `Usage: user grant USERNAME PERMISSION [--revoke]

Grants a permission beyond the user's role. PERMISSION: qa (re-rate QA samples of every pod; a
lead re-rates their own pod's without it).

  --revoke           withdraw the permission instead
${DB}`,
  'guideline publish': `Usage: guideline publish FILE --minor|--major [--id ID]

Publishes FILE, a Markdown file holding the guideline's whole new text, as the next minor (1.2 ->
1.3) or major (1.2 -> 2) version of guideline ID (docs/lead-workspace.md, "Guideline loop"). The
title and golden examples stay as they are. The new version is stored, sent to every workstation
at its next sync (reviewers see "Guidelines updated" with the sections that changed), and audited
(config.publish, by the operator). A major version makes the certificates earned under an older
major version fall due (they stay valid for the exam's grace period). One transaction: an error
(FILE: MESSAGE) publishes nothing; a text equal to the current one is refused.

  --minor            a clarification: no one re-certifies
  --major            a change of substance: certificates fall due
  --id ID            the guideline (default: default)
${DB}`,
  'guideline drafts': `Usage: guideline drafts [--state open|published|rejected] [--pod P]

Lists the guideline change drafts leads wrote (newest first), one per line, tab-separated: id,
state (published: with its version), pod, guideline@version it is based on, author, created,
summary. Admins publish or reject them in the app.

  --state S          only drafts in state S
  --pod P            only pod P's drafts
${DB}`,
  'audit export': `Usage: audit export [--since DATE] [--out FILE]

Writes the audit log (docs/lead-workspace.md, "Audit log") as JSON Lines, oldest first: one entry
per line with id, at, actorUserId (null: this CLI), actorRole (lead, admin or operator), action,
targetType, targetId, and the state before and after. The log is append-only.

  --since DATE       entries at or after DATE (YYYY-MM-DD, midnight UTC, or an ISO-8601 datetime)
  --out FILE         write to FILE (complete or not at all) instead of standard output
${DB}`,
  'shadow close': `Usage: shadow close --project P

Stops new shadowing sets for project P; sets already drawn can still be finished.

  --project P        the project (required)
${DB}`,
  metrics: `Usage: metrics --project P [--pod X] [--reviewer U] [--since DATE] [--until DATE] [--format json|csv]

Every quality figure of project P from its stored labels, skips, escalations, gold answers and
calibration rounds (docs/metrics.md, "Project metrics"): agreement on overlap tasks (percent and
Krippendorff's alpha on implied preferences, Kendall's W, per tag) with n and bootstrap 95%
intervals, gold accuracy, position bias, active time, escalation and skip rates; per pod, per
reviewer and per week; and the flags of reviewers and pods below the thresholds.

  --project P        the project (required); an unknown project is an error (exit 1)
  --pod X            only pod X's reviewers (agreement still compares them with every co-rater)
  --reviewer U       only reviewer U (username)
  --since DATE       labels received from DATE (YYYY-MM-DD, UTC, or an ISO-8601 time)
  --until DATE       labels received up to DATE (a day includes that whole day); bad dates: exit 2
  --format F         json (default): the whole report; csv: one row for the scope, each pod and
                     each reviewer with the main figures
  --seed N           the bootstrap's seed (default 1)
${DB}`,
  'metrics thresholds': `Usage: metrics thresholds --project P [--pod X] [--min-agreement A] [--max-gold-error E]
                          [--max-position-bias B] [--window-days D] [--min-n N]

Sets the bars flags use, for the whole project or (with --pod) one pod; the values not given keep
what applied before (the pod: the project's; the project: the defaults 0.6, 0.2, 0.15, 28, 30).
Prints the resulting thresholds as JSON. See docs/metrics.md, "Thresholds and flags".

  --min-agreement A      lowest raw agreement with co-raters, 0..1
  --max-gold-error E     highest gold error rate, 0..1
  --max-position-bias B  highest |share of pairwise choices for the first shown - 0.5|, 0..0.5
  --window-days D        the rolling window, in days, ending at the report's end (or now)
  --min-n N              fewest comparisons, gold answers or choices a flag needs
${DB}`,
};
