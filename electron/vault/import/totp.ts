import { Secret, URI } from 'otpauth';

/**
 * A TOTP secret as password managers export it, made into what the registry holds (the base32
 * secret; Custodian's codes are 6 digits, SHA-1, every 30 seconds, reveal.ts): an `otpauth://`
 * URI (KeePassXC's `otp` field and CSV column, Bitwarden's `login.totp`), bare base32 (Bitwarden,
 * older exports), or KeePassXC's older pair of fields "TOTP Seed" and "TOTP Settings" ("30;6").
 * A secret whose codes would differ from the platform's (another algorithm, length or period, a
 * Steam code, a counter-based HOTP) is refused for its entry rather than stored to show wrong
 * codes. No message here holds any part of the secret.
 */
export type TotpResult = { readonly secret: string } | { readonly error: string } | null;

/** Where a secret comes from: an imported entry, or one a member pasted to set (credential-extras). */
export type TotpSource = 'import' | 'set';

const UNSUPPORTED = (what: string, source: TotpSource = 'import') =>
  source === 'import'
    ? `TOTP: the source's codes are ${what}; Custodian's are 6 digits, SHA-1, every 30 seconds. Register this account's 2FA again on the platform and set its secret with \`custodian credential set\`, or remove the TOTP from the entry`
    : `TOTP: that link's codes are ${what}; Custodian's are 6 digits, SHA-1, every 30 seconds. Choose a standard authenticator app on the platform and paste the secret it shows`;

export function normaliseTotp(
  value: string,
  settings = '',
  source: TotpSource = 'import',
): TotpResult {
  const text = value.trim();
  if (text === '') return null;
  if (/^otpauth:\/\//i.test(text)) return fromUri(text, source);
  if (/^steam:\/\//i.test(text)) return { error: UNSUPPORTED('Steam codes', source) };
  const fromSettings = checkSettings(settings);
  if (fromSettings) return fromSettings;
  return fromBase32(text);
}

function fromUri(text: string, source: TotpSource): TotpResult {
  let parsed;
  try {
    parsed = URI.parse(text);
  } catch {
    return { error: 'TOTP: the otpauth URI cannot be read (it needs a base32 secret parameter)' };
  }
  if (!('period' in parsed)) return { error: UNSUPPORTED('counter-based (HOTP)', source) };
  const differs = [
    parsed.algorithm !== 'SHA1' ? parsed.algorithm : null,
    parsed.digits !== 6 ? `${parsed.digits} digits` : null,
    parsed.period !== 30 ? `every ${parsed.period} seconds` : null,
  ].filter((d) => d !== null);
  if (differs.length > 0) return { error: UNSUPPORTED(differs.join(', '), source) };
  return checked(parsed.secret);
}

/** KeePassXC's "TOTP Settings": "PERIOD;DIGITS" (or ";S" for Steam), optionally ";ALGORITHM". */
function checkSettings(settings: string): TotpResult {
  const text = settings.trim();
  if (text === '') return null;
  const [period, digits, algorithm] = text.split(';').map((part) => part.trim());
  if (digits?.toUpperCase() === 'S') return { error: UNSUPPORTED('Steam codes') };
  const differs = [
    algorithm && algorithm.toUpperCase().replace('-', '') !== 'SHA1' ? algorithm : null,
    digits && digits !== '6' ? `${digits} digits` : null,
    period && period !== '30' ? `every ${period} seconds` : null,
  ].filter((d) => d !== null);
  return differs.length > 0 ? { error: UNSUPPORTED(differs.join(', ')) } : null;
}

function fromBase32(text: string): TotpResult {
  const compact = text.replace(/[\s-]+/g, '').toUpperCase();
  if (!/^[A-Z2-7]+=*$/.test(compact)) {
    return { error: 'TOTP: not an otpauth URI or a base32 secret (letters A-Z and digits 2-7)' };
  }
  try {
    return checked(Secret.fromBase32(compact));
  } catch {
    return { error: 'TOTP: not an otpauth URI or a base32 secret (letters A-Z and digits 2-7)' };
  }
}

function checked(secret: Secret): TotpResult {
  // The same floor as `credential set` (credential-extras.ts): 80 bits.
  if (secret.bytes.length < 10) {
    return { error: 'TOTP: the secret is shorter than 16 base32 characters (80 bits)' };
  }
  return { secret: secret.base32 };
}
