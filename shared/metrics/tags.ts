import type { Label } from '../label';
import type { BootstrapOptions } from './bootstrap';
import { krippendorffAlpha } from './krippendorff';
import type { KrippendorffAlpha } from './krippendorff';
import { percentAgreement } from './percent';
import { ItemCountsBuilder } from './ratings';
import type { Coefficient } from './result';

export type TaggedLabel = Pick<Label, 'taskId' | 'reviewerId' | 'tags' | 'presentedOrder'>;

export interface TagAgreement {
  tagId: string;
  /** share of (task, response) ratings that carry the tag */
  prevalence: number;
  percent: Coefficient;
  /** Krippendorff's alpha, nominal, on present / absent */
  alpha: KrippendorffAlpha;
}

const ABSENT = 0;
const PRESENT = 1;

/**
 * Per-tag agreement: for each tag, each (task, response) is an item and each reviewer of the task
 * rates it "present" (the tag is on that response, any severity) or "absent". Only counts are
 * kept: per task its reviewers and responses, per (task, response, tag) how many reviewers put
 * the tag there. Responses are those of presentedOrder. One label per reviewer and task.
 */
export class TagPresence {
  private readonly tasks = new Map<string, { reviewers: Set<string>; responses: Set<string> }>();
  /** `task response tag` -> reviewers who put it there */
  private readonly present = new Map<string, number>();
  private readonly seenTags = new Set<string>();

  add(label: TaggedLabel): void {
    let task = this.tasks.get(label.taskId);
    if (!task) this.tasks.set(label.taskId, (task = { reviewers: new Set(), responses: new Set() }));
    if (task.reviewers.has(label.reviewerId)) return;
    task.reviewers.add(label.reviewerId);
    for (const id of label.presentedOrder) task.responses.add(id);
    const once = new Set(label.tags.map((t) => `${t.responseId} ${t.tagId}`));
    for (const key of once) {
      const tagId = key.slice(key.indexOf(' ') + 1);
      this.seenTags.add(tagId);
      const full = `${label.taskId} ${key}`;
      this.present.set(full, (this.present.get(full) ?? 0) + 1);
    }
  }

  /** Agreement per tag: `tagIds` (e.g. the taxonomy's), default every tag seen. */
  result(tagIds?: readonly string[], options: { bootstrap?: BootstrapOptions | false } = {}): TagAgreement[] {
    return (tagIds ?? [...this.seenTags].sort()).map((tagId) => {
      const builder = new ItemCountsBuilder();
      const raters = new Set<string>();
      let ratings = 0;
      let present = 0;
      for (const [taskId, task] of this.tasks) {
        for (const reviewer of task.reviewers) raters.add(reviewer);
        const m = task.reviewers.size;
        for (const responseId of task.responses) {
          const k = this.present.get(`${taskId} ${responseId} ${tagId}`) ?? 0;
          builder.add(PRESENT, k);
          builder.add(ABSENT, m - k);
          builder.endItem();
          ratings += m;
          present += k;
        }
      }
      const counts = builder.build(raters.size, 2);
      return {
        tagId,
        prevalence: ratings ? present / ratings : 0,
        percent: percentAgreement(counts, options),
        alpha: krippendorffAlpha(counts, 'nominal', null, options),
      };
    });
  }
}
