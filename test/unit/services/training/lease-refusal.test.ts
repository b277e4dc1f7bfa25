import { describe, expect, it } from 'vitest';
import { CERTIFICATION_REQUIRED } from '../../../../shared/sync';
import { call } from '../helpers';
import { course, docRows, fakeWithDocs, traineeAt } from './fixtures';

const refusal = {
  status: 403,
  body: {
    error: {
      code: CERTIFICATION_REQUIRED,
      message: 'Certification required: take the helpfulness-ranking exam',
    },
  },
};

describe('a production lease refused for a missing certificate', () => {
  it('tells the reviewer the server’s words, keeps them signed in, and still pulls training', async () => {
    const f = await fakeWithDocs();
    const ws = await traineeAt(f);
    f.fail.lease = refusal;
    f.changes.push({ type: 'training', doc: course() });
    const status = await call(ws, 'sync.now');
    expect(status).toMatchObject({
      state: 'online',
      leaseRefusal: 'Certification required: take the helpfulness-ranking exam',
      lastError: 'Certification required: take the helpfulness-ranking exam',
    });
    expect((await call(ws, 'auth.status')).signedIn).toBe(true);
    // the pull ran in the same cycle: the course is here
    expect(docRows(ws).map((r) => r.id)).toEqual(['c1']);

    // certified since: the next lease is granted and the message goes
    f.fail.lease = null;
    expect(await call(ws, 'sync.now')).toMatchObject({ leaseRefusal: null, lastError: null });
  });

  it('another 403 still means the session is no longer accepted', async () => {
    const f = await fakeWithDocs();
    const ws = await traineeAt(f);
    f.fail.lease = { status: 403, body: { error: { code: 'forbidden', message: 'account disabled' } } };
    const status = await call(ws, 'sync.now');
    expect(status).toMatchObject({ state: 'signed-out', leaseRefusal: null });
  });
});
