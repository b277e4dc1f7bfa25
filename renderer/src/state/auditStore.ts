import { create } from 'zustand';
import type { AuditRow } from '../../../shared/lead-workstation';
import { api } from '../api';
import { flushDraft } from './autosave';
import { useSession } from './sessionStore';
import { messageOf } from './transition';
import { closeDialog } from './uiStore';
import { loadWork } from './workStore';

export const AUDIT_PAGE = 50;

/** The admin's audit log screen: one page at a time, oldest first, from an optional date on. */
export interface AuditState {
  entries: AuditRow[];
  /** `after` of each page shown so far (the first is undefined): Previous goes back one */
  pages: (number | undefined)[];
  next: number | null;
  since: string;
  /** the entry whose before/after is open */
  openId: number | null;
  loading: boolean;
  error: string | null;
}

export const useAudit = create<AuditState>(() => ({
  entries: [],
  pages: [undefined],
  next: null,
  since: '',
  openId: null,
  loading: false,
  error: null,
}));

async function load(after: number | undefined, pages: (number | undefined)[]): Promise<void> {
  const { since } = useAudit.getState();
  useAudit.setState({ loading: true, error: null });
  try {
    const page = await api.admin.audit({
      limit: AUDIT_PAGE,
      ...(since.trim() ? { since: since.trim() } : {}),
      ...(after !== undefined ? { after } : {}),
    });
    useAudit.setState({ entries: page.entries, next: page.next, pages, openId: null });
  } catch (cause) {
    useAudit.setState({ error: messageOf(cause) });
  } finally {
    useAudit.setState({ loading: false });
  }
}

export async function goToAudit(): Promise<void> {
  await flushDraft();
  closeDialog();
  useSession.setState({ screen: 'audit', bundle: null });
  loadWork(null);
  await load(undefined, [undefined]);
}

export const firstAuditPage = () => load(undefined, [undefined]);

export function nextAuditPage(): Promise<void> {
  const { next, pages } = useAudit.getState();
  return next === null ? Promise.resolve() : load(next, [...pages, next]);
}

export function previousAuditPage(): Promise<void> {
  const { pages } = useAudit.getState();
  if (pages.length < 2) return Promise.resolve();
  const back = pages.slice(0, -1);
  return load(back[back.length - 1], back);
}
