import { memo } from 'react';
import type { Prompt } from '../../../../shared/task';
import { Markdown } from '../../markdown/Markdown';

const ROLE_LABEL = { system: 'System', user: 'User', assistant: 'Assistant' } as const;

/** The prompt: Markdown, or a multi-turn conversation with role labels. Scrolls inside its box. */
export const PromptView = memo(function PromptView({ prompt }: { prompt: Prompt }) {
  return (
    <section className="prompt" aria-labelledby="prompt-heading">
      <h2 id="prompt-heading" className="section-label">
        Prompt{typeof prompt === 'string' ? '' : ` (conversation, ${prompt.length} messages)`}
      </h2>
      <div className="prompt-body" data-task-scroller tabIndex={0} role="region" aria-label="Prompt text">
        {typeof prompt === 'string' ? (
          <Markdown text={prompt} />
        ) : (
          <ol className="chat">
            {prompt.map((message, i) => (
              <li key={i} className={`chat-message chat-${message.role}`}>
                <span className="chat-role">{ROLE_LABEL[message.role]}</span>
                <Markdown text={message.content} />
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
});
