import { useEffect, useState, type ReactNode } from 'react';
import {
  asTaskProgress,
  PROGRESS_EVENT,
  type ProgressTask,
  type TaskProgress,
} from '../../shared/ipc/channels.ts';

/**
 * The latest progress report main sent for `task` (export, verify or import), listened for while the view
 * is open. `restart()` forgets the last run's figure before a new one starts.
 */
export function useTaskProgress(task: ProgressTask): [TaskProgress | null, () => void] {
  const [progress, setProgress] = useState<TaskProgress | null>(null);
  useEffect(() => {
    const listener = (event: Event) => {
      const report = asTaskProgress((event as CustomEvent<unknown>).detail);
      if (report?.task === task) setProgress(report);
    };
    window.addEventListener(PROGRESS_EVENT, listener);
    return () => window.removeEventListener(PROGRESS_EVENT, listener);
  }, [task]);
  return [progress, () => setProgress(null)];
}

/**
 * A progress bar for a running export, verify or import: indeterminate until main's first report, then
 * "N of M entries". The live region says only that the task is running, once; a screen reader
 * reads the bar's value when asked, rather than hearing every percent.
 */
export function ProgressLine({
  label,
  progress,
  unit = 'entries',
  children,
}: {
  label: string;
  progress: TaskProgress | null;
  /** What the task counts: audit entries, or an import's rows. */
  unit?: string;
  children: ReactNode;
}) {
  return (
    <div className="task-progress">
      {progress ? (
        <progress aria-label={label} max={progress.total} value={progress.done} />
      ) : (
        <progress aria-label={label} />
      )}
      <span role="status">{children}</span>
      {progress && (
        <span className="task-count">
          {progress.done.toLocaleString('en-GB')} of {progress.total.toLocaleString('en-GB')} {unit}{' '}
          ({percent(progress)}%)
        </span>
      )}
    </div>
  );
}

function percent({ done, total }: TaskProgress): number {
  return total === 0 ? 100 : Math.floor((100 * done) / total);
}
