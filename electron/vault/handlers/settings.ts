import {
  autoLockMinutes,
  defaultKeyDerivation,
  setAutoLockMinutes,
  setDefaultKeyDerivation,
} from '../domain/settings.ts';
import { thresholdsOf } from '../health/context.ts';
import { setHealthThresholds } from '../health/service.ts';
import type { HandlerContext, Handlers } from './types.ts';

/** Settings the lead sets: the auto-lock time, the health thresholds and the default key derivation. */
export function settingsHandlers(
  ctx: HandlerContext & { readonly onAutoLockChanged: (minutes: number) => void },
): Handlers<'settings'> {
  return {
    'settings.get': () => {
      const session = ctx.session();
      const thresholds = thresholdsOf(session);
      return {
        autoLockMinutes: autoLockMinutes(session),
        thresholds: { ...thresholds, forceEmailDomains: [...thresholds.forceEmailDomains] },
        keyDerivation: defaultKeyDerivation(session),
      };
    },
    'settings.set': (r) => {
      const session = ctx.session();
      if (r.autoLockMinutes !== undefined) {
        ctx.onAutoLockChanged(setAutoLockMinutes(session, r.autoLockMinutes));
      }
      if (r.thresholds !== undefined && Object.keys(r.thresholds).length > 0) {
        setHealthThresholds(session, r.thresholds);
      }
      if (r.keyDerivation !== undefined) setDefaultKeyDerivation(session, r.keyDerivation);
      return {};
    },
  };
}
