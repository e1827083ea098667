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
  return url
    .replace(/^(postgres(?:ql)?:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}
