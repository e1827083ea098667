import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import type { Severity } from '../../../shared/domain/health.ts';
import type { ResponseOf } from '../../../shared/ipc/contract.ts';
import { call, messageOf } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import { FindingSubject } from './FindingSubject.tsx';
import { MOST_URGENT_FIRST, SEVERITY_LABEL } from './severity.ts';

/** The most findings the plan lists; the counts cover them all. */
const SHOWN = 100;

type Finding = ResponseOf<'health.report'>[number];

/** The first day of next month, the day a lead planning next month asks about first. */
function firstOfNextMonth(today = new Date()): string {
  const next = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1));
  return next.toISOString().slice(0, 10);
}

/**
 * Health as of a chosen day (`custodian health --at`): what will be due by then if nothing is
 * done, so the lead can plan next month's rotations, refreshers and reviews (9.13, 10.2, 11.1).
 * Evaluating a day ahead writes nothing: only today's summary is kept for the trend.
 */
export function PlanAhead({ today }: { today: Record<Severity, number> | undefined }) {
  const id = useId();
  const [day, setDay] = useState(firstOfNextMonth);
  const [plan, setPlan] = useState<{ day: string; findings: Finding[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // The answer is below the form: take the reader there (WCAG 2.4.3). After the commit that draws
  // it, not on the next frame: a frame can come before React has drawn the first answer, and the
  // focus was then lost to the page's body (the button is disabled while it checks).
  useEffect(() => {
    if (plan) heading.current?.focus();
  }, [plan]);

  async function run(event: SyntheticEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const findings = await call('health.report', { at: day });
      const rank = (f: Finding) => MOST_URGENT_FIRST.indexOf(f.severity);
      findings.sort((a, b) => rank(a) - rank(b) || a.since.localeCompare(b.since));
      setPlan({ day, findings });
    } catch (e) {
      setPlan(null);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const counts = plan
    ? Object.fromEntries(
        MOST_URGENT_FIRST.map((s) => [s, plan.findings.filter((f) => f.severity === s).length]),
      )
    : undefined;

  return (
    <section className="plan-ahead" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Plan ahead</h2>
      <form className="plan-ahead-form" onSubmit={(e) => void run(e)} aria-busy={busy}>
        <label htmlFor={`${id}-day`}>Health as of</label>
        <input
          id={`${id}-day`}
          type="date"
          value={day}
          onChange={(e) => setDay(e.target.value)}
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Show what will be due'}
        </button>
      </form>
      <Outcome message={null} error={error} />
      {plan && counts && (
        <>
          <h3 ref={heading} tabIndex={-1}>
            As of {plan.day}: {plan.findings.length}{' '}
            {plan.findings.length === 1 ? 'finding' : 'findings'} if nothing is done before then
          </h3>
          <ul className="plan-counts" aria-label={`Findings by severity as of ${plan.day}`}>
            {MOST_URGENT_FIRST.map((s) => (
              <li key={s}>
                <span className={`badge sev-${s}`}>{SEVERITY_LABEL[s]}</span> {counts[s]}
                {today && ` (today ${today[s]})`}
              </li>
            ))}
          </ul>
          {plan.findings.length > SHOWN && (
            <p>The {SHOWN} most urgent are listed; the counts above cover every one.</p>
          )}
          {plan.findings.length > 0 && (
            <table className="findings stack-narrow">
              <caption className="visually-hidden">Findings as of {plan.day}</caption>
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Clause</th>
                  <th scope="col">Concerns</th>
                  <th scope="col">Since</th>
                  <th scope="col">Evidence</th>
                  <th scope="col">What to do</th>
                </tr>
              </thead>
              <tbody>
                {plan.findings.slice(0, SHOWN).map((f) => (
                  <tr key={`${f.rule}:${f.subject.kind}:${f.subject.id}`}>
                    <td data-label="Severity">
                      <span className={`badge sev-${f.severity}`}>
                        {SEVERITY_LABEL[f.severity]}
                      </span>
                    </td>
                    <td data-label="Clause">{f.clause}</td>
                    <td data-label="Concerns">
                      <FindingSubject finding={f} />
                    </td>
                    <td data-label="Since">{f.since.slice(0, 10)}</td>
                    <td data-label="Evidence">{f.evidence}</td>
                    <td data-label="What to do">{f.action}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
