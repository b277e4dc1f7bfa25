import type {
  AttemptDoc,
  CalibrationDoc,
  CertificateDoc,
  CourseDoc,
  ExamDoc,
  ShadowProjectDoc,
  ShadowSetDoc,
  TrainingDoc,
  TrainingDocKind,
} from '../../../shared/training/docs';
import type { Store } from '../store';

type DocOf<K extends TrainingDocKind> = Extract<TrainingDoc, { kind: K }>;

/** Where a document stands in its life: a copy that arrives behind the stored one never wins. */
const STAGE: Partial<Record<TrainingDocKind, Record<string, number>>> = {
  attempt: { open: 0, graded: 1 },
  calibration: { open: 0, revealed: 1 },
};
const stage = (doc: TrainingDoc): number => {
  // a shadowing set only gains results
  if (doc.kind === 'shadow') return doc.results.length;
  const stages = STAGE[doc.kind];
  return stages && 'state' in doc ? (stages[doc.state] ?? 0) : 0;
};

function prepare({ stmt }: Store) {
  return {
    one: stmt('SELECT body FROM training_docs WHERE kind = ? AND id = ?'),
    all: stmt('SELECT body FROM training_docs WHERE kind = ? ORDER BY id'),
    upsert: stmt(
      `INSERT INTO training_docs (kind, id, body, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
    ),
    dropAll: stmt('DELETE FROM training_docs'),
  };
}

/**
 * The training documents the server sent (shared/training/docs.ts): server-derived, so the pull
 * replaces them with newer copies and drops them on a reset or an account change. They were
 * validated when the pull response was parsed.
 */
export class TrainingDocs {
  private readonly sql: ReturnType<typeof prepare>;

  constructor(store: Store) {
    this.sql = prepare(store);
  }

  get<K extends TrainingDocKind>(kind: K, id: string): DocOf<K> | null {
    const row = this.sql.one.get(kind, id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as DocOf<K>) : null;
  }

  all<K extends TrainingDocKind>(kind: K): DocOf<K>[] {
    return (this.sql.all.all(kind) as { body: string }[]).map((r) => JSON.parse(r.body) as DocOf<K>);
  }

  courses = (): CourseDoc[] => this.all('course');
  exams = (): ExamDoc[] => this.all('exam');
  attempts = (): AttemptDoc[] => this.all('attempt');
  certificates = (): CertificateDoc[] => this.all('certificate');
  rounds = (): CalibrationDoc[] => this.all('calibration');
  shadowProjects = (): ShadowProjectDoc[] => this.all('shadow-project');
  shadowSets = (): ShadowSetDoc[] => this.all('shadow');

  /**
   * Stores a copy, replacing the older one; inside the caller's transaction (the pull's). An attempt
   * already graded, a round already revealed or a shadowing set's results are never set back by a
   * stale copy.
   * Returns false when the copy was older than the stored one.
   */
  put(doc: TrainingDoc, now: string): boolean {
    const stored = this.get(doc.kind, doc.id);
    if (stored && stage(stored) > stage(doc)) return false;
    this.sql.upsert.run(doc.kind, doc.id, JSON.stringify(doc), now);
    return true;
  }

  /** the server was restored or another account signed in: its documents come again by pull */
  dropAll(): void {
    this.sql.dropAll.run();
  }
}
