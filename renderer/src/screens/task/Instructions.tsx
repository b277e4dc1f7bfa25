import { keyHint } from '../../shortcuts/table';
import { Markdown } from '../../markdown/Markdown';
import { useUi } from '../../state/uiStore';

export function Instructions({ text }: { text: string }) {
  const open = useUi((s) => s.instructionsOpen);
  return (
    <section className="instructions" aria-labelledby="instructions-toggle">
      <h2 className="section-label">
        <button
          id="instructions-toggle"
          type="button"
          className="disclosure"
          aria-expanded={open}
          aria-controls="instructions-body"
          onClick={() => useUi.setState({ instructionsOpen: !open })}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> Instructions <kbd>{keyHint('instructions')}</kbd>
        </button>
      </h2>
      <div
        id="instructions-body"
        className="instructions-body"
        data-task-scroller
        hidden={!open}
        tabIndex={0}
        role="region"
        aria-label="Instructions text"
      >
        <Markdown text={text} />
      </div>
    </section>
  );
}
