import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../server/db/connect';
import type { Database } from '../../../../server/db/schema';
import { backends, cli, jsonl, pairwiseTask, rankingTask, removeTempFiles, tempFile } from './helpers';

const all = await backends();
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
  removeTempFiles();
});

/** an item line: a pairwise task (responses a, b) keyed to prefer `a`, with a topic */
const item = (id: string, topic = 'general', key: Record<string, unknown> = {}) => ({
  ...pairwiseTask(id),
  meta: { topic },
  key: { kind: 'pairwise', preferred: 'a', explanation: `Because ${id}.`, ...key },
});

const bankFile = (n: number) =>
  tempFile(
    'bank.jsonl',
    jsonl(...Array.from({ length: n }, (_, i) => item(`q${i + 1}`, i % 3 ? 'facts' : 'maths'))),
  );

const EXAM_OPTIONS = [
  ...['--skill', 'helpfulness', '--draw', '3', '--pass', '0.8', '--attempts', '3'],
  ...['--cooldown-hours', '24', '--valid-days', '180'],
];

async function rows<T extends keyof Database>(db: string, table: T) {
  const server = await openDatabase(db);
  try {
    return (await server.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
  } finally {
    await server.close();
  }
}

async function trainingChanges(db: string) {
  const changes = await rows(db, 'changes');
  return changes
    .filter((c) => c.type === 'training')
    .map((c) => ({ userId: c.user_id, doc: JSON.parse(c.payload as string).doc }));
}

describe.each(all)('server CLI on $name: training', (backend) => {
  afterEach(() => backend.cleanup());

  it('course import: stores and broadcasts the course; a re-import is a new version', async () => {
    const db = await backend.fresh();
    const file = tempFile(
      'course.jsonl',
      jsonl(
        { course: { title: 'Basics', description: 'Start here' } },
        { module: { id: 'm1', title: 'Pairs', lesson: 'Compare.' } },
        item('c1'),
        item('c2'),
        { module: { id: 'm2', title: 'Rankings' } },
        {
          ...rankingTask('c3'),
          key: { kind: 'ranking', ranks: { r1: 1, r2: 2, r3: 3 }, explanation: 'Order.' },
        },
      ),
    );
    expect(await cli(db, 'course', 'import', file, '--course', 'basics')).toEqual({
      code: 0,
      stdout: 'imported course basics (Basics) version 1: 2 module(s), 3 item(s)\n',
      stderr: '',
    });
    expect((await cli(db, 'course', 'import', file, '--course', 'basics')).stdout).toMatch(/version 2:/);
    const [course] = await rows(db, 'courses');
    expect(course).toMatchObject({ id: 'basics', title: 'Basics', version: '2' });
    const changes = await trainingChanges(db);
    expect(changes.map((c) => [c.userId, c.doc.kind, c.doc.version])).toEqual([
      [null, 'course', '1'],
      [null, 'course', '2'],
    ]);
    // keys travel with courses: they are training material
    expect(changes[0]!.doc.modules[0].items[0].key.explanation).toBe('Because c1.');
  });

  it('course import: a bad file imports nothing and names each line and field', async () => {
    const db = await backend.fresh();
    const file = tempFile(
      'course.jsonl',
      jsonl(
        { module: { id: 'm1', title: 'Pairs' } },
        item('c1', 'x', { preferred: 'z' }),
        { ...pairwiseTask('c2'), key: { kind: 'ranking', ranks: { a: 1, b: 2 }, explanation: 'x' } },
        'not json',
      ),
    );
    const run = await cli(db, 'course', 'import', file, '--course', 'basics');
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `${file}:2: key.preferred: the task has no response "z" (it has a, b)`,
      `${file}:3: key.kind: a ranking key on a pairwise task`,
      expect.stringMatching(new RegExp(`^${file}:4: \\(root\\): not valid JSON`)),
    ]);
    expect(lines[3]).toBe(`error: ${file}: nothing imported, 3 error(s)`);
    expect(await rows(db, 'courses')).toEqual([]);
    expect(await trainingChanges(db)).toEqual([]);
    // usage errors: exit 2
    expect((await cli(db, 'course', 'import', file)).code).toBe(2);
    expect((await cli(db, 'course', 'import', file, '--course', 'bad id')).code).toBe(2);
    expect(await cli(db, 'course', 'import', '/no/such/file', '--course', 'basics')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error: cannot read \/no\/such\/file: /),
    });
  });

  it('exam create: stores the exam and its bank with strata, broadcasts the rules without the bank', async () => {
    const db = await backend.fresh();
    const file = bankFile(5);
    const run = await cli(
      db,
      ...['exam', 'create', 'helpful-1', '--bank', file, ...EXAM_OPTIONS],
      ...['--time-limit-min', '30', '--stratify', 'meta.topic', '--promote', '--title', 'Helpfulness'],
    );
    expect(run).toEqual({
      code: 0,
      stdout:
        'created exam helpful-1 (Helpfulness) for skill helpfulness: 3 of 5 items per attempt, ' +
        'pass mark 0.8, 3 attempt(s), certificates valid 180 days; trainees who pass become reviewers\n',
      stderr: '',
    });
    const [exam] = await rows(db, 'exams');
    expect(exam).toMatchObject({
      id: 'helpful-1',
      title: 'Helpfulness',
      skill: 'helpfulness',
      guideline_id: 'default',
      draw: 3,
      pass_mark: 0.8,
      max_attempts: 3,
      cooldown_hours: 24,
      time_limit_min: 30,
      valid_days: 180,
      grace_days: 14,
      stratify: 'meta.topic',
      promote: 1,
      retired: 0,
    });
    const items = (await rows(db, 'exam_items')).sort((a, b) => Number(a.position) - Number(b.position));
    expect(items.map((i) => [i.item_id, i.stratum])).toEqual([
      ['q1', 'maths'],
      ['q2', 'facts'],
      ['q3', 'facts'],
      ['q4', 'maths'],
      ['q5', 'facts'],
    ]);
    const changes = await trainingChanges(db);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.doc).toMatchObject({ kind: 'exam', id: 'helpful-1', passMark: 0.8, timeLimitMin: 30 });
    expect(JSON.stringify(changes)).not.toContain('Because');
  });

  it('exam create: each kind of bad input stores nothing and says what is wrong', async () => {
    const db = await backend.fresh();
    const good = bankFile(3);
    const create = (...extra: string[]) => cli(db, 'exam', 'create', 'ex', ...extra);
    const withOptions = (replace: Record<string, string | null>, file = good) => {
      const options: string[] = [];
      for (let i = 0; i < EXAM_OPTIONS.length; i += 2) {
        const name = EXAM_OPTIONS[i]!.slice(2);
        if (replace[name] === null) continue;
        options.push(EXAM_OPTIONS[i]!, replace[name] ?? EXAM_OPTIONS[i + 1]!);
      }
      return create('--bank', file, ...options);
    };
    const badBank = tempFile(
      'bad.jsonl',
      jsonl(item('q1'), item('q2', 'x', { preferred: 'c' }), { ...item('q3'), key: undefined }, item('q1')),
    );
    const bank = await withOptions({}, badBank);
    expect(bank.code).toBe(1);
    expect(bank.stderr.trim().split('\n')).toEqual([
      `${badBank}:2: key.preferred: the task has no response "c" (it has a, b)`,
      `${badBank}:3: key: is required: every item needs an answer key`,
      `${badBank}:4: id: duplicate task id "q1" (first on line 1)`,
      `error: ${badBank}: nothing imported, 3 error(s)`,
    ]);
    expect(await withOptions({ draw: '4' })).toMatchObject({
      code: 1,
      stderr: `error: --draw: 4 items per attempt, but the bank ${good} holds only 3\n`,
    });
    expect((await withOptions({ pass: '1.5' })).stderr).toMatch(/^error: --pass: must be between 0 and 1\n/);
    expect((await withOptions({ pass: '-0.1' })).code).toBe(2);
    expect((await withOptions({ pass: 'high' })).stderr).toMatch(/^error: --pass: "high" is not a number/);
    expect((await withOptions({ pass: null })).stderr).toMatch(/^error: --pass is required/);
    expect((await withOptions({ 'valid-days': '0' })).code).toBe(2);
    expect((await withOptions({ draw: '2.5' })).code).toBe(2);
    expect((await withOptions({ skill: 'has space' })).stderr).toMatch(/^error: --skill: may contain only/);
    expect((await create('--bank', good, ...EXAM_OPTIONS, '--time-limit-min', '0')).code).toBe(2);
    expect(await create('--bank', good, ...EXAM_OPTIONS, '--guideline', 'nope')).toMatchObject({
      code: 1,
      stderr: 'error: --guideline: no guideline "nope" (publish it first, or name a bundled one)\n',
    });
    expect(await create('--bank', good, ...EXAM_OPTIONS, '--stratify', 'meta.nothing')).toMatchObject({
      code: 1,
      stderr: `error: --stratify: no item of ${good} has a value at "meta.nothing"\n`,
    });
    expect((await create('--bank', good, ...EXAM_OPTIONS, '--stratify', 'meta..x')).code).toBe(2);
    expect((await create('--bank', '/no/such/bank', ...EXAM_OPTIONS)).stderr).toMatch(
      /^error: cannot read \/no\/such\/bank/,
    );
    expect(await rows(db, 'exams')).toEqual([]);
    expect(await rows(db, 'exam_items')).toEqual([]);
    expect(await trainingChanges(db)).toEqual([]);
    // and one that exists already
    expect((await create('--bank', good, ...EXAM_OPTIONS)).code).toBe(0);
    expect(await create('--bank', good, ...EXAM_OPTIONS)).toMatchObject({
      code: 1,
      stderr: 'error: exam "ex" already exists\n',
    });
  });

  it("item files: a task's guideline, taxonomy and template ids must name documents the server knows", async () => {
    const db = await backend.fresh();
    const refs = { guideline: 'default', tags: 'default', rationale: 'default' };
    const bank = tempFile(
      'refs.jsonl',
      jsonl(
        { ...item('q1'), ...refs },
        { ...item('q2'), guideline: 'no-such-guideline' },
        { ...item('q3'), tags: 'nope', rationale: 'missing' },
      ),
    );
    const run = await cli(db, 'exam', 'create', 'ex', '--bank', bank, ...EXAM_OPTIONS);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^${bank}:2: guideline: unknown guideline "no-such-guideline" \\(known: .*default`),
      ),
      expect.stringMatching(new RegExp(`^${bank}:3: tags: unknown taxonomy "nope"`)),
      expect.stringMatching(new RegExp(`^${bank}:3: rationale: unknown rationale template "missing"`)),
      `error: ${bank}: nothing imported, 3 error(s)`,
    ]);
    expect(await rows(db, 'exams')).toEqual([]);
    const course = tempFile(
      'refs-course.jsonl',
      jsonl({ module: { id: 'm1', title: 'One' } }, { ...item('c1'), guideline: 'gone' }),
    );
    const courseRun = await cli(db, 'course', 'import', course, '--course', 'basics');
    expect(courseRun.code).toBe(1);
    expect(courseRun.stderr).toMatch(new RegExp(`^${course}:2: guideline: unknown guideline "gone"`));
    expect(await rows(db, 'courses')).toEqual([]);
    // the same ids, all known, import
    const ok = tempFile('refs-ok.jsonl', jsonl(...['a', 'b', 'c'].map((id) => ({ ...item(id), ...refs }))));
    expect((await cli(db, 'exam', 'create', 'ex', '--bank', ok, ...EXAM_OPTIONS)).code).toBe(0);
  });

  it('exam retire: no new attempts are offered, broadcast and audited; unknown or twice is an error', async () => {
    const db = await backend.fresh();
    expect((await cli(db, 'exam', 'create', 'ex', '--bank', bankFile(3), ...EXAM_OPTIONS)).code).toBe(0);
    expect(await cli(db, 'exam', 'retire', 'ex')).toEqual({
      code: 0,
      stdout: 'retired exam ex: it takes no new attempts; started attempts and certificates stay\n',
      stderr: '',
    });
    const [exam] = await rows(db, 'exams');
    expect(exam).toMatchObject({ id: 'ex', retired: 1 });
    const changes = await trainingChanges(db);
    expect(changes.map((c) => [c.userId, c.doc.kind, c.doc.retired])).toEqual([
      [null, 'exam', false],
      [null, 'exam', true],
    ]);
    const audit = (await rows(db, 'audit_log')).filter((r) => r.action === 'exam.retire');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target_id: 'ex', actor_role: 'operator' });
    expect(await cli(db, 'exam', 'retire', 'ex')).toMatchObject({
      code: 1,
      stderr: 'error: exam "ex" is already retired\n',
    });
    expect(await cli(db, 'exam', 'retire', 'nope')).toMatchObject({
      code: 1,
      stderr: 'error: no exam "nope"\n',
    });
    expect((await cli(db, 'exam', 'retire')).code).toBe(2);
    expect(await trainingChanges(db)).toHaveLength(2);
  });

  it('cert list and cert revoke', async () => {
    const db = await backend.fresh();
    for (const name of ['rita', 'rob'])
      expect(
        (await cli(db, 'user', 'add', name, '--role', 'reviewer', '--password', 'password-1')).code,
      ).toBe(0);
    expect(await cli(db, 'cert', 'list')).toMatchObject({ code: 0, stdout: 'no certificates\n' });
    const server = await openDatabase(db);
    try {
      const users = await server.db.selectFrom('users').select(['id', 'username']).execute();
      const id = (name: string) => users.find((u) => u.username === name)!.id;
      const cert = (n: number, user: string, skill: string, extra: Record<string, string | null> = {}) => ({
        id: `cert-${n}`,
        user_id: id(user),
        skill,
        exam_id: `${skill}-exam`,
        attempt_id: `attempt-${n}`,
        guideline_id: 'default',
        guideline_version: '1',
        issued_at: `2026-01-0${n}T00:00:00.000Z`,
        expires_at: '2999-01-01T00:00:00.000Z',
        due_at: null,
        revoked_at: null,
        ...extra,
      });
      await server.db
        .insertInto('certificates')
        .values([
          cert(1, 'rita', 'helpfulness'),
          cert(2, 'rita', 'safety', { due_at: '2998-01-01T00:00:00.000Z' }),
          cert(3, 'rob', 'helpfulness', { expires_at: '2000-01-01T00:00:00.000Z' }),
        ])
        .execute();
    } finally {
      await server.close();
    }
    const list = await cli(db, 'cert', 'list');
    expect(list.code).toBe(0);
    const table = list.stdout.trim().split('\n');
    expect(table[0]).toMatch(/^USER +SKILL +STATUS +EXAM +GUIDELINE +ISSUED +EXPIRES +DUE +REVOKED$/);
    expect(table.slice(1).map((l) => l.split(/ {2,}/).slice(0, 5))).toEqual([
      ['rita', 'safety', 'due', 'safety-exam', 'default 1'],
      ['rita', 'helpfulness', 'valid', 'helpfulness-exam', 'default 1'],
      ['rob', 'helpfulness', 'expired', 'helpfulness-exam', 'default 1'],
    ]);
    expect((await cli(db, 'cert', 'list', '--user', 'rob')).stdout.trim().split('\n')).toHaveLength(2);
    expect((await cli(db, 'cert', 'list', '--user', 'nobody')).stderr).toBe(
      'error: --user: no user "nobody"\n',
    );

    expect(await cli(db, 'cert', 'revoke', 'rita', '--skill', 'helpfulness')).toMatchObject({
      code: 0,
      stdout: 'revoked 1 helpfulness certificate(s) of rita: projects requiring it refuse their next lease\n',
    });
    expect((await cli(db, 'cert', 'list', '--user', 'rita')).stdout).toMatch(/helpfulness +revoked/);
    const changes = await trainingChanges(db);
    expect(changes.map((c) => [c.doc.kind, c.doc.id, c.doc.revokedAt !== null])).toEqual([
      ['certificate', 'cert-1', true],
    ]);
    expect(await cli(db, 'cert', 'revoke', 'rita', '--skill', 'helpfulness')).toMatchObject({
      code: 1,
      stderr: 'error: rita holds no unrevoked helpfulness certificate\n',
    });
    expect((await cli(db, 'cert', 'revoke', 'nobody', '--skill', 'x')).code).toBe(1);
    expect((await cli(db, 'cert', 'revoke', 'rita')).code).toBe(2);
  });

  it("cert grant: a certificate without an exam, under the skill's exam; none without an exam", async () => {
    const db = await backend.fresh();
    expect((await cli(db, 'user', 'add', 'sam', '--role', 'reviewer', '--password', 'password-1')).code).toBe(
      0,
    );
    expect(await cli(db, 'cert', 'grant', 'sam', '--skill', 'helpfulness')).toMatchObject({
      code: 1,
      stderr: 'error: no exam certifies helpfulness: create one first (exam create … --skill helpfulness)\n',
    });
    expect(await rows(db, 'certificates')).toEqual([]);
    expect((await cli(db, 'exam', 'create', 'ex', '--bank', bankFile(3), ...EXAM_OPTIONS)).code).toBe(0);
    const granted = await cli(db, 'cert', 'grant', 'sam', '--skill', 'helpfulness');
    expect(granted.code).toBe(0);
    expect(granted.stdout).toMatch(/^granted sam a helpfulness certificate, valid until \d{4}-/);
    const [cert] = await rows(db, 'certificates');
    expect(cert).toMatchObject({ skill: 'helpfulness', exam_id: 'ex', attempt_id: '', revoked_at: null });
    const days =
      (Date.parse(cert!.expires_at as string) - Date.parse(cert!.issued_at as string)) / 86_400_000;
    expect(days).toBe(180);
    expect((await cli(db, 'cert', 'list', '--user', 'sam')).stdout).toMatch(/helpfulness +valid +ex /);
    const changes = await trainingChanges(db);
    expect(changes.filter((c) => c.doc.kind === 'certificate').map((c) => c.doc.id)).toEqual([cert!.id]);
    expect((await cli(db, 'cert', 'grant', 'nobody', '--skill', 'helpfulness')).code).toBe(1);
    expect((await cli(db, 'cert', 'grant', 'sam')).code).toBe(2);
  });

  it('project create --requires-cert: stores the skills, notes those no exam certifies yet', async () => {
    const db = await backend.fresh();
    expect((await cli(db, 'exam', 'create', 'ex', '--bank', bankFile(3), ...EXAM_OPTIONS)).code).toBe(0);
    const run = await cli(
      db,
      ...['project', 'create', 'p1', '--name', 'P1', '--requires-cert', 'helpfulness, safety'],
    );
    expect(run).toEqual({
      code: 0,
      stdout:
        'created project p1 (P1); requires certificates: helpfulness, safety\n' +
        'project p1: open to nobody but admins (assign a pod or a user)\n' +
        'note: no exam certifies safety yet: create one with `exam create … --skill safety`\n',
      stderr: '',
    });
    expect((await cli(db, 'project', 'create', 'p2', '--name', 'P2', '--requires-cert', 'a,,b')).code).toBe(
      2,
    );
    expect((await cli(db, 'project', 'create', 'p3', '--name', 'P3', '--requires-cert', 'a b')).code).toBe(2);
    const projects = await rows(db, 'projects');
    expect(projects.map((p) => [p.id, p.requires_certs])).toEqual([['p1', 'helpfulness,safety']]);
  });

  it('every training command has its help', async () => {
    const db = await backend.fresh();
    for (const command of [
      ['course', 'import'],
      ['exam', 'create'],
      ['exam', 'retire'],
      ['cert', 'list'],
      ['cert', 'revoke'],
    ]) {
      const help = await cli(db, ...command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: ${command.join(' ')} `));
    }
    expect((await cli(db, '--help')).stdout).toMatch(/exam create ID --skill S --bank FILE/);
  });
});

describe.each(all)('server CLI on $name: calibration rounds', (backend) => {
  afterEach(() => backend.cleanup());

  async function withPod() {
    const db = await backend.fresh();
    expect((await cli(db, 'pod', 'create', 'pod-a', '--name', 'Pod A')).code).toBe(0);
    for (const [name, role] of [
      ['tina', 'trainee'],
      ['rita', 'reviewer'],
      ['lena', 'lead'],
    ] as const)
      expect(
        (await cli(db, 'user', 'add', name, '--role', role, '--pod', 'pod-a', '--password', 'password-1'))
          .code,
      ).toBe(0);
    return db;
  }

  it('calibration create publishes to the pod (keys optional); close reveals it', async () => {
    const db = await withPod();
    const file = tempFile('round.jsonl', jsonl(item('c1'), { ...pairwiseTask('c2') }));
    const run = await cli(
      db,
      'calibration',
      'create',
      '--pod',
      'pod-a',
      '--from',
      file,
      '--due',
      '2999-01-31',
    );
    expect(run.code).toBe(0);
    const id =
      /^published calibration round (\S+) \(Calibration due 2999-01-31\) to pod pod-a: 2 item\(s\), 2 member\(s\), due 2999-01-31T23:59:59.999Z\n$/.exec(
        run.stdout,
      )?.[1];
    expect(id).toBeDefined();
    const [round] = await rows(db, 'calibration_rounds');
    expect(round).toMatchObject({ id, pod_id: 'pod-a', created_by: null, revealed_at: null });
    const items = JSON.parse(round!.items as string);
    expect(items.map((i: { task: { id: string }; key: unknown }) => [i.task.id, i.key === null])).toEqual([
      [`${id}.1`, false],
      [`${id}.2`, true],
    ]);
    // tina, rita and their lead get it
    expect((await trainingChanges(db)).map((c) => c.doc.kind)).toEqual([
      'calibration',
      'calibration',
      'calibration',
    ]);
    expect(await cli(db, 'calibration', 'close', id!)).toMatchObject({
      code: 0,
      stdout: `revealed calibration round ${id}: members see the pod's answers at their next sync\n`,
    });
    expect((await cli(db, 'calibration', 'close', id!)).stdout).toMatch(/was already revealed at /);
    const revealed = (await trainingChanges(db)).slice(3).map((c) => c.doc.state);
    expect(revealed).toEqual(['revealed', 'revealed', 'revealed']);
    expect((await cli(db, 'calibration', 'close', 'no-such-round')).stderr).toBe(
      'error: no calibration round "no-such-round"\n',
    );
  });

  it('calibration create: bad input publishes nothing', async () => {
    const db = await withPod();
    const good = tempFile('round.jsonl', jsonl(item('c1')));
    const create = (...args: string[]) => cli(db, 'calibration', 'create', ...args);
    const bad = tempFile('bad.jsonl', jsonl(item('c1', 'x', { preferred: 'zz' })));
    expect((await create('--pod', 'pod-a', '--from', bad, '--due', '2999-01-01')).stderr).toBe(
      `${bad}:1: key.preferred: the task has no response "zz" (it has a, b)\nerror: ${bad}: nothing imported, 1 error(s)\n`,
    );
    expect(await create('--pod', 'pod-a', '--from', good, '--due', '2000-01-01')).toMatchObject({
      code: 1,
      stderr: 'error: the due date 2000-01-01T23:59:59.999Z has passed\n',
    });
    expect((await create('--pod', 'pod-a', '--from', good, '--due', 'friday')).code).toBe(2);
    expect((await create('--pod', 'nope', '--from', good, '--due', '2999-01-01')).stderr).toBe(
      'error: no pod "nope"\n',
    );
    expect((await create('--from', good, '--due', '2999-01-01')).code).toBe(2);
    expect(await rows(db, 'calibration_rounds')).toEqual([]);
    expect(await trainingChanges(db)).toEqual([]);
  });

  it('shadow open and close: broadcast to everyone; bad input changes nothing', async () => {
    const db = await backend.fresh();
    await cli(db, 'project', 'create', 'helpful', '--name', 'Helpfulness');
    expect(await cli(db, 'shadow', 'open', '--project', 'helpful', '--set-size', '5')).toEqual({
      code: 0,
      stdout:
        'project helpful (Helpfulness) is open for shadowing: trainees draw sets of 5 task(s) that ' +
        'certified reviewers labeled; their workstations show it at the next sync\n',
      stderr: '',
    });
    expect(await cli(db, 'shadow', 'close', '--project', 'helpful')).toMatchObject({ code: 0 });
    expect(await cli(db, 'shadow', 'close', '--project', 'helpful')).toMatchObject({
      code: 1,
      stderr: 'error: project "helpful" is not open for shadowing\n',
    });
    expect(await cli(db, 'shadow', 'open', '--project', 'nope')).toMatchObject({
      code: 1,
      stderr: 'error: no project "nope"\n',
    });
    for (const size of ['0', '101', 'ten'])
      expect((await cli(db, 'shadow', 'open', '--project', 'helpful', '--set-size', size)).code).toBe(2);
    expect((await cli(db, 'shadow', 'open')).code).toBe(2);
    expect(await trainingChanges(db)).toEqual([
      {
        userId: null,
        doc: { kind: 'shadow-project', id: 'helpful', name: 'Helpfulness', setSize: 5, open: true },
      },
      {
        userId: null,
        doc: { kind: 'shadow-project', id: 'helpful', name: 'Helpfulness', setSize: 5, open: false },
      },
    ]);
    expect(await rows(db, 'shadow_projects')).toEqual([
      expect.objectContaining({ project_id: 'helpful', set_size: 5, closed_at: expect.any(String) }),
    ]);
  });
});
