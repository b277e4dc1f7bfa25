import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { filterSections, findSection, splitMatches, splitSections } from '../logic/guidelineSections';
import { Markdown } from '../markdown/Markdown';
import { keyHint } from '../shortcuts/table';
import { useUi } from '../state/uiStore';
import { useGuideline } from './useGuideline';

/** Non-modal side panel: the guideline and its golden examples, filtered and highlighted by a search box. */
export function GuidelinesPanel() {
  const open = useUi((s) => s.guidelinesOpen);
  const searchFocus = useUi((s) => s.guidelineSearchFocus);
  const target = useUi((s) => s.guidelineTarget);
  const loaded = useGuideline(open);
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const search = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLElement>(null);

  useEffect(() => {
    if (open && searchFocus > 0) search.current?.focus();
  }, [open, searchFocus]);
  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open]);

  const guideline = loaded.state === 'ready' ? loaded.guideline : null;
  const sections = useMemo(
    () => (guideline ? splitSections(guideline.markdown, guideline.examples) : []),
    [guideline],
  );
  const shown = useMemo(() => filterSections(sections, deferred), [sections, deferred]);

  // "Read the guideline section": clear the search, then bring that section's heading into view
  const wanted = open && target && guideline ? findSection(sections, target.section) : null;
  const [missing, setMissing] = useState<string | null>(null);
  useEffect(() => {
    if (!open || !target || !guideline) return;
    setQuery('');
    setMissing(wanted ? null : target.section);
    if (!wanted) return;
    const heading = panel.current?.querySelector<HTMLElement>(`[data-section-key="${wanted.key}"]`);
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus({ preventScroll: true });
  }, [open, target, guideline, wanted]);
  useEffect(() => {
    if (open) return;
    // the request is served: a later open of the panel starts at the top again
    setMissing(null);
    if (useUi.getState().guidelineTarget) useUi.setState({ guidelineTarget: null });
  }, [open]);

  if (!open) return null;
  return (
    <aside
      ref={panel}
      className="guidelines"
      data-testid="guidelines-panel"
      aria-labelledby="guidelines-heading"
      tabIndex={-1}
    >
      <div className="guidelines-head">
        <h2 id="guidelines-heading">
          {guideline ? guideline.title : 'Guidelines'}
          {guideline && <span className="muted"> v{guideline.version}</span>}
        </h2>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => useUi.setState({ guidelinesOpen: false })}
        >
          Close <kbd>{keyHint('guidelines')}</kbd>
        </button>
      </div>
      <div className="guidelines-search">
        <label htmlFor="guideline-search" className="sr-only">
          Search the guidelines
        </label>
        <input
          ref={search}
          id="guideline-search"
          type="search"
          placeholder="Search guidelines and examples  ( / )"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <p className="muted" role="status">
          {missing
            ? `No section “${missing}” in this version: showing the whole guideline.`
            : guideline
              ? deferred.trim()
                ? `${shown.length} of ${sections.length} sections match`
                : `${sections.length} sections`
              : ''}
        </p>
      </div>
      <div className="guidelines-body" tabIndex={0} role="region" aria-label="Guideline text">
        {loaded.state === 'loading' && <p className="muted">Loading…</p>}
        {loaded.state === 'error' && (
          <p className="text-block">Could not load the guidelines: {loaded.message}</p>
        )}
        {loaded.state === 'ready' && !guideline && (
          <p className="muted">No guideline is set for this project.</p>
        )}
        {shown.map((section) => (
          <section key={section.key} className={`gl-section gl-${section.kind}`}>
            <h3
              data-section-key={section.key}
              tabIndex={-1}
              className={wanted?.key === section.key ? 'gl-target' : undefined}
            >
              {section.kind === 'example' && <span className="gl-example-tag">Golden example</span>}
              {splitMatches(section.title, deferred).map((part, i) =>
                part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
              )}
            </h3>
            <Markdown text={section.markdown} highlight={deferred} />
          </section>
        ))}
      </div>
    </aside>
  );
}
