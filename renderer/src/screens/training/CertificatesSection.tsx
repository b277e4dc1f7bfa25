import type { TrainingOverview } from '../../../../shared/training/workstation';
import { formatDay } from '../../logic/trainingTime';

type Certificate = TrainingOverview['certificates'][number];

const STATUS_WORDS: Record<Certificate['status'], string> = {
  valid: 'Valid',
  due: 'Re-certification due',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** The trainee's certificates: status in words, dates, and the guideline version each was earned under. */
export function CertificatesSection({ certificates }: { certificates: Certificate[] }) {
  return (
    <section className="t-section" aria-labelledby="t-certificates" data-testid="training-certificates">
      <h2 id="t-certificates">Certificates</h2>
      {certificates.length === 0 ? (
        <p className="muted">None yet: passing an exam issues one.</p>
      ) : (
        <ul className="t-certificates">
          {certificates.map((c) => (
            <li key={c.id} data-testid={`certificate-${c.skill}`}>
              <div className="t-cert-row">
                <b className="t-cert-skill">{c.skill}</b>
                <span className={`status-pill status-${c.status}`} data-testid="certificate-status">
                  {STATUS_WORDS[c.status]}
                </span>
                {c.status === 'due' && c.dueAt && <span className="t-due">by {formatDay(c.dueAt)}</span>}
                {c.status === 'revoked' && c.revokedAt && (
                  <span className="t-due">on {formatDay(c.revokedAt)}</span>
                )}
              </div>
              <p className="t-cert-dates">
                Issued {formatDay(c.issuedAt)} · {c.status === 'expired' ? 'expired' : 'expires'}{' '}
                {formatDay(c.expiresAt)} · guideline {c.guidelineId} v{c.guidelineVersion}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
