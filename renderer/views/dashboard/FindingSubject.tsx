import type { Finding } from '../../../shared/domain/health.ts';
import { useSession } from '../../stores/session.ts';

/** What a finding concerns: a link to its account where it has one, its label otherwise. */
export function FindingSubject({ finding }: { finding: Pick<Finding, 'account' | 'subject'> }) {
  const show = useSession((s) => s.show);
  const select = useSession((s) => s.select);
  const { account } = finding;
  if (account === null) return <>{finding.subject.label}</>;
  return (
    <button
      type="button"
      className="link"
      onClick={() => {
        select(account);
        show('accounts');
      }}
    >
      {finding.subject.label}
    </button>
  );
}
