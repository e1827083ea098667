import { hmacSha256, toHex, utf8 } from '../crypto/hash.ts';
import { randomBytes } from '../crypto/random.ts';
import { SecretBytes } from '../crypto/secret-bytes.ts';
import type { VaultSession } from '../session.ts';

/**
 * The passwords this session's generator handed out, so a rotation to one of them stores the
 * strength its generation gives (its entropy) instead of running zxcvbn (issue 17: zxcvbn was
 * 44 ms of a 51 ms rotation). The member sets the password on the platform between generating it
 * and saving the rotation, so the core must recognise it when it comes back.
 *
 * Only a keyed hash is kept, under a random key that lives as long as the session: the passwords
 * themselves are not held, and without the key the hashes test no guess. A claim from the caller
 * ("this one was generated") is never taken: only what the core itself generated counts, so a
 * typed weak password cannot pass as strong.
 */
interface Generated {
  readonly key: SecretBytes;
  /** Keyed hash → score, oldest first. */
  readonly scores: Map<string, number>;
}

/** A member generates a few candidates at most before saving one; older ones are forgotten. */
const HELD = 16;

const bySession = new WeakMap<VaultSession, Generated>();

function generatedFor(session: VaultSession): Generated {
  let generated = bySession.get(session);
  if (!generated) {
    const held: Generated = { key: new SecretBytes(randomBytes(32)), scores: new Map() };
    session.whenClosed(() => {
      held.key.wipe();
      held.scores.clear();
    });
    bySession.set(session, (generated = held));
  }
  return generated;
}

const tag = (generated: Generated, password: string): string =>
  toHex(hmacSha256(generated.key.reveal(), utf8(password)));

/** Note that the generator gave `password`, whose strength from its parameters is `score`. */
export function rememberGenerated(session: VaultSession, password: string, score: number): void {
  const generated = generatedFor(session);
  generated.scores.set(tag(generated, password), score);
  for (const oldest of generated.scores.keys()) {
    if (generated.scores.size <= HELD) break;
    generated.scores.delete(oldest);
  }
}

/**
 * The strength of `password` if this session generated it, forgotten as it is answered: a second
 * account given the same password is reuse, and is scored like a typed one.
 */
export function takeGeneratedStrength(session: VaultSession, password: string): number | undefined {
  const generated = bySession.get(session);
  if (!generated || session.closed) return undefined;
  const key = tag(generated, password);
  const score = generated.scores.get(key);
  generated.scores.delete(key);
  return score;
}

/**
 * Whether this session's generator gave `password` and a rotation has not yet taken it: the one
 * thing `generator.copy` will place on the clipboard, so that channel cannot be used to put any
 * text a page chooses there.
 */
export function wasGenerated(session: VaultSession, password: string): boolean {
  const generated = bySession.get(session);
  if (!generated || session.closed) return false;
  return generated.scores.has(tag(generated, password));
}
