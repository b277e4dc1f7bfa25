import { describe, expect, it } from 'vitest';
import { MutationType } from '../../../shared/session';
import { RejectReason } from '../../../shared/sync';
import { MUTATION_WORDS, REJECT_WORDS } from '../../../renderer/src/logic/syncWords';

describe('sync words', () => {
  it('has plain words for every reject reason and mutation type', () => {
    for (const reason of RejectReason.options) expect(REJECT_WORDS[reason]).toMatch(/\w/);
    for (const type of MutationType.options) expect(MUTATION_WORDS[type]).toMatch(/\w/);
  });
});
