// The QA-feedback records of allenai/FineGrainedRLHF as the demo scripts read them, and the task
// text they build from them (scripts/make-demo-data.ts, scripts/make-training-data.ts).

export const SOURCE_NAME = 'allenai/FineGrainedRLHF tasks/qa_feedback/data/dev_feedback.json';
export const SOURCE_PATH = 'FineGrainedRLHF/tasks/qa_feedback/data/dev_feedback.json';

export interface Span {
  'error type': string;
  explanation: string;
  start: number;
  end: number;
}
export interface Missing {
  'error type': string;
  passage_id: number;
  sentence_id: number[];
}
export interface SourceRecord {
  question: string;
  passages: string[][];
  gold: string;
  'prediction 1': string;
  'prediction 2': string;
  'prediction 3': string;
  'prediction 4': string;
  /** annotations of prediction 1 only */
  feedback: { errors: Span[]; 'missing-info': Missing[] };
  preference: number[];
}
export type PredictionNo = 1 | 2 | 3 | 4;
export const prediction = (r: SourceRecord, n: PredictionNo) => r[`prediction ${n}`];
/** The six preference values in the dataset's order: 1 = the first preferred, 2 = the second, 0 = none. */
export const PAIRS: [PredictionNo, PredictionNo][] = [
  [1, 2],
  [1, 3],
  [1, 4],
  [2, 3],
  [2, 4],
  [3, 4],
];

export const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
/** Passage text is data: escape what Markdown would turn into structure or links. */
export const escapeMarkdown = (text: string) => text.replace(/([\\`*_[\]<>#|~])/g, '\\$1');

/** Sentences of one passage chunk; the first repeats the title ("Title\n\nTitle is ..."), dropped here. */
export function passageSentences(chunk: string[]): string[] {
  const [title = '', ...sentences] = chunk;
  return sentences.map((s, i) => {
    const text = oneLine(s);
    return i === 0 && text.startsWith(`${title} `) ? text.slice(title.length + 1) : text;
  });
}

export function passagesMarkdown(record: SourceRecord): string {
  return record.passages
    .map((chunk, i) => {
      const title = escapeMarkdown(oneLine(chunk[0] ?? 'Untitled'));
      return `**Passage ${i + 1}: ${title}**\n\n> ${escapeMarkdown(passageSentences(chunk).join(' '))}`;
    })
    .join('\n\n');
}

const CRITERIA =
  'Judge them against the source passages below, in this order: **factual** (every claim supported by the ' +
  'passages), **relevant** (answers this question, no padding), **complete** (covers every answer the passages ' +
  'support; many questions are ambiguous and have several), **coherent**, and **not redundant**. Tag each ' +
  'failure on the response where it occurs. The guideline panel has the rules and worked examples.';

/** The task's instructions: what to do, the criteria, and the source passages. */
export function instructions(record: SourceRecord, kind: 'ranking' | 'pairwise'): string {
  const task =
    kind === 'ranking'
      ? 'Rank the four answers to the question from best (1) to worst. Ties are allowed when two answers are ' +
        'equally useful.'
      : 'Choose the better of the two answers to the question and say how much better it is.';
  return [
    `${task} ${CRITERIA}`,
    '### Source passages',
    passagesMarkdown(record),
    '*Passages: Wikipedia excerpts as retrieved for the QA-feedback dataset (Wu et al. 2023, Apache-2.0).*',
  ].join('\n\n');
}
