import { useQa } from '../../state/qaStore';

/** the last outcome in words, and a refusal in the server's words */
export function QaMessages() {
  const { error, status } = useQa();
  return (
    <>
      {status && (
        <p className="lead-status" role="status" data-testid="qa-status">
          {status}
        </p>
      )}
      {error && (
        <p className="t-problem" role="alert" data-testid="qa-error">
          {error}
        </p>
      )}
    </>
  );
}
