// One workstation host for `npm run soak` (scripts/soak.ts): opens the services on its data dir,
// signs in if it is not signed in, then labels forever (submit, ~1 in 10 skip, ~1 in 15 edit of an
// earlier label) and starts a sync every few actions, until the soak SIGKILLs it.
//   node --import tsx scripts/soak-workstation.ts --data-dir D --server URL --user U --password P
//        [--seed S] [--pace MS]
// Prints one line per durable action ("submitted TASK LABEL REV", "edited TASK LABEL REV",
// "skipped TASK REASON"); a kill can cut the last line, so the soak counts from the databases.
import { parseArgs } from 'node:util';
import type { Channel, ChannelOutput } from '../shared/contract';
import { contract } from '../shared/contract';
import { SkipReason, type TaskBundle } from '../shared/queue';
import { prng } from './prng';
import { openSoakServices } from './soak-services';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    server: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    seed: { type: 'string', default: '1' },
    pace: { type: 'string', default: '20' },
  },
});
const dataDir = values['data-dir'];
const serverUrl = values.server;
const username = values.user;
const password = values.password;
if (!dataDir || !serverUrl || !username || !password)
  throw new Error('usage: soak-workstation --data-dir D --server URL --user U --password P [--seed S]');
const pace = Number(values.pace);

const random = prng(Number(values.seed));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const services = openSoakServices(dataDir);
console.log('ready');

async function call<C extends Channel>(channel: C, input: unknown = {}): Promise<ChannelOutput<C>> {
  const outcome = await services.dispatch(channel, input);
  if (!outcome.ok) throw new Error(`${channel} failed (${outcome.status}): ${outcome.error.message}`);
  return contract[channel].output.parse(outcome.result) as ChannelOutput<C>;
}

/** a complete ranking (no ties) that differs from `avoid` and from the presented order */
function ranking(presentedOrder: readonly string[], avoid: Record<string, number> | null) {
  const presented = Object.fromEntries(presentedOrder.map((id, i) => [id, i + 1]));
  for (;;) {
    const order = [...presentedOrder];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const ranks = Object.fromEntries(order.map((id, i) => [id, i + 1]));
    const same = (other: Record<string, number> | null) =>
      other !== null && order.every((id) => other[id] === ranks[id]);
    if (!same(presented) && !same(avoid)) return ranks;
  }
}

async function submit(bundle: TaskBundle, verb: 'submitted' | 'edited'): Promise<void> {
  const work = {
    ranks: ranking(bundle.presentedOrder, bundle.label?.ranks ?? null),
    rankingTouched: true,
    activeMs: Math.floor(5_000 + random() * 120_000),
    ...(random() < 0.3
      ? {
          rationale: {
            decisive: `Soak ${verb} ${bundle.task.id}: the top answer states the date and cites the source.`,
          },
        }
      : {}),
  };
  let outcome = await call('label.submit', { taskId: bundle.task.id, work });
  if (!outcome.ok) {
    // warnings only (blocking checks are a bug of this script): acknowledge them, as a reviewer does
    const warnings = outcome.checks.filter((c) => c.level === 'warn').map((c) => c.id);
    outcome = await call('label.submit', {
      taskId: bundle.task.id,
      work,
      acknowledgedWarnings: warnings,
    });
    if (!outcome.ok)
      throw new Error(`submit of ${bundle.task.id} refused: ${JSON.stringify(outcome.checks)}`);
  }
  const revision = (bundle.label?.revision ?? 0) + 1;
  console.log(`${verb} ${bundle.task.id} ${outcome.labelId} ${revision}`);
}

/** starts a sync cycle without waiting for it, as the app's background loop does */
let syncing: Promise<void> | null = null;
function syncSoon(): void {
  if (syncing) return;
  syncing = call('sync.now')
    .then((s) =>
      console.log(
        `sync ${s.lastError ? 'failed' : 'ok'} ${s.state} queued=${s.queued} quarantined=${s.quarantined}` +
          (s.lastError ? ` ${s.lastError}` : ''),
      ),
    )
    .catch((error: unknown) => console.log(`sync error ${String(error)}`))
    .finally(() => {
      syncing = null;
    });
}

async function ensureSignedIn(): Promise<boolean> {
  const status = await call('auth.status');
  if (status.signedIn) return true;
  try {
    await call('auth.signIn', { serverUrl, username, password });
    console.log(`signed in ${username}${status.signInReason ? ` (was: ${status.signInReason})` : ''}`);
    return true;
  } catch (error) {
    console.log(`sign-in failed: ${String(error)}`);
    return false;
  }
}

let untilSync = 1;
for (;;) {
  if (--untilSync <= 0) {
    untilSync = 2 + Math.floor(random() * 6);
    if (await ensureSignedIn()) syncSoon();
  }
  const roll = random();
  const summary = await call('queue.summary');
  if (roll < 1 / 15 && summary.submitted > 0) {
    const [item] = await call('queue.list', {
      state: 'submitted',
      limit: 1,
      offset: Math.floor(random() * summary.submitted),
    });
    if (item) await submit(await call('task.open', { taskId: item.taskId }), 'edited');
  } else {
    const bundle = await call('task.next');
    if (!bundle) {
      // nothing leased yet (or the project is done): wait for a sync to bring work
      untilSync = 0;
      await syncing;
      await sleep(100);
      continue;
    }
    if (roll < 1 / 15 + 1 / 10) {
      const reason = pick(SkipReason.options);
      await call('task.skip', { taskId: bundle.task.id, reason, note: `soak skip (${reason})` });
      console.log(`skipped ${bundle.task.id} ${reason}`);
    } else await submit(bundle, 'submitted');
  }
  if (pace > 0) await sleep(random() * 2 * pace);
}
