import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Task } from '../../../shared/task';
import { call, jsonl, open, pairwiseTask, rankingTask, responses, tempDir } from './helpers';

describe('import: good files', () => {
  it('imports ranking, pairwise and chat-prompt tasks and keeps their fields', async () => {
    const services = open();
    const ranking = rankingTask('rank-1', 4, {
      instructions: 'Rank by helpfulness',
      sensitive: true,
      allowTies: false,
      meta: { batch: 7 },
    });
    const text = jsonl(ranking, '', '   ', pairwiseTask('pair-1'), rankingTask('rank-2', 9));
    const result = await call(services, 'tasks.import', { fileName: 'batch.jsonl', text });
    expect(result).toEqual({ ok: true, imported: 3, duplicates: 0 });

    const summary = await call(services, 'queue.summary');
    expect(summary).toMatchObject({ pending: 3, total: 3, drafts: 0, submitted: 0 });

    const opened = await call(services, 'task.open', { taskId: 'rank-1' });
    expect(opened.task).toEqual(Task.parse(ranking));
    const pair = await call(services, 'task.open', { taskId: 'pair-1' });
    expect(pair.task.prompt).toEqual([
      { role: 'system', content: 'Be concise.' },
      { role: 'user', content: 'Question for pair-1?' },
    ]);
    const list = await call(services, 'queue.list', { state: 'pending' });
    expect(list.map((i) => [i.taskId, i.kind, i.promptPreview])).toEqual([
      ['rank-1', 'ranking', 'Prompt for rank-1'],
      ['pair-1', 'pairwise', 'Question for pair-1?'],
      ['rank-2', 'ranking', 'Prompt for rank-2'],
    ]);
  });

  it('accepts Windows line endings and a byte-order mark', async () => {
    const services = open();
    const text =
      '\uFEFF' + [rankingTask('crlf-1'), rankingTask('crlf-2')].map((t) => JSON.stringify(t)).join('\r\n');
    expect(await call(services, 'tasks.import', { text })).toEqual({ ok: true, imported: 2, duplicates: 0 });
  });

  it('re-importing the same file adds nothing; duplicates inside a file are counted once', async () => {
    const services = open();
    const text = jsonl(rankingTask('a'), rankingTask('b'), { chosen: 'x', rejected: 'y', prompt: 'p' });
    expect(await call(services, 'tasks.import', { text })).toEqual({ ok: true, imported: 3, duplicates: 0 });
    expect(await call(services, 'tasks.import', { text })).toEqual({ ok: true, imported: 0, duplicates: 3 });
    const again = jsonl(rankingTask('c'), rankingTask('c'), rankingTask('a'));
    expect(await call(services, 'tasks.import', { text: again })).toEqual({
      ok: true,
      imported: 1,
      duplicates: 2,
    });
    expect((await call(services, 'queue.summary')).total).toBe(4);
  });

  it('importFile reads a JSONL file from disk', async () => {
    const services = open();
    const file = path.join(tempDir(), 'tasks.jsonl');
    fs.writeFileSync(file, jsonl(rankingTask('f-1'), pairwiseTask('f-2')) + '\n');
    expect(await services.importFile(file)).toEqual({ ok: true, imported: 2, duplicates: 0 });
    await expect(services.importFile(path.join(tempDir(), 'missing.jsonl'))).rejects.toThrow(/ENOENT/);
  });
});

describe('import: preference rows', () => {
  it('converts {prompt, chosen, rejected} strings to a pairwise task with neutral ids', async () => {
    const services = open();
    const row = { prompt: 'What is 2+2?', chosen: 'Four.', rejected: 'Five.' };
    expect(await call(services, 'tasks.import', { text: jsonl(row) })).toMatchObject({
      ok: true,
      imported: 1,
    });
    const [item] = await call(services, 'queue.list', { state: 'pending' });
    expect(item!.taskId).toMatch(/^pref-[0-9a-f]{16}$/);
    const { task } = await call(services, 'task.open', { taskId: item!.taskId });
    expect(task.kind).toBe('pairwise');
    expect(task.prompt).toBe('What is 2+2?');
    expect(task.responses.map((r) => r.id).sort()).toEqual(['a', 'b']);
    const preferred = task.meta!.sourcePreferred as string;
    expect(task.responses.find((r) => r.id === preferred)!.text).toBe('Four.');
    expect(task.responses.find((r) => r.id !== preferred)!.text).toBe('Five.');
  });

  it('takes the final assistant turn of message lists as the answer and earlier turns as the prompt', async () => {
    const services = open();
    const history = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello! How can I help?' },
      { role: 'user', content: 'Name a prime.' },
    ];
    const row = {
      id: 'chat-pref',
      chosen: [...history, { role: 'assistant', content: 'Seven.' }],
      rejected: [...history, { role: 'assistant', content: 'Nine.' }],
    };
    expect(await call(services, 'tasks.import', { text: jsonl(row) })).toMatchObject({
      ok: true,
      imported: 1,
    });
    const { task } = await call(services, 'task.open', { taskId: 'chat-pref' });
    expect(task.prompt).toEqual(history);
    expect(task.responses.map((r) => r.text).sort()).toEqual(['Nine.', 'Seven.']);
  });

  it('splits hh-rlhf transcripts at the last shared "Assistant:" turn', async () => {
    const services = open();
    const shared =
      '\n\nHuman: Is a tomato a fruit?\n\nAssistant: Botanically, yes.\n\nHuman: And culinarily?';
    const row = {
      chosen: `${shared}\n\nAssistant: It is treated as a vegetable in cooking.`,
      // the rejected answer itself contains a made-up extra turn, as some hh-rlhf rows do
      rejected: `${shared}\n\nAssistant: A fruit.\n\nHuman: thanks\n\nAssistant: welcome`,
    };
    expect(await call(services, 'tasks.import', { text: jsonl(row) })).toMatchObject({
      ok: true,
      imported: 1,
    });
    const [item] = await call(services, 'queue.list', { state: 'pending' });
    const { task } = await call(services, 'task.open', { taskId: item!.taskId });
    expect(task.prompt).toEqual([
      { role: 'user', content: 'Is a tomato a fruit?' },
      { role: 'assistant', content: 'Botanically, yes.' },
      { role: 'user', content: 'And culinarily?' },
    ]);
    const byId = Object.fromEntries(task.responses.map((r) => [r.id, r.text]));
    const preferred = task.meta!.sourcePreferred as 'a' | 'b';
    expect(byId[preferred]).toBe('It is treated as a vegetable in cooking.');
    expect(byId[preferred === 'a' ? 'b' : 'a']).toBe('A fruit.\n\nHuman: thanks\n\nAssistant: welcome');
    expect(item!.promptPreview).toBe('And culinarily?');

    // same content again: same id, so it is a duplicate
    expect(await call(services, 'tasks.import', { text: jsonl(row) })).toEqual({
      ok: true,
      imported: 0,
      duplicates: 1,
    });
  });

  it('reports preference rows it cannot convert, with the field', async () => {
    const services = open();
    const text = jsonl(
      { chosen: 'just an answer', rejected: 'another answer' },
      { chosen: [{ role: 'user', content: 'q' }], rejected: [{ role: 'assistant', content: 'a' }] },
      { prompt: [{ role: 'narrator', content: 'q' }], chosen: 'a', rejected: 'b' },
    );
    const result = await call(services, 'tasks.import', { text });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.line, e.path])).toEqual([
      [1, 'prompt'],
      [2, 'chosen.0.role'],
      [3, 'prompt.0.role'],
    ]);
  });
});

describe('import: bad files are rejected whole, naming line and field', () => {
  const cases: { name: string; bad: unknown; path: string; message: RegExp }[] = [
    { name: 'bad JSON', bad: '{"id": "broken", ', path: '(json)', message: /not valid JSON/ },
    {
      name: 'missing prompt',
      bad: { id: 'no-prompt', kind: 'ranking', responses: responses(2) },
      path: 'prompt',
      message: /required/,
    },
    { name: '10 responses', bad: rankingTask('ten', 10), path: 'responses', message: /2 to 9/ },
    {
      name: 'pairwise with 3 responses',
      bad: { ...pairwiseTask('p3'), responses: responses(3) },
      path: 'responses',
      message: /exactly 2/,
    },
    {
      name: 'duplicate response id',
      bad: { ...rankingTask('dup'), responses: [...responses(2), { id: 'r1', text: 'again' }] },
      path: 'responses.2.id',
      message: /duplicate response id "r1"/,
    },
    {
      name: 'unknown taxonomy',
      bad: rankingTask('tax', 2, { tags: 'no-such' }),
      path: 'tags',
      message: /unknown taxonomy/,
    },
    {
      name: 'unknown rationale template',
      bad: rankingTask('rat', 2, { rationale: 'no-such' }),
      path: 'rationale',
      message: /unknown rationale template/,
    },
    {
      name: 'unknown guideline',
      bad: rankingTask('gl', 2, { guideline: 'no-such' }),
      path: 'guideline',
      message: /unknown guideline/,
    },
    {
      name: 'unknown field',
      bad: rankingTask('extra', 2, { colour: 'red' }),
      path: 'colour',
      message: /unknown field/,
    },
  ];

  for (const { name, bad, path: fieldPath, message } of cases) {
    it(name, async () => {
      const services = open();
      // line 1 good, line 2 blank, line 3 good, line 4 bad, line 5 good
      const text = jsonl(rankingTask('good-1'), '', rankingTask('good-2'), bad, rankingTask('good-3'));
      const result = await call(services, 'tasks.import', { text });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.truncated).toBe(false);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({ line: 4, path: fieldPath });
      expect(result.errors[0]!.message).toMatch(message);
      expect((await call(services, 'queue.summary')).total).toBe(0);
    });
  }

  it('keeps earlier imports when a later file fails', async () => {
    const services = open();
    await call(services, 'tasks.import', { text: jsonl(rankingTask('kept')) });
    const result = await call(services, 'tasks.import', { text: jsonl(rankingTask('new'), 'nonsense') });
    expect(result.ok).toBe(false);
    const pending = await call(services, 'queue.list', { state: 'pending' });
    expect(pending.map((i) => i.taskId)).toEqual(['kept']);
  });

  it('stops after 100 errors and says the list is truncated', async () => {
    const services = open();
    const text = jsonl(...Array.from({ length: 150 }, (_, i) => `not json ${i}`));
    const result = await call(services, 'tasks.import', { text });
    expect(result).toMatchObject({ ok: false, truncated: true });
    if (result.ok) return;
    expect(result.errors).toHaveLength(100);
    expect(result.errors[99]).toMatchObject({ line: 100, path: '(json)' });
  });
});
