import { useEffect, useRef, useState } from 'react';
import type { ImportResult } from '../../../../shared/queue';
import { api } from '../../api';
import { IMPORT_EVENT } from '../../shortcuts/useGlobalKeys';
import { refreshSummary } from '../../state/actions';
import { ImportErrors } from './ImportErrors';

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; fileName: string }
  | { kind: 'done'; fileName: string; result: ImportResult }
  | { kind: 'failed'; fileName: string; message: string };

/** Import a JSONL task file: all or nothing; errors are listed with their line numbers. */
export function ImportTasks() {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });

  useEffect(() => {
    const open = () => input.current?.click();
    window.addEventListener(IMPORT_EVENT, open);
    return () => window.removeEventListener(IMPORT_EVENT, open);
  }, []);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setState({ kind: 'busy', fileName: file.name });
    try {
      const text = await file.text();
      const result = await api.tasks.import({ fileName: file.name, text });
      setState({ kind: 'done', fileName: file.name, result });
      if (result.ok) await refreshSummary();
    } catch (cause) {
      setState({
        kind: 'failed',
        fileName: file.name,
        message: cause instanceof Error ? cause.message : String(cause),
      });
    } finally {
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="import">
      <input
        ref={input}
        id="import-file"
        type="file"
        accept=".jsonl,.json,.ndjson,application/x-ndjson,application/json,text/plain"
        hidden
        aria-label="Task file to import"
        onChange={(e) => void onFile(e.target.files?.[0])}
      />
      <button
        type="button"
        className="btn"
        onClick={() => input.current?.click()}
        disabled={state.kind === 'busy'}
      >
        Import tasks… <kbd>I</kbd>
      </button>
      <div className="import-result" role="status">
        {state.kind === 'busy' && <p>Importing {state.fileName}…</p>}
        {state.kind === 'failed' && (
          <p className="text-block">
            Could not import {state.fileName}: {state.message}
          </p>
        )}
        {state.kind === 'done' && state.result.ok && (
          <p>
            Imported {state.result.imported} task{state.result.imported === 1 ? '' : 's'} from{' '}
            {state.fileName}
            {state.result.duplicates > 0 && ` (${state.result.duplicates} already present, not duplicated)`}.
          </p>
        )}
      </div>
      {state.kind === 'done' && !state.result.ok && (
        <ImportErrors
          fileName={state.fileName}
          errors={state.result.errors}
          truncated={state.result.truncated}
        />
      )}
    </div>
  );
}
