// Builds the demo training material from the public QA-feedback data (allenai/FineGrainedRLHF):
//   resources/demo/training/course.jsonl       sandbox course "qa-basics": 3 modules, lessons, keyed items
//   resources/demo/training/exam-bank.jsonl    12 keyed ranking items for the skill qa-ranking (meta.topic)
//   resources/demo/training/calibration.jsonl  4 items for a calibration round, 2 keyed and 2 not
//   resources/demo/training/gold.jsonl         6 silent gold items for the demo project, shaped like its tasks
//   resources/demo/training/ATTRIBUTION.md
// Keys come from the dataset's human judgements: ranks from its six pairwise preferences (Copeland:
// wins minus losses), tags from the span annotations of prediction 1. Every file written is checked
// with the item-file parser (docs/training.md); any problem exits non-zero.
// Deterministic: same input, byte-identical output.
//   npx tsx scripts/make-training-data.ts [path/to/shared/data]   (default: ../shared/data)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AnswerKeyInput, TagExpectation } from '../shared/training/key';
import { formatItemIssue, parseCourseFile, parseItemFile } from '../shared/training/items-file';
import { Taxonomy } from '../shared/taxonomy';
import {
  PAIRS,
  SOURCE_NAME,
  escapeMarkdown,
  instructions,
  oneLine,
  passageSentences,
  prediction,
  type PredictionNo,
  type SourceRecord,
} from './qa-feedback-source';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(root, process.argv[2] ?? '../shared/data');
const sourceFile = path.join(dataDir, 'FineGrainedRLHF/tasks/qa_feedback/data/dev_feedback.json');
const outDir = path.join(root, 'resources/demo/training');
const COURSE_ID = 'qa-basics';
const NUMBERS: PredictionNo[] = [1, 2, 3, 4];
const clip = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;

// ---- which records ---------------------------------------------------------------------
// Records 0-79 are the demo project's production tasks and 137, 202, 205, 242, 300 the guideline's
// golden examples (scripts/make-demo-data.ts): training material uses none of them. Each record
// below was read by hand; the script checks that its preferences give a clear key.

type Module = { id: string; title: string; guidelineSection: string; lesson: string; records: number[] };
const MODULES: Module[] = [
  {
    id: 'grounding',
    title: 'Grounded or made up?',
    guidelineSection: 'Outside knowledge',
    records: [385, 406, 135],
    lesson: `## What to look for

Every answer must be **supported by the source passages** shown with the task. Read the passages
first, then check each claim of each answer against them.

- A claim the passages **contradict** (a wrong date, the wrong person, the wrong season) is a
  factual error, even when the rest of the answer is right.
- A claim the passages **do not contain** (a number, a name, a title "from nowhere") is
  unsupported, even if you believe it is true. Judge against the passages, not your memory.
- Tag both *Hallucination or factual error* on the response where they occur: **critical** when
  the answer to the question itself is wrong, **major** for a false side claim.

A short answer that is right beats a long one with a made-up fact about the thing asked.

The keys of these items come from the dataset's human annotators, who compared every pair of
answers; one answer per item was also marked span by span, and the feedback quotes those marks.`,
  },
  {
    id: 'missing',
    title: 'What the answer leaves out',
    guidelineSection: 'The criteria, in priority order',
    records: [146, 440, 166],
    lesson: `## What to look for

Many questions have more than one right answer: the film's war and the comic's, a start and an
end date, a place and a time. The best answer covers **every answer the passages support**,
briefly.

- Before reading the answers, find the passage sentences that answer the question.
- An answer that misses them, or gives only half of a two-part question, ranks below one that
  has them, however fluent it reads.
- Missing information has **no tag of its own**: it lowers the rank and belongs in the rationale
  ("leaves out the end date given in passage 3").`,
  },
  {
    id: 'relevance',
    title: 'Padding, repetition and relevance',
    guidelineSection: 'Tags and severity',
    records: [158, 460, 138],
    lesson: `## What to look for

Once the facts are right, prefer the answer that **answers this question and nothing else**.

- Background that does not help answer the question (a stadium's building costs for "where is
  it?") is padding: tag *Incoherent or irrelevant*, usually **minor**.
- Saying the same thing twice wastes the reader's time: the same tag, minor, and rank it below an
  otherwise equal answer.
- Padding never outweighs a factual error or a missing answer: a padded but complete and correct
  answer still beats a tidy one that is wrong or leaves the answer out.`,
  },
];
/** Pairwise items: prediction 1 (the annotated one) against the record's best answer. */
const PAIRWISE: { record: number; module: string }[] = [
  { record: 413, module: 'grounding' },
  { record: 176, module: 'relevance' },
];
const EXAM: { record: number; topic: string }[] = [
  { record: 498, topic: 'sports' },
  { record: 132, topic: 'sports' },
  { record: 153, topic: 'sports' },
  { record: 156, topic: 'film-tv' },
  { record: 175, topic: 'film-tv' },
  { record: 486, topic: 'film-tv' },
  { record: 84, topic: 'music' },
  { record: 99, topic: 'music' },
  { record: 422, topic: 'music' },
  { record: 107, topic: 'history' },
  { record: 159, topic: 'history' },
  { record: 387, topic: 'history' },
];
/** Keyed: clear preferences. Unkeyed: the annotators' preferences form no consistent order (tricky). */
const CALIBRATION: { record: number; keyed: boolean }[] = [
  { record: 130, keyed: true },
  { record: 222, keyed: false },
  { record: 269, keyed: true },
  { record: 261, keyed: false },
];

const records = JSON.parse(readFileSync(sourceFile, 'utf8')) as SourceRecord[];
const recordAt = (index: number): SourceRecord => {
  const record = records[index];
  if (!record) throw new Error(`no record ${index} in ${sourceFile}`);
  return record;
};

/** A passage sentence quoted (1-based passage and sentence, as the dataset numbers them). */
function passageQuote(record: SourceRecord, passage: number, sentence: number): string | null {
  const chunk = record.passages[passage - 1];
  const text = chunk ? passageSentences(chunk)[sentence - 1] : undefined;
  return text ? `"${escapeMarkdown(clip(text, 300))}" (passage ${passage})` : null;
}

const responseId = (n: PredictionNo) => `prediction-${n}`;

/**
 * How the feedback names a response: the shortest opening (8 words or more) that no other response
 * shares, or a few words from where it parts from the others. Never a number or letter: the
 * workstation shows responses as A, B, C in its own order, and exams rename and shuffle them.
 */
function responseQuotes(texts: readonly string[]): string[] {
  // compared without case and punctuation: "the NFL" and "the NFL." must not pass for different
  const plain = (word: string) => word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const words = texts.map((t) => oneLine(t).split(' '));
  const plainWords = words.map((w) => w.map(plain));
  const plainTexts = plainWords.map((w) => ` ${w.join(' ')} `);
  const sharedBy = (i: number, from: number, to: number) => {
    const window = ` ${plainWords[i]!.slice(from, to).join(' ')} `;
    return plainTexts.some((t, j) => j !== i && t.includes(window));
  };
  return words.map((w, i) => {
    for (let k = Math.min(8, w.length); k <= Math.min(14, w.length); k++) {
      const prefix = plainWords[i]!.slice(0, k).join(' ');
      if (!plainWords.some((o, j) => j !== i && o.slice(0, k).join(' ') === prefix))
        return `"${escapeMarkdown(w.slice(0, k).join(' '))}${k < w.length ? '…' : ''}"`;
    }
    // a long shared opening: the earliest short run of words no other response has
    for (let size = 5; size <= 12; size++)
      for (let from = 1; from + size <= w.length; from++)
        if (!sharedBy(i, from, from + size))
          return `"…${escapeMarkdown(w.slice(from, from + size).join(' '))}${from + size < w.length ? '…' : ''}"`;
    // the whole of it opens a longer answer: quote it all, the others say more
    if (w.length <= 40) return `"${escapeMarkdown(w.join(' '))}" (the whole answer)`;
    throw new Error(`cannot name the response "${clip(oneLine(texts[i]!), 60)}" apart from the others`);
  });
}

// ---- keys from the data -------------------------------------------------------------------

type Standing = { wins: PredictionNo[]; losses: PredictionNo[]; ties: PredictionNo[] };

/** Each prediction's wins, losses and ties in the six comparisons. */
function standings(record: SourceRecord): Map<PredictionNo, Standing> {
  const table = new Map(NUMBERS.map((n) => [n, { wins: [], losses: [], ties: [] } as Standing]));
  PAIRS.forEach(([a, b], i) => {
    const value = record.preference[i];
    const [sa, sb] = [table.get(a)!, table.get(b)!];
    if (value === 1) {
      sa.wins.push(b);
      sb.losses.push(a);
    } else if (value === 2) {
      sb.wins.push(a);
      sa.losses.push(b);
    } else {
      sa.ties.push(b);
      sb.ties.push(a);
    }
  });
  return table;
}

/**
 * Copeland ranks (wins minus losses; equal scores share a rank, 1 = best), or null when the six
 * preferences are not one consistent order (a cycle, or a "no preference" between answers the
 * order separates): such a record has no clear key.
 */
function copelandRanks(record: SourceRecord): Record<PredictionNo, number> | null {
  const table = standings(record);
  const score = (n: PredictionNo) => table.get(n)!.wins.length - table.get(n)!.losses.length;
  const ranks = Object.fromEntries(
    NUMBERS.map((n) => [n, 1 + NUMBERS.filter((m) => score(m) > score(n)).length]),
  ) as Record<PredictionNo, number>;
  const consistent = PAIRS.every(([a, b], i) => {
    const value = record.preference[i];
    return value === 1 ? ranks[a] < ranks[b] : value === 2 ? ranks[a] > ranks[b] : ranks[a] === ranks[b];
  });
  return consistent ? ranks : null;
}

/** A record usable for a keyed ranking item: consistent preferences and one best answer. */
function clearRanks(index: number): Record<PredictionNo, number> {
  const ranks = copelandRanks(recordAt(index));
  if (!ranks) throw new Error(`record ${index}: the preferences are not one consistent order`);
  if (NUMBERS.filter((n) => ranks[n] === 1).length !== 1)
    throw new Error(`record ${index}: no single best answer`);
  return ranks;
}

/** The dataset's span types, in the taxonomy's words (resources/taxonomy/default.json). */
const TAG_OF: Record<string, { tagId: string; why: string }> = {
  'Wrong-Grounding': { tagId: 'hallucination', why: 'the passages say otherwise' },
  Unverifiable: { tagId: 'hallucination', why: 'no passage supports it' },
  Irrelevant: { tagId: 'incoherent', why: 'it does not help answer the question' },
  Redundant: { tagId: 'incoherent', why: 'it repeats what the answer already said' },
  Incoherent: { tagId: 'incoherent', why: 'it does not fit with the rest of the answer' },
};
const MISSING_WHAT: Record<string, string> = {
  'Missing-Answer': 'an answer to the question',
  'Missing-Major-Auxiliary': 'important context',
};

/**
 * The tags the annotations of prediction 1 clearly call for: a hallucination for any span that is
 * wrongly grounded or unverifiable; incoherent for a redundant or incoherent span, or when
 * irrelevant spans make up at least a third of the answer.
 */
function expectedTags(record: SourceRecord): TagExpectation[] {
  const spans = record.feedback.errors;
  const type = (t: string) => spans.some((s) => s['error type'] === t);
  const irrelevantChars = spans
    .filter((s) => s['error type'] === 'Irrelevant')
    .reduce((sum, s) => sum + (s.end - s.start), 0);
  const tags: TagExpectation[] = [];
  if (type('Wrong-Grounding') || type('Unverifiable'))
    tags.push({ responseId: responseId(1), tagId: 'hallucination', expect: 'required' });
  if (type('Redundant') || type('Incoherent') || irrelevantChars * 3 >= prediction(record, 1).length)
    tags.push({ responseId: responseId(1), tagId: 'incoherent', expect: 'required' });
  return tags;
}

/** The annotators' marks on prediction 1, one Markdown bullet each: its spans, then what it leaves out. */
function annotationBullets(record: SourceRecord, withMissing = true): string[] {
  const text = prediction(record, 1);
  const spans = record.feedback.errors.map((span) => {
    const tag = TAG_OF[span['error type']];
    const quoted = escapeMarkdown(clip(oneLine(text.slice(span.start, span.end)), 200));
    let where = '';
    if (span['error type'] === 'Wrong-Grounding') {
      const ref = groundingRef(span.explanation);
      const quote = ref && passageQuote(record, ref.passage, ref.sentence);
      if (quote) where = `: ${quote}`;
    }
    const label = tag ? ` → *${tagLabel(tag.tagId)}*` : '';
    return `- "${quoted}": ${tag?.why ?? 'marked'} (*${span['error type']}*)${where}${label}`;
  });
  const missing = record.feedback['missing-info']
    .filter((m) => m['error type'] in MISSING_WHAT)
    .flatMap((m) => {
      const quote = passageQuote(record, m.passage_id, m.sentence_id[0] ?? 0);
      return quote
        ? [`- leaves out ${MISSING_WHAT[m['error type']]}: ${quote} (*${m['error type']}*, no tag)`]
        : [];
    });
  return withMissing ? [...spans, ...missing] : spans;
}

/** `{"passage_id":1,"sentence_id":[3]}` in a Wrong-Grounding span's explanation. */
function groundingRef(explanation: string): { passage: number; sentence: number } | null {
  try {
    const value = JSON.parse(explanation) as { passage_id?: unknown; sentence_id?: unknown };
    const sentence = Array.isArray(value.sentence_id) ? value.sentence_id.at(-1) : undefined;
    return typeof value.passage_id === 'number' && typeof sentence === 'number'
      ? { passage: value.passage_id, sentence }
      : null;
  } catch {
    return null;
  }
}

const taxonomy = Taxonomy.parse(
  JSON.parse(readFileSync(path.join(root, 'resources/taxonomy/default.json'), 'utf8')),
);
const tagLabel = (tagId: string) => taxonomy.tags.find((t) => t.id === tagId)?.label ?? tagId;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const andList = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

function notesFor(record: SourceRecord, numbers: readonly PredictionNo[]): Record<string, string> {
  const table = standings(record);
  const quotes = responseQuotes(numbers.map((n) => prediction(record, n)));
  const quoteOf = (n: PredictionNo) => quotes[numbers.indexOf(n)]!;
  const others = (list: PredictionNo[]) => list.filter((n) => numbers.includes(n)).map(quoteOf);
  return Object.fromEntries(
    numbers.map((n) => {
      const s = table.get(n)!;
      const lines = [
        `The annotators preferred it to ${others(s.wins).length ? plural(others(s.wins).length, 'other answer', 'other answers') : 'none of the others'}` +
          (others(s.losses).length ? `; they preferred ${andList(others(s.losses))} to it` : '') +
          (others(s.ties).length ? `; no preference against ${andList(others(s.ties))}` : '') +
          '.',
      ];
      if (n === 1) {
        const bullets = annotationBullets(record, false);
        if (bullets.length) lines.push('', 'Marked by the annotators:', '', ...bullets);
      }
      return [responseId(n), lines.join('\n')];
    }),
  );
}

const goldLine = (record: SourceRecord) =>
  `**Reference answer** (written by the dataset's annotators): ${escapeMarkdown(clip(oneLine(record.gold), 800))}`;

function rankingExplanation(record: SourceRecord, ranks: Record<PredictionNo, number>): string {
  const quotes = responseQuotes(NUMBERS.map((n) => prediction(record, n)));
  const table = standings(record);
  const order = [...NUMBERS].sort((a, b) => ranks[a] - ranks[b] || a - b);
  const best = order[0]!;
  const lines = order.map((n) => {
    const s = table.get(n)!;
    const tie = s.ties.length ? `; no preference against ${andList(s.ties.map((m) => quotes[m - 1]!))}` : '';
    const wins = s.wins.length
      ? `preferred to ${plural(s.wins.length, 'other answer', 'other answers')}`
      : 'preferred to none';
    return `${ranks[n]}. ${quotes[n - 1]}: ${wins}${tie}`;
  });
  const parts = [
    `**Best: ${quotes[best - 1]}** The dataset's annotators compared every pair of the four answers and ` +
      `preferred this one to ${table.get(best)!.wins.length === 3 ? 'each of the other three' : `${table.get(best)!.wins.length} of them`}.`,
    `The key, best first (wins minus losses over the six comparisons; equal ranks are ties):\n\n${lines.join('\n')}`,
  ];
  const bullets = annotationBullets(record);
  if (bullets.length) parts.push(`**What the annotators marked in ${quotes[0]}:**\n\n${bullets.join('\n')}`);
  const tags = expectedTags(record);
  if (tags.length)
    parts.push(
      `Expected on that answer: ${tags.map((t) => `*${tagLabel(t.tagId)}*`).join(' and ')} (any severity).`,
    );
  parts.push(goldLine(record));
  return parts.join('\n\n');
}

type ItemLine = Record<string, unknown>;

/** The task part of a ranking item: the question, the four predictions, the passages. */
function rankingTask(id: string, index: number, meta: ItemLine = {}): ItemLine {
  const record = recordAt(index);
  return {
    id,
    kind: 'ranking',
    prompt: record.question,
    responses: NUMBERS.map((n) => ({ id: responseId(n), text: prediction(record, n) })),
    instructions: instructions(record, 'ranking'),
    guideline: 'default',
    allowTies: true,
    meta: { source: SOURCE_NAME, record: index, ...meta },
  };
}

function rankingItem(id: string, index: number, guidelineSection: string, meta: ItemLine = {}): ItemLine {
  const record = recordAt(index);
  const ranks = clearRanks(index);
  const key: AnswerKeyInput = {
    kind: 'ranking',
    ranks: Object.fromEntries(NUMBERS.map((n) => [responseId(n), ranks[n]])),
    topMustMatch: true,
    minTau: 0.6,
    tags: expectedTags(record),
    explanation: rankingExplanation(record, ranks),
    responseNotes: notesFor(record, NUMBERS),
    guidelineSection,
  };
  return { ...rankingTask(id, index, meta), key };
}

/** Prediction 1 against the record's best answer, which the annotators preferred to it directly. */
function pairwiseItem(id: string, index: number, guidelineSection: string): ItemLine {
  const record = recordAt(index);
  const ranks = clearRanks(index);
  const best = NUMBERS.find((n) => ranks[n] === 1)!;
  if (best === 1) throw new Error(`record ${index}: prediction 1 is the best answer, no pair to learn from`);
  const pair: PredictionNo[] = [1, best];
  const quotes = responseQuotes(pair.map((n) => prediction(record, n)));
  const factual = record.feedback.errors.some((s) =>
    ['Wrong-Grounding', 'Unverifiable'].includes(s['error type']),
  );
  // the guideline: a difference in correctness is "better" or more; relevance alone is "slightly"
  const strengths = factual ? (['significantly', 'better'] as const) : (['better', 'slightly'] as const);
  const band = factual
    ? 'The losing answer contains unsupported or contradicted claims, a difference in correctness: **better** or **significantly better** is accepted.'
    : 'The difference is one of relevance and completeness, not of facts: **slightly better** or **better** is accepted.';
  const bullets = annotationBullets(record);
  const tags = expectedTags(record);
  const key: AnswerKeyInput = {
    kind: 'pairwise',
    preferred: responseId(best),
    strengths: [...strengths],
    tags,
    explanation: [
      `**Better: ${quotes[1]}** The dataset's annotators preferred it to ${quotes[0]}.`,
      ...(bullets.length ? [`**What the annotators marked in ${quotes[0]}:**\n\n${bullets.join('\n')}`] : []),
      ...(tags.length
        ? [
            `Expected on that answer: ${tags.map((t) => `*${tagLabel(t.tagId)}*`).join(' and ')} (any severity).`,
          ]
        : []),
      `${band} The dataset records which answer won, not by how much.`,
      goldLine(record),
    ].join('\n\n'),
    responseNotes: notesFor(record, pair),
    guidelineSection,
  };
  return {
    id,
    kind: 'pairwise',
    prompt: record.question,
    responses: pair.map((n) => ({ id: responseId(n), text: prediction(record, n) })),
    instructions: instructions(record, 'pairwise'),
    guideline: 'default',
    meta: { source: SOURCE_NAME, record: index },
    key,
  };
}

/** A calibration item without a key (the lead's answer will be the reference): a tricky record. */
function unkeyedItem(id: string, index: number): ItemLine {
  if (copelandRanks(recordAt(index)))
    throw new Error(
      `record ${index}: its preferences are consistent; keep unkeyed items for the tricky ones`,
    );
  return rankingTask(id, index);
}

// ---- build ---------------------------------------------------------------------------------

const used = [
  ...MODULES.flatMap((m) => m.records),
  ...PAIRWISE.map((p) => p.record),
  ...EXAM.map((e) => e.record),
  ...CALIBRATION.map((c) => c.record),
];
const reserved = (i: number) => i < 80 || [137, 202, 205, 242, 300].includes(i);
for (const [i, index] of used.entries()) {
  if (used.indexOf(index) !== i) throw new Error(`record ${index} is used twice`);
  if (reserved(index)) throw new Error(`record ${index} belongs to the demo project or the guideline`);
}

const courseLines: ItemLine[] = [
  {
    course: {
      title: 'Ranking long-form QA answers',
      version: '1',
      description:
        'Rank answers to short factual questions against the source passages: what is grounded, what is ' +
        'missing, what is padding. Built from the QA-feedback data of FineGrainedRLHF (Wu et al. 2023); the ' +
        'keys come from its human annotators.',
    },
  },
];
let courseNo = 0;
let pairNo = 0;
for (const module of MODULES) {
  courseLines.push({ module: { id: module.id, title: module.title, lesson: module.lesson } });
  for (const index of module.records)
    courseLines.push(rankingItem(`course-qa-${++courseNo}`, index, module.guidelineSection));
  for (const pair of PAIRWISE.filter((p) => p.module === module.id))
    courseLines.push(pairwiseItem(`course-qa-pair-${++pairNo}`, pair.record, module.guidelineSection));
}
const examLines = EXAM.map((e, i) =>
  rankingItem(`exam-qa-${i + 1}`, e.record, 'The criteria, in priority order', { topic: e.topic }),
);
const calibrationLines = CALIBRATION.map((c, i) =>
  c.keyed
    ? rankingItem(`calibration-qa-${i + 1}`, c.record, 'The criteria, in priority order')
    : unkeyedItem(`calibration-qa-${i + 1}`, c.record),
);

/**
 * Silent gold for the demo project (docs/lead-workspace.md, "Silent gold"): the first records from
 * GOLD_FROM on with passages and one clear order, as tasks shaped exactly like the project's own
 * (scripts/make-demo-data.ts: the same id pattern, fields and meta), so nothing gives them away.
 */
const GOLD_COUNT = 6;
const GOLD_FROM = 80;
function goldLines(): ItemLine[] {
  const lines: ItemLine[] = [];
  for (let index = GOLD_FROM; lines.length < GOLD_COUNT; index++) {
    const record = recordAt(index);
    if (record.passages.length === 0 || used.includes(index) || reserved(index)) continue;
    try {
      clearRanks(index);
    } catch {
      continue; // no single clear order: not a fair gold item
    }
    lines.push(
      rankingItem(
        `qa-feedback/dev-${String(index).padStart(4, '0')}`,
        index,
        'The criteria, in priority order',
      ),
    );
  }
  return lines;
}

const jsonl = (lines: readonly unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
const files = {
  'course.jsonl': jsonl(courseLines),
  'exam-bank.jsonl': jsonl(examLines),
  'calibration.jsonl': jsonl(calibrationLines),
  'gold.jsonl': jsonl(goldLines()),
};

// ---- check with the importer's own parser ----------------------------------------------------

const tagIds = new Set(taxonomy.tags.map((t) => t.id));
const problems: string[] = [];
const course = parseCourseFile(files['course.jsonl'], { courseId: COURSE_ID, tagIds });
const bank = parseItemFile(files['exam-bank.jsonl'], { keys: 'required', tagIds });
const calibration = parseItemFile(files['calibration.jsonl'], { keys: 'optional', tagIds });
const gold = parseItemFile(files['gold.jsonl'], { keys: 'required', tagIds });
for (const [file, result] of [
  ['course.jsonl', course],
  ['exam-bank.jsonl', bank],
  ['calibration.jsonl', calibration],
  ['gold.jsonl', gold],
] as const)
  if (!result.ok) problems.push(...result.errors.map((e) => formatItemIssue(file, e)));
if (course.ok && bank.ok) {
  const courseTasks = course.value.modules.flatMap((m) => m.items.map((i) => i.task));
  const prompts = new Set(courseTasks.map((t) => JSON.stringify(t.prompt)));
  const ids = new Set(courseTasks.map((t) => t.id));
  for (const { task } of bank.value)
    if (ids.has(task.id) || prompts.has(JSON.stringify(task.prompt)))
      problems.push(`exam-bank.jsonl: ${task.id}: the course holds the same task or prompt`);
  if (bank.value.length < 12) problems.push(`exam-bank.jsonl: ${bank.value.length} items, 12 wanted`);
}
if (problems.length) {
  for (const problem of problems) console.error(problem);
  console.error(`nothing written: ${problems.length} problem(s)`);
  process.exit(1);
}

// ---- write ---------------------------------------------------------------------------------

mkdirSync(outDir, { recursive: true });
for (const [name, text] of Object.entries(files)) writeFileSync(path.join(outDir, name), text);
const list = (indexes: readonly number[]) => [...indexes].sort((a, b) => a - b).join(', ');
writeFileSync(
  path.join(outDir, 'ATTRIBUTION.md'),
  `# Attribution

The training material in this folder (\`course.jsonl\`, \`exam-bank.jsonl\`, \`calibration.jsonl\`) is
derived from the QA-feedback data of **FineGrainedRLHF**:

- Zeqiu Wu, Yushi Hu, Weijia Shi, Nouha Dziri, Alane Suhr, Prithviraj Ammanabrolu, Noah A. Smith,
  Mari Ostendorf, Hannaneh Hajishirzi. *Fine-Grained Human Feedback Gives Better Rewards for
  Language Model Training.* NeurIPS 2023. https://arxiv.org/abs/2306.01693
- Source: https://github.com/allenai/FineGrainedRLHF, file
  \`tasks/qa_feedback/data/dev_feedback.json\` (built on ASQA and Wikipedia passages).
- License: Apache License 2.0; a copy is in \`../LICENSE\`.

## What was taken and changed

- Course records ${list([...MODULES.flatMap((m) => m.records), ...PAIRWISE.map((p) => p.record)])}; exam bank records
  ${list(EXAM.map((e) => e.record))}; calibration records ${list(CALIBRATION.map((c) => c.record))}. None of them is a
  task of the demo project (\`../qa-feedback.jsonl\`) or a golden example of the guideline.
- Each item's prompt is the record's \`question\`, its responses the four model predictions (two for
  pairwise items), its instructions the record's passages as Markdown, as in the demo project.
- The answer keys are derived from the annotators' judgements: ranks from the six pairwise
  preferences (wins minus losses; only records whose preferences form one consistent order with a
  single best answer are keyed), expected failure tags from the span annotations of prediction 1
  (Wrong-Grounding and Unverifiable as *Hallucination or factual error*; Redundant, Incoherent, and
  Irrelevant spans covering a third of the answer as *Incoherent or irrelevant*). The explanations
  quote those annotations, the passages and the gold answers; the lessons and the topic labels of
  the exam bank were written for this project.
- The two unkeyed calibration items are records whose preferences do not form one consistent order.

Generated by \`npx tsx scripts/make-training-data.ts\`.
`,
);
ensureAttributionLine();
console.log(
  `wrote ${courseNo + pairNo} course items in ${MODULES.length} modules, ${examLines.length} exam items, ` +
    `${calibrationLines.length} calibration items (${CALIBRATION.filter((c) => c.keyed).length} keyed)`,
);

/** resources/demo/ATTRIBUTION.md (written by make-demo-data.ts) points here; added once. */
function ensureAttributionLine(): void {
  const file = path.join(root, 'resources/demo/ATTRIBUTION.md');
  const line =
    'The training material in `training/` (sandbox course, exam bank, calibration round) comes from the same ' +
    'data: see `training/ATTRIBUTION.md`.';
  const text = readFileSync(file, 'utf8');
  if (!text.includes(line)) writeFileSync(file, `${text.trimEnd()}\n\n${line}\n`);
}
