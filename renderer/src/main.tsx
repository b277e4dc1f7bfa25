import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'highlight.js/styles/github.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/task.css';
import './styles/markdown.css';
import './styles/sync.css';
import './styles/training.css';
import { App } from './App';
import { boot } from './state/actions';
import { installActiveClock } from './state/activeClock';
import { installAutosave } from './state/autosave';

installActiveClock();
installAutosave();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void boot();
