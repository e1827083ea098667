import { useEffect, useRef } from 'react';

/**
 * The screen for a vault the core refused as altered (an integrity error, exit 2 in the CLI):
 * a rollback to an older copy, a fork, a damaged file (issue 14, ADR 0024). The vault is already
 * locked and nothing was written; this says so in plain words, shows what the check found (what
 * this workstation kept and what the vault shows), and what to do. Nothing here retries.
 */
export function VaultRefused({ message, onBack }: { message: string; onBack: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const [first, ...rest] = sentences(message.replace(/^Integrity check failed:\s*/, ''));
  return (
    <main className="unlock refused" aria-labelledby="refused-heading">
      <h1 id="refused-heading" ref={heading} tabIndex={-1}>
        Custodian refused this vault
      </h1>
      <div role="alert">
        <p className="error">{first}</p>
        {rest
          .filter((s) => !WHAT_TO_DO_IN_MESSAGE.test(s))
          .map((sentence) => (
            <p key={sentence}>{sentence}</p>
          ))}
      </div>
      <h2>What to do</h2>
      <ol>
        <li>Do not use this copy of the vault, and do not copy it over any other copy.</li>
        <li>Restore the newest copy of the vault you have, and open that.</li>
        <li>
          Report it to Information Security (policy 6.4) with the figures above. If passwords may be
          exposed, the Digital Media Team changes them (9.10).
        </li>
        <li>
          If a lead restored an older backup on purpose, they accept it with{' '}
          <code>custodian accept-restore</code> and a reason; that is recorded in the audit trail.
        </li>
      </ol>
      <button type="button" className="primary" onClick={onBack}>
        Back to unlock
      </button>
    </main>
  );
}

/** The core's advice, which the list above gives in full. */
const WHAT_TO_DO_IN_MESSAGE = /^(Restore the newest copy|If a lead restored)/;

/** Sentences of the core's message: each a paragraph (root prefixes end "…)", not a stop). */
function sentences(text: string): string[] {
  return text
    .split(/(?<=\.)\s+(?=[A-Z])/)
    .map((s) => s.trim())
    .filter(Boolean);
}
