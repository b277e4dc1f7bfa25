import { type FormEvent, useEffect, useRef, useState } from 'react';
import { toApiError } from '../api';
import { signInProtectionNote } from '../logic/syncWords';
import { signIn, useSync, workOffline } from '../state/syncStore';

/**
 * Server, username, password; "Work offline" keeps the local-only queue. Keyboard first: Enter signs
 * in. A server set by IT is shown read-only; after a sign-out nothing of the last person is offered
 * (the services decide what is offered: AuthStatus.serverUrl and offeredUsername).
 */
export function SignInScreen() {
  const auth = useSync((s) => s.auth);
  const pinned = auth?.configuredServerUrl ?? null;
  const [serverUrl, setServerUrl] = useState(pinned ?? auth?.serverUrl ?? '');
  const [username, setUsername] = useState(auth?.offeredUsername ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // the first empty field takes the focus
    if (!serverUrl) first.current?.focus();
    else if (!username) usernameRef.current?.focus();
    else passwordRef.current?.focus();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await signIn({ serverUrl: (pinned ?? serverUrl).trim(), username: username.trim(), password });
    } catch (cause) {
      const apiError = toApiError(cause);
      const fields = apiError.body.issues?.map((i) => `${fieldName(i.path)}: ${i.message}`) ?? [];
      setError(fields.length ? fields.join('. ') : apiError.message);
      setPassword('');
      // a wrong address is fixed in its field; anything else is usually the password
      const addressWrong = !pinned && apiError.body.issues?.some((i) => i.path === 'serverUrl');
      (addressWrong ? first : passwordRef).current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const note = auth ? signInProtectionNote(auth) : null;
  return (
    <main id="main" className="signin-screen" tabIndex={-1}>
      <form
        className="signin-form"
        onSubmit={(e) => void submit(e)}
        aria-labelledby="signin-title"
        noValidate
      >
        <h1 id="signin-title">Sign in to sync</h1>
        <p className="signin-lead">
          Your labels stay on this computer and reach the team&apos;s server when you are online.
        </p>
        {auth?.signInReason && <p className="signin-reason">{auth.signInReason}</p>}
        <div className="field">
          <label htmlFor="signin-server">Server address</label>
          <input
            id="signin-server"
            ref={first}
            type="url"
            inputMode="url"
            autoComplete="url"
            value={pinned ?? serverUrl}
            onChange={(e) => setServerUrl(e.target.value)}
            readOnly={pinned !== null}
            aria-describedby={pinned ? 'signin-server-help' : undefined}
            required
          />
          {pinned && (
            <span id="signin-server-help" className="field-help">
              Set by your IT department.
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="signin-username">Username</label>
          <input
            id="signin-username"
            ref={usernameRef}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="signin-password">Password</label>
          <input
            id="signin-password"
            ref={passwordRef}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        <div className="signin-error" role="alert" data-testid="signin-error">
          {error}
        </div>
        {note && <p className="field-help">{note}</p>}
        <div className="signin-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          <button type="button" className="btn" onClick={workOffline}>
            {auth?.user ? 'Keep working offline' : 'Work offline without an account'}
          </button>
        </div>
      </form>
    </main>
  );
}

function fieldName(path: string): string {
  if (path === 'serverUrl') return 'Server address';
  if (path === 'username') return 'Username';
  if (path === 'password') return 'Password';
  return path;
}
