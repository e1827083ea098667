import { roleMayCall, type ResponseOf } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { FindingSubject } from './FindingSubject.tsx';
import { MOST_URGENT_FIRST, SEVERITY_LABEL } from './severity.ts';
import { PlanAhead } from './PlanAhead.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import { useSession } from '../../stores/session.ts';
import { useLive } from '../../stores/live.ts';
import { QuietPeriods } from './QuietPeriods.tsx';
import { findingScreen } from './finding-screens.ts';

/** Health against the Digital and Social Media Policy: what is wrong, where it comes from, what to do. */
export function DashboardView() {
  // The first screen: one sealed summary, quick at any size of the registry (issue 17, ADR 0027).
  // Loaded again when another workstation's change has been checked (ADR 0033).
  const revision = useLive((s) => s.revision);
  const [summary, reloadSummary] = useLoad(() => call('dashboard.get', {}), String(revision));
  if (summary.state !== 'ready') return <Status load={summary} />;
  return <Dashboard summary={summary.value} onChanged={reloadSummary} />;
}

/** Resolves once the screen as it stands has been painted (a frame, then a task after it). */
const afterPaint = () =>
  new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

function Dashboard({
  summary,
  onChanged,
}: {
  summary: ResponseOf<'dashboard.get'>;
  onChanged: () => void;
}) {
  // Health evaluates every rule over the whole registry: asked for once the summary is on screen,
  // so the first paint never waits for it.
  const revision = useLive((s) => s.revision);
  const [health, reloadHealth] = useLoad(
    () => afterPaint().then(() => call('dashboard.health', {})),
    String(revision),
  );
  const role = useSession((s) => s.member?.role);
  const mayDeclare = role !== undefined && roleMayCall(role, 'quiet.declare');
  const mayRegister = role !== undefined && roleMayCall(role, 'accounts.create');
  const show = useSession((s) => s.show);
  const { accounts, openIncidents, quietPeriods } = summary;
  const counts = health.state === 'ready' ? health.value.counts : undefined;
  const trend = health.state === 'ready' ? health.value.trend : summary.trend;
  const changed = () => {
    onChanged();
    reloadHealth();
  };

  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <ul className="tiles" aria-label="Findings by severity" aria-busy={counts === undefined}>
        {MOST_URGENT_FIRST.map((severity) => (
          <li key={severity} className={`tile sev-${severity}`}>
            <span className="tile-count">{counts ? counts[severity] : '…'}</span>
            <span className="tile-label">{SEVERITY_LABEL[severity]}</span>
          </li>
        ))}
        <li className="tile">
          <span className="tile-count">{accounts}</span>
          <span className="tile-label">Accounts registered</span>
        </li>
      </ul>
      <QuietPeriods inForce={quietPeriods} mayDeclare={mayDeclare} onChanged={changed} />
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
      {health.state !== 'ready' ? (
        health.state === 'loading' ? (
          <p aria-live="polite">Checking every account against the policy…</p>
        ) : (
          <Status load={health} />
        )
      ) : (
        <DueThisWeek
          health={health.value}
          accounts={accounts}
          mayRegister={mayRegister}
          show={show}
        />
      )}
      {accounts > 0 && <PlanAhead today={counts} />}
    </section>
  );
}

function DueThisWeek({
  health,
  accounts,
  mayRegister,
  show,
}: {
  health: ResponseOf<'dashboard.health'>;
  accounts: number;
  mayRegister: boolean;
  show: (view: 'accounts') => void;
}) {
  const { due, dueTotal } = health;
  return (
    <>
      <h2>Due this week ({dueTotal})</h2>
      {due.length < dueTotal && (
        <p>
          The {due.length} most urgent are shown; each account&apos;s findings are on it in{' '}
          <button type="button" className="link" onClick={() => show('accounts')}>
            Accounts
          </button>
          .
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
                  <FindingSubject finding={f} />
                </td>
                <td>{f.evidence}</td>
                <td>
                  {f.action} <FindingLink finding={f} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The console screen that does what a finding asks (issue 15: no CLI command on the dashboard). */
function FindingLink({ finding }: { finding: Parameters<typeof findingScreen>[0] }) {
  const show = useSession((s) => s.show);
  const select = useSession((s) => s.select);
  const screen = findingScreen(finding);
  if (!screen) return null;
  return (
    <button
      type="button"
      className="link"
      onClick={() => {
        if (screen.account) select(finding.account);
        show(screen.view);
      }}
    >
      {screen.label}
    </button>
  );
}

/** The chart's drawing box, in SVG units; the margins hold the axes' labels. */
const CHART = { width: 600, height: 150, left: 48, bottom: 24, top: 16 } as const;

/**
 * Open findings by day (issue 15: dates and an axis, legible at 30 days and four-digit counts).
 * The value axis has three ticks (0, half, the highest); about six dates are named along the
 * bottom; a bar's own count is written on it only where it fits, and always on the latest day.
 * The whole series is in the image's accessible name, day by day.
 */
function TrendChart({ trend }: { trend: readonly { day: string; total: number }[] }) {
  const recent = trend.slice(-30);
  if (recent.length === 0) return null;
  const top = niceCeiling(Math.max(1, ...recent.map((t) => t.total)));
  const plotWidth = CHART.width - CHART.left;
  const plotHeight = CHART.height - CHART.bottom - CHART.top;
  // Bars stay narrow when few days are recorded, so one day does not fill the chart.
  const bar = Math.min(40, plotWidth / recent.length);
  const y = (value: number) => CHART.top + plotHeight - (value / top) * plotHeight;
  const everyNth = Math.max(1, Math.ceil(recent.length / 6));
  const count = (n: number) => n.toLocaleString('en-GB');
  // A count fits over its bar at about 7 units a digit.
  const countsFit = bar >= count(top).length * 7 + 4;
  const summary = recent.map((t) => `${t.day}: ${count(t.total)}`).join('; ');
  return (
    <figure className="trend">
      <figcaption>
        Open findings by day (last {recent.length} {recent.length === 1 ? 'day' : 'days'} recorded)
      </figcaption>
      <svg
        viewBox={`0 0 ${CHART.width} ${CHART.height}`}
        role="img"
        aria-label={`Open findings by day. ${summary}`}
      >
        {[0, top / 2, top].map((tick) => (
          <g key={tick} className="trend-axis">
            <line x1={CHART.left} x2={CHART.width} y1={y(tick)} y2={y(tick)} />
            <text x={CHART.left - 6} y={y(tick) + 4} textAnchor="end">
              {count(tick)}
            </text>
          </g>
        ))}
        {recent.map((t, i) => {
          const x = CHART.left + i * bar;
          const last = i === recent.length - 1;
          return (
            <g key={t.day}>
              <rect
                x={x + 2}
                y={Math.min(y(t.total), y(0) - 2)}
                width={Math.max(2, bar - 4)}
                height={Math.max(2, y(0) - y(t.total))}
                className="trend-bar"
              />
              {(countsFit || last) && (
                <text
                  x={last && !countsFit ? x + bar - 2 : x + bar / 2}
                  y={Math.min(y(t.total), y(0) - 2) - 4}
                  textAnchor={last && !countsFit ? 'end' : 'middle'}
                  className="trend-label"
                >
                  {count(t.total)}
                </text>
              )}
              {((i % everyNth === 0 && recent.length - 1 - i >= everyNth / 2) || last) && (
                <text
                  x={x + bar / 2}
                  y={CHART.height - 6}
                  textAnchor={last ? 'end' : 'middle'}
                  className="trend-date"
                >
                  {t.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** A round number at or above `n` for the top of the axis: 1, 2 or 5 times a power of ten. */
function niceCeiling(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= n) ?? 10 * power;
}
