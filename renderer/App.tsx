import { useEffect } from 'react';
import { call, REFUSED_EVENT } from './api.ts';
import { LOCKED_EVENT } from '../shared/ipc/channels.ts';
import { useSession } from './stores/session.ts';
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

  if (refusal) return <VaultRefused message={refusal} onBack={dismissRefusal} />;
  return member ? <Shell member={member} /> : <UnlockView />;
}
