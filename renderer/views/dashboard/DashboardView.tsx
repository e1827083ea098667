import { roleMayCall } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { SEVERITIES, type Severity } from '../../../shared/domain/health.ts';
import { Status, useLoad } from '../../components/Load.tsx';
import { useSession } from '../../stores/session.ts';
import { QuietPeriods } from './QuietPeriods.tsx';

const SEVERITY_LABEL: Record<Severity, string> = {
  breach: 'Breach',
  action: 'Action needed',
  warning: 'Warning',
  info: 'For information',
};

const MOST_URGENT_FIRST = [...SEVERITIES].reverse();

/** Health against the Digital and Social Media Policy: what is wrong, where it comes from, what to do. */
export function DashboardView() {
  const [load, reload] = useLoad(() => call('dashboard.get', {}));
  const role = useSession((s) => s.member?.role);
  const mayDeclare = role !== undefined && roleMayCall(role, 'quiet.declare');
  const mayRegister = role !== undefined && roleMayCall(role, 'accounts.create');
  const show = useSession((s) => s.show);
  const select = useSession((s) => s.select);
  if (load.state !== 'ready') return <Status load={load} />;
  const { counts, due, dueTotal, trend, accounts, openIncidents, quietPeriods } = load.value;

  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <ul className="tiles" aria-label="Findings by severity">
        {MOST_URGENT_FIRST.map((severity) => (
          <li key={severity} className={`tile sev-${severity}`}>
            <span className="tile-count">{counts[severity]}</span>
            <span className="tile-label">{SEVERITY_LABEL[severity]}</span>
          </li>
        ))}
        <li className="tile">
          <span className="tile-count">{accounts}</span>
          <span className="tile-label">Accounts registered</span>
        </li>
      </ul>
      <QuietPeriods inForce={quietPeriods} mayDeclare={mayDeclare} onChanged={reload} />
      {openIncidents.length > 0 && (
        <>
          <h2>Open lost-device incidents (10.1)</h2>
          <ul>
            {openIncidents.map((i) => (
              <li key={`${i.device}:${i.lostOn}`}>
                {i.device}, lost {i.lostOn}: {i.partiesLeft} of 3 parties still to tell,{' '}
                {i.accountsLeft} account{i.accountsLeft === 1 ? '' : 's'} still to rotate.{' '}
                <button type="button" className="link" onClick={() => show('devices')}>
                  Open the wizard
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <TrendChart trend={trend} />
      <h2>Due this week ({dueTotal})</h2>
      {due.length < dueTotal && (
        <p>
          The {due.length} most urgent are shown; the Accounts view and `custodian health` list
          every one.
        </p>
      )}
      {accounts === 0 && due.length === 0 ? (
        // A new vault: "every account meets the policy" would be true of nothing (issue 15).
        <div className="empty" role="note" aria-label="Getting started">
          <p>
            <strong>No accounts are registered yet</strong>, so there is no health to show.
          </p>
          {mayRegister ? (
            <p>
              Register each account the force already has, with its login (9.8), in Accounts:
              &ldquo;Register an account…&rdquo; for one, &ldquo;Import accounts…&rdquo; for many. A
              new account is requested in Requests (9.1–9.6).{' '}
              <button type="button" className="link" onClick={() => show('accounts')}>
                Go to Accounts
              </button>
            </p>
          ) : (
            <p>
              The Digital Media Team registers the force&apos;s accounts (9.8); their health shows
              here once they have.
            </p>
          )}
        </div>
      ) : due.length === 0 ? (
        <p>Nothing is due. Every account meets the policy as far as the vault knows.</p>
      ) : (
        <table className="findings">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Clause</th>
              <th scope="col">Concerns</th>
              <th scope="col">Evidence</th>
              <th scope="col">What to do</th>
            </tr>
          </thead>
          <tbody>
            {due.map((f) => (
              <tr key={`${f.rule}:${f.subject.kind}:${f.subject.id}`}>
                <td>
                  <span className={`badge sev-${f.severity}`}>{SEVERITY_LABEL[f.severity]}</span>
                </td>
                <td>{f.clause}</td>
                <td>
                  {f.account ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        select(f.account);
                        show('accounts');
                      }}
                    >
                      {f.subject.label}
                    </button>
                  ) : (
                    f.subject.label
                  )}
                </td>
                <td>{f.evidence}</td>
                <td>{f.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TrendChart({ trend }: { trend: readonly { day: string; total: number }[] }) {
  const recent = trend.slice(-30);
  if (recent.length === 0) return null;
  const max = Math.max(1, ...recent.map((t) => t.total));
  const width = 600;
  const height = 120;
  // Bars stay narrow when few days are recorded, so one day does not fill the chart.
  const bar = Math.min(40, width / recent.length);
  const summary = recent.map((t) => `${t.day}: ${t.total}`).join('; ');
  return (
    <figure className="trend">
      <figcaption>Open findings by day (last {recent.length} days recorded)</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Findings by day. ${summary}`}>
        {recent.map((t, i) => {
          const h = Math.max(2, (t.total / max) * (height - 20));
          return (
            <g key={t.day}>
              <rect
                x={i * bar + 2}
                y={height - h}
                width={Math.max(2, bar - 4)}
                height={h}
                className="trend-bar"
              />
              <text
                x={i * bar + bar / 2}
                y={height - h - 4}
                textAnchor="middle"
                className="trend-label"
              >
                {t.total}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
