/** The shown-on-admin-view verdict for a pod whose figures fall below the bar (plain, for the renderer). */
export const HOLD_SCALING = 'hold scaling: fix guidelines first';
