import { isReadOnly } from '../logic/trainingOverview';
import { useSession } from './sessionStore';

/** The open item is a training answer that is locked or shows its feedback: controls are disabled. */
export const useReadOnly = () => useSession((s) => isReadOnly(s.bundle?.training));
