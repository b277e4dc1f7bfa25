// Builds the demo project from the public QA-feedback data (allenai/FineGrainedRLHF):
//   resources/demo/qa-feedback.jsonl      60 ranking + 20 pairwise tasks (task format v1)
//   resources/demo/LICENSE, ATTRIBUTION.md
//   resources/guidelines/default.json     the judging guideline with golden examples
// Deterministic: same input, byte-identical output.
//   npx tsx scripts/make-demo-data.ts [path/to/shared/data]   (default: ../shared/data)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Guideline } from '../shared/guideline';
import { Task } from '../shared/task';
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
const sourceDir = path.join(dataDir, 'FineGrainedRLHF');
const sourceFile = path.join(sourceDir, 'tasks/qa_feedback/data/dev_feedback.json');

const RANKING_COUNT = 60;
const PAIRWISE_COUNT = 20;
/** Records used as golden examples never appear as demo tasks (they are far past the demo range). */
const GOLDEN_RECORDS = [205, 300, 137, 202, 242];

const records = JSON.parse(readFileSync(sourceFile, 'utf8')) as SourceRecord[];

const responseId = (n: PredictionNo) => `prediction-${n}`;
const recordTag = (i: number) => String(i).padStart(4, '0');

function rankingTask(record: SourceRecord, index: number): unknown {
  const numbers: PredictionNo[] = [1, 2, 3, 4];
  return {
    id: `qa-feedback/dev-${recordTag(index)}`,
    kind: 'ranking',
    prompt: record.question,
    responses: numbers.map((n) => ({ id: responseId(n), text: prediction(record, n) })),
    instructions: instructions(record, 'ranking'),
    guideline: 'default',
    allowTies: true,
    meta: { source: SOURCE_NAME, record: index },
  };
}

/** The first pair the dataset's raters had a preference on (a decidable comparison), else 1 vs 2. */
function pickPair(record: SourceRecord): [PredictionNo, PredictionNo] {
  const decided = PAIRS.find((_pair, i) => record.preference[i] !== 0);
  return decided ?? [1, 2];
}

function pairwiseTask(record: SourceRecord, index: number): unknown {
  const [a, b] = pickPair(record);
  return {
    id: `qa-feedback/dev-${recordTag(index)}-p${a}v${b}`,
    kind: 'pairwise',
    prompt: record.question,
    responses: [a, b].map((n) => ({
      id: responseId(n as PredictionNo),
      text: prediction(record, n as PredictionNo),
    })),
    instructions: instructions(record, 'pairwise'),
    guideline: 'default',
    meta: { source: SOURCE_NAME, record: index },
  };
}

// ---- tasks ---------------------------------------------------------------------------

const usable = records
  .map((record, index) => ({ record, index }))
  .filter(({ record, index }) => record.passages.length > 0 && !GOLDEN_RECORDS.includes(index));
const rankingSource = usable.slice(0, RANKING_COUNT);
const pairwiseSource = usable.slice(RANKING_COUNT, RANKING_COUNT + PAIRWISE_COUNT);
const tasks = [
  ...rankingSource.map(({ record, index }) => rankingTask(record, index)),
  ...pairwiseSource.map(({ record, index }) => pairwiseTask(record, index)),
];
tasks.forEach((task, i) => {
  const parsed = Task.safeParse(task);
  if (!parsed.success) throw new Error(`generated task ${i + 1} is invalid: ${parsed.error.message}`);
});

// ---- guideline -----------------------------------------------------------------------

const GUIDELINE_MARKDOWN = `# Judging answers to factual questions

You compare answers that a model wrote to a short factual question. Each task shows the
question, the **source passages** the model was given, and 2 to 4 answers. Your ranking or
preference, tags and rationale train a reward model: it learns exactly what you reward.
Reward answers a careful reader could trust and use; never reward length or confidence.

## The criteria, in priority order

1. **Factual against the passages.** Every claim must be supported by the passages. A claim
   that contradicts them, or that they do not support (a date, a name, a number "from
   nowhere"), is a factual error even if it sounds right. Tag it *Hallucination or factual
   error*.
2. **Relevant.** The answer addresses this question. Background sentences that do not help
   answer it (chart positions for a "who sang" question, a film's budget for a release-date
   question) are padding. Tag them *Incoherent or irrelevant*, usually minor.
3. **Complete.** Many questions are ambiguous ("the first Thor": the comic, the film, the
   first live-action role; "where do they play": before and after a move). The best answer
   covers every reading the passages support, briefly. Missing answers have no tag of their
   own: they lower the rank and belong in the rationale.
4. **Coherent.** Sentences must fit together. A self-contradiction ("came out on June 7, 2019
   ... came out on July 13, 2019") or a garbled sentence ("made the playoffs for the first time
   since 2008. They have not been there since 2008.") is tagged *Incoherent or irrelevant*,
   major when a reader could take away the wrong answer.
5. **Not redundant.** Repeating a fact or phrase wastes the reader's time. Tag it *Incoherent or
   irrelevant* (minor) and rank it below an otherwise equal answer.

A higher criterion always outweighs a lower one: a short, correct, incomplete answer beats a
complete answer that contains a false claim about the thing asked.

## Outside knowledge

Judge against the passages, not your memory. If an answer adds a fact the passages do not
contain, treat it as unsupported even when you believe it is true; do not reward it. Do not
penalize an answer for missing something the passages do not contain. If the passages
themselves look wrong or do not answer the question, escalate (see below).

## Tags and severity

| Severity | Use it when |
|---|---|
| **critical** | The answer to the question itself is wrong, or a reader trusting it would be misled on the point asked. |
| **major** | A false side claim, or a contradiction or garble the reader must notice and correct. |
| **minor** | Noise that leaves the answer right and clear: one padding sentence, a repeated phrase. |

- Tag every failure on the response where it occurs; one tag per kind of failure per
  response is enough (use the highest severity that applies).
- Usual tags here: *Hallucination or factual error* (wrong or unsupported claims),
  *Incoherent or irrelevant* (padding, contradictions, repetition), *Formatting* (cut-off
  sentences, broken lists). Safety and privacy tags are rare in this project; use them if
  they apply.
- A response with a **critical** tag should not be ranked first. If every response has one,
  rank them anyway and escalate as *All responses are unacceptable*.

## Ranking, ties and preference strength

- Rank from 1 (best). Give two answers the same rank only when neither would serve a reader
  better: same facts, same errors, differences you cannot name. "I could not decide" is not a
  tie; name the difference and decide.
- Pairwise strength: **significantly better** when one answer is wrong on the point asked and
  the other is right; **better** for a clear difference in correctness or completeness;
  **slightly better** for relevance, coherence or redundancy differences only; **negligibly
  better** when you prefer one for a reason you can name but it barely matters; **unsure** when
  you cannot verify the deciding claim from the passages.

## Rationale

Write what decided it, with a concrete pointer: *"B gives the UK release date the passage
states (20 July 2018); A gives 7 June 2019, which no passage supports."* A rationale is required
when any response carries a critical tag or you choose "significantly better".

## Skip or escalate

- **Skip** when you cannot judge fairly: a language you cannot read, an empty or broken task,
  answers too long to judge in reasonable time.
- **Escalate** when the task needs a lead: the passages do not answer the question or look
  wrong (*Guidelines do not cover this* or *Prompt is ambiguous*), every answer is unacceptable,
  or you see personal data or a safety problem. Add a one-line note saying what you saw.
  Escalating keeps your draft.

## Golden examples

Five worked examples from the same dataset follow. Each shows the question, the reference
("gold") answer written by the dataset's annotators, the answers, the expected judgement and
why. Read them before your first task.
`;

interface Golden {
  record: number;
  title: string;
  /** [passage, sentence] or [passage, first sentence, last sentence], 1-based as shown in tasks */
  evidence: ([number, number] | [number, number, number])[];
  judgement: string;
  tags: string[];
  why: string;
}

const GOLDEN: Golden[] = [
  {
    record: 205,
    title: 'Factual errors on the point asked outweigh everything else',
    evidence: [[1, 3, 4]],
    judgement: 'Rank: 4 first, 3 second, 1 and 2 tied last.',
    tags: [
      '1: Hallucination (critical): UK dates 7 June 2019 and 13 July 2019. Incoherent (major): it contradicts itself.',
      '2: Hallucination (critical): UK date 15 November 2017, US date 20 December 2017.',
      '3: Hallucination (critical): "UK and Ireland on August 15, 2014". Incoherent (major): it then gives the right date.',
      '4: Hallucination (major): "directed by Julia Roberts", "based on the 1979 film", the cast description.',
    ],
    why:
      'The passage states one answer: released in the UK on 20 July 2018 (premiere 16 July 2018 in London). ' +
      'Answer 4 states it plainly; its false side claims (director, source film, cast) are major, not critical, ' +
      'because the question is answered correctly. Answer 3 also contains the right date but first asserts a ' +
      'wrong one, so a reader cannot tell which to believe: it is wrong on the point asked, but it still beats ' +
      'answers with no right date at all. Answers 1 and 2 only give wrong UK dates; 1 contradicts itself, 2 is ' +
      'shorter but just as wrong. Neither is more useful, so they tie. Escalation is not needed: answer 4 is usable.',
  },
  {
    record: 300,
    title: 'Ambiguous question: cover every answer the passages support',
    evidence: [
      [3, 3],
      [2, 1],
      [3, 6],
    ],
    judgement: 'Rank: 3 first, 2 second, 4 third, 1 last.',
    tags: [
      '1: Hallucination (major): "Thor: Ragnarok in 2019 and Thor: Ragnarok in 2021" is in no passage (and repeats a title).',
      '2: Incoherent or irrelevant (minor): the Avengers sentence does not help answer "what year".',
      '3: none.',
      '4: none (it is incomplete, which has no tag: say so in the rationale).',
    ],
    why:
      '"The first Thor" can mean the comic character (Journey into Mystery #83, August 1962), the first film ' +
      '(2011) or the first live-action portrayal (1988). Answer 3 gives the first two readings concisely. Answer 2 ' +
      'gives the same two but pads with an irrelevant sentence. Answer 4 mentions the film without its year, so it ' +
      'answers only one reading. Answer 1 answers the comic reading and then invents film titles and years. None ' +
      'mentions the 1988 TV film; that lowers no one relative to the others, and the rationale for 3 can note it.',
  },
  {
    record: 137,
    title: 'Redundancy and a false side claim',
    evidence: [
      [1, 1],
      [1, 3],
    ],
    judgement: 'Rank: 3 first, 1 second, 2 third, 4 last.',
    tags: [
      '1: Incoherent or irrelevant (minor): "Iris DeMent, songwriter and singer and songwriter Iris DeMent" repeats itself.',
      '2: none (it leaves out Patty Loveless: incomplete, say so in the rationale).',
      '3: none.',
      '4: Hallucination (major): calls the album Prine\'s "debut album"; the passage says it is his 13th.',
    ],
    why:
      'The question asks who sings with John Prine on the album; the passage lists nine duet partners. Answer 3 ' +
      'lists all nine and nothing else wrong. Answer 1 lists all nine but ends in a garbled, repetitive sentence. ' +
      'Answer 2 is clean but drops one partner. Answer 4 lists all nine but states a false fact; a false claim ' +
      'ranks below an omission, even though the list itself is right, and it is major rather than critical because ' +
      'the question (who sings) is answered correctly.',
  },
  {
    record: 202,
    title: 'Contradictions on the point asked: the one clear answer wins',
    evidence: [[1, 9, 10]],
    judgement:
      'Rank: 2 first, 3 and 4 tied second, 1 last. As a pairwise task, 2 against any other would be "significantly better".',
    tags: [
      '1: Hallucination (critical): the dates 15 October 2008, 13 November 2008 and 8 January 2007 are in no passage. ' +
        'Incoherent (major): "the last time they were in the playoffs on October 15, 2008, was January 8, 2007".',
      '2: none.',
      '3: Hallucination (critical): "have never been to the playoffs"; the 10-6 record belongs to the 2016 season, ' +
        'not 2008. Incoherent (major): it then mentions a 2017 playoff game.',
      '4: Hallucination (critical): "They have not been there since 2008". Incoherent (major): the sentence before ' +
        'says they made the playoffs again.',
    ],
    why:
      'The passage says the Dolphins made the playoffs in the 2016 season, "for the first time since 2008", and ' +
      'played a wild-card game on 8 January 2017. Answer 2 says exactly that in one sentence. Answers 3 and 4 each ' +
      'contain a true fragment but contradict themselves on the point asked, so a reader cannot get the answer from ' +
      'them; neither is more usable than the other, so they tie. Answer 1 is built from dates that appear nowhere. ' +
      'Only answer 2 is free of critical tags, so it must be first; no escalation is needed.',
  },
  {
    record: 242,
    title: 'A real tie: the same answer, negligible differences',
    evidence: [[1, 12]],
    judgement: 'Rank: all four tied first.',
    tags: [
      '1 and 2: Incoherent or irrelevant (minor) is acceptable but not required for "upped to series regular for ' +
        'the fourteenth episode of the season", which means little without context.',
      '3 and 4: none.',
    ],
    why:
      "Every answer gives the one answer the passages support: Colin O'Donoghue plays Hook. The extra clause in " +
      '1 and 2 neither helps nor misleads. No difference changes what a reader learns, so the honest judgement ' +
      'is a four-way tie; the submit check that warns about an untouched order does not apply because you set the ' +
      'ranks yourself. The reference answer also names the actor of young Hook, who is not in the passages: do ' +
      'not reward or penalize that.',
  },
];

function goldenMarkdown(example: Golden): string {
  const record = records[example.record];
  if (!record) throw new Error(`no record ${example.record}`);
  const quotes = example.evidence.map(([p, first, last = first]) => {
    const chunk = record.passages[p - 1];
    const sentences = chunk ? passageSentences(chunk).slice(first - 1, last) : [];
    if (!chunk || sentences.length !== last - first + 1) {
      throw new Error(`record ${example.record}: no passage ${p} sentences ${first}-${last}`);
    }
    return `> ${escapeMarkdown(sentences.join(' '))} *(passage ${p}: ${escapeMarkdown(oneLine(chunk[0] ?? ''))})*`;
  });
  const answers = ([1, 2, 3, 4] as const).map(
    (n) => `${n}. ${escapeMarkdown(oneLine(prediction(record, n)))}`,
  );
  return [
    `**Question:** ${escapeMarkdown(record.question)}`,
    `**Key passage sentences:**\n\n${quotes.join('\n>\n')}`,
    `**Reference answer (dataset gold):** ${escapeMarkdown(oneLine(record.gold))}`,
    `**Answers:**\n\n${answers.join('\n')}`,
    `**Expected judgement:** ${example.judgement}`,
    `**Tags:**\n\n${example.tags.map((t) => `- ${t}`).join('\n')}`,
    `**Why:** ${example.why}`,
    `*Source: ${SOURCE_NAME}, record ${example.record}.*`,
  ].join('\n\n');
}

const guideline = Guideline.parse({
  id: 'default',
  title: 'Judging long-form answers to factual questions',
  version: '1',
  markdown: GUIDELINE_MARKDOWN,
  examples: GOLDEN.map((example) => ({ title: example.title, markdown: goldenMarkdown(example) })),
});

// ---- write ---------------------------------------------------------------------------

const demoDir = path.join(root, 'resources/demo');
const guidelineDir = path.join(root, 'resources/guidelines');
mkdirSync(demoDir, { recursive: true });
mkdirSync(guidelineDir, { recursive: true });
writeFileSync(path.join(demoDir, 'qa-feedback.jsonl'), tasks.map((t) => JSON.stringify(t)).join('\n') + '\n');
// read + write rather than copy: the source is read-only and its mode must not follow
writeFileSync(path.join(demoDir, 'LICENSE'), readFileSync(path.join(sourceDir, 'LICENSE')));
writeFileSync(path.join(guidelineDir, 'default.json'), JSON.stringify(guideline, null, 2) + '\n');
writeFileSync(
  path.join(demoDir, 'ATTRIBUTION.md'),
  `# Attribution

\`qa-feedback.jsonl\` and the golden examples in \`resources/guidelines/default.json\` are derived
from the QA-feedback data of **FineGrainedRLHF**:

- Zeqiu Wu, Yushi Hu, Weijia Shi, Nouha Dziri, Alane Suhr, Prithviraj Ammanabrolu, Noah A. Smith,
  Mari Ostendorf, Hannaneh Hajishirzi. *Fine-Grained Human Feedback Gives Better Rewards for
  Language Model Training.* NeurIPS 2023. https://arxiv.org/abs/2306.01693
- Source: https://github.com/allenai/FineGrainedRLHF, file
  \`tasks/qa_feedback/data/dev_feedback.json\` (built on ASQA and Wikipedia passages).
- License: Apache License 2.0; a copy is in \`LICENSE\` next to this file.

## What was changed

- ${RANKING_COUNT} ranking tasks (records ${rankingSource[0]?.index}–${rankingSource.at(-1)?.index}) and ${PAIRWISE_COUNT} pairwise tasks
  (records ${pairwiseSource[0]?.index}–${pairwiseSource.at(-1)?.index}) were selected in file order, skipping records without passages.
- Each task uses the record's \`question\` as the prompt and its model predictions as responses
  (all four for ranking; for pairwise, the first pair the original raters had a preference on).
  The passages were reformatted as a Markdown section of the task instructions.
- Not included in tasks: the gold answers, the fine-grained error annotations, the corrected
  predictions and the original preference judgements.
- The guideline's golden examples quote records ${[...GOLDEN_RECORDS].sort((a, b) => a - b).join(', ')} with their gold answers; the judgements and
  reasoning were written for this project.

Generated by \`npx tsx scripts/make-demo-data.ts\`.
`,
);
console.log(
  `wrote ${tasks.length} tasks (${rankingSource.length} ranking, ${pairwiseSource.length} pairwise) and ` +
    `the default guideline with ${guideline.examples.length} golden examples`,
);
