/**
 * The only external pages a link in the app may open, in the system browser (Electron checklist
 * 14, 15): guidance the console cites, and the platforms' own sites, so an account's profile URL
 * opens as a link. Main's window-open handler decides with `isAllowedExternal`; the renderer uses
 * the same rule only to choose between a link and plain text.
 */
export const EXTERNAL_ALLOWLIST: readonly string[] = [
  'https://www.ncsc.gov.uk/',
  'https://pages.nist.gov/800-63-3/',
  // The platforms the force runs accounts on (policy 3.3, 9.1; shared/domain/accounts.ts PLATFORMS).
  'https://x.com/',
  'https://twitter.com/',
  'https://www.facebook.com/',
  'https://facebook.com/',
  'https://www.instagram.com/',
  'https://instagram.com/',
  'https://vimeo.com/',
  'https://www.youtube.com/',
  'https://www.linkedin.com/',
  'https://www.tiktok.com/',
  'https://www.threads.net/',
  'https://www.threads.com/',
  'https://nextdoor.co.uk/',
];

/**
 * Whether a URL may be opened outside: https, no user name or password in it (a lookalike such as
 * `https://x.com@evil.example/` names evil.example's host), and its origin and path starting with
 * an allowlisted prefix. The URL is parsed, not compared as text, so `https://x.com.evil.example/`
 * and `https://evil.example/?https://x.com/` are refused.
 */
export function isAllowedExternal(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '')
    return false;
  const place = `${parsed.origin}${parsed.pathname}`;
  return EXTERNAL_ALLOWLIST.some((prefix) => place.startsWith(prefix));
}
