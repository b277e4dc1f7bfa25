import type { QaClass, QaErrorType, QaPart } from '../../../shared/qa';

/** The compared parts of a label, as the comparison names them. */
export const PART_WORDS: Record<QaPart, string> = {
  preference: 'Preference',
  strength: 'Strength',
  tags: 'Tags',
  severity: 'Severity',
  rationale: 'Rationale',
};

export const CLASS_WORDS: Record<QaClass, string> = {
  'reviewer-error': 'Reviewer error',
  'guideline-ambiguity': 'Guideline ambiguity',
  acceptable: 'Acceptable disagreement',
  'qa-error': 'QA error (my re-rating is wrong)',
};

export const ERROR_TYPE_WORDS: Record<QaErrorType, string> = {
  'misread-prompt': 'Misread the prompt',
  'missed-failure': 'Missed a failure',
  'false-failure': 'Tagged a failure that is not there',
  'wrong-severity': 'Wrong severity',
  'guideline-misapplied': 'Guideline misapplied',
  'weak-rationale': 'Weak rationale',
  careless: 'Careless',
  other: 'Other',
};
