import { useEffect } from 'react';
import { call, REFUSED_EVENT } from './api.ts';
import { CHANGED_EVENT, LOCKED_EVENT } from '../shared/ipc/channels.ts';
import { useSession } from './stores/session.ts';
import { useLive } from './stores/live.ts';
import { Shell } from './components/Shell.tsx';
import { UnlockView } from './views/unlock/UnlockView.tsx';
import { VaultRefused } from './views/unlock/VaultRefused.tsx';

export function App() {
  const member = useSession((s) => s.member);
  const unlocked = useSession((s) => s.unlocked);
  const locked = useSession((s) => s.locked);
  const refusal = useSession((s) => s.refusal);
  const dismissRefusal = useSession((s) => s.dismissRefusal);
  const refused = useSession((s) => s.refused);

  useEffect(() => {
    const onRefused = (event: Event) => refused(String((event as CustomEvent<unknown>).detail));
    window.addEventListener(REFUSED_EVENT, onRefused);
    return () => window.removeEventListener(REFUSED_EVENT, onRefused);
  }, [refused]);

  // Main may have locked on its own (idle, suspend, screen lock): ask now and whenever the window
  // comes back into view, and leave nothing of the vault on screen once it has.
  useEffect(() => {
    const check = () => {
      call('vault.status', {})
        .then((status) => {
          if (status.member) unlocked(status.member);
          else if (useSession.getState().member)
            locked('Custodian locked itself while you were away.');
        })
        .catch(() => undefined);
    };
    check();
    const onVisible = () => {
      if (document.visibilityState === 'visible') check();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener(LOCKED_EVENT, check);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener(LOCKED_EVENT, check);
    };
  }, [unlocked, locked]);

  // Another workstation may have changed the vault (ADR 0033): main's event is only a hint, so
  // the core checks first (vault.refresh: kept checkpoint, chain, state); only a change it has
  // checked reloads the views. A refusal locks the vault and shows the refusal screen (api.ts).
  const changed = useLive((s) => s.changed);
  useEffect(() => {
    let asking = false;
    let again = false;
    const onChanged = () => {
      if (!useSession.getState().member) return;
      if (asking) {
        again = true;
        return;
      }
      asking = true;
      const ask = (): Promise<void> =>
        call('vault.refresh', {})
          .then((result) => {
            if (result.changed) changed();
          })
          .catch(() => undefined)
          .then(() => {
            if (!again) return;
            again = false;
            return ask();
          });
      void ask().finally(() => {
        asking = false;
      });
    };
    window.addEventListener(CHANGED_EVENT, onChanged);
    return () => window.removeEventListener(CHANGED_EVENT, onChanged);
  }, [changed]);

  if (refusal) return <VaultRefused message={refusal} onBack={dismissRefusal} />;
  return member ? <Shell member={member} /> : <UnlockView />;
}
