/**
 * A vault named by a PostgreSQL URL (issue 14): `postgresql://` or `postgres://`, libpq's own
 * forms, a Unix socket one included (`postgresql:///custodian?host=/run/postgresql&user=dmt`).
 * Anything else names a vault file.
 */
export function isServerUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * The URL as it may be shown: in an error, a log, the console. A password in it (`user:secret@`,
 * or `password=` in its query) is replaced, so no message ever carries a database credential.
 */
export function redactServerUrl(url: string): string {
  // The user information ends at the LAST "@" before the host (libpq reads "p@ss" whole in
  // `user:p@ss@host`); every `…password=` parameter (sslpassword too) is a credential.
  return url
    .replace(/^(postgres(?:ql)?:\/\/)([^/?#]*)@/i, (_, scheme: string, info: string) => {
      const colon = info.indexOf(':');
      return colon === -1 ? `${scheme}${info}@` : `${scheme}${info.slice(0, colon)}:***@`;
    })
    .replace(/([?&;])([^=&#;]*)=([^&#;]*)/g, (whole, start: string, name: string) =>
      isPasswordParameter(name) ? `${start}${name}=***` : whole,
    );
}

/**
 * libpq decodes a parameter's name before it reads it, so `pass%77ord=` is a password too
 * (review finding): the name is decoded first, and one that cannot be decoded is redacted.
 */
function isPasswordParameter(name: string): boolean {
  try {
    return /password$/i.test(decodeURIComponent(name.replace(/\+/g, ' ')));
  } catch {
    return true;
  }
}
