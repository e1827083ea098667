import { PLATFORMS, type Platform } from '../../../shared/domain/accounts.ts';

/**
 * Which registered account an entry from another password manager is: its platform and handle,
 * read from the entry's URL (a profile address names both) or, failing that, from a title written
 * as Custodian names accounts ("x:NorfolkPolice") or as "Platform @handle". Nothing else is taken
 * as an answer: an entry titled "Twitter login" is not placed, because a registry that holds the
 * wrong account's password is worse than one that asks (9.8). Pure, so it is table-tested.
 */
export type Placement =
  { readonly platform: Platform; readonly handle: string } | { readonly error: string };

/** Host (without "www." or "m.") to platform. */
const HOSTS: Readonly<Record<string, Platform>> = {
  'x.com': 'x',
  'twitter.com': 'x',
  'mobile.twitter.com': 'x',
  'facebook.com': 'facebook',
  'fb.com': 'facebook',
  'instagram.com': 'instagram',
  'youtube.com': 'youtube',
  'tiktok.com': 'tiktok',
  'linkedin.com': 'linkedin',
  'vimeo.com': 'vimeo',
  'threads.net': 'threads',
  'threads.com': 'threads',
  'nextdoor.com': 'nextdoor',
  'nextdoor.co.uk': 'nextdoor',
};

/** Words a title may use for a platform. */
const NAMES: Readonly<Record<string, Platform>> = {
  ...Object.fromEntries(PLATFORMS.filter((p) => p !== 'other').map((p) => [p, p])),
  twitter: 'x',
  fb: 'facebook',
  ig: 'instagram',
  yt: 'youtube',
};

/** First path segments that are a site's own pages, never an account. */
const NOT_ACCOUNTS = new Set([
  'login',
  'signup',
  'home',
  'i',
  'intent',
  'settings',
  'explore',
  'search',
  'hashtag',
  'share',
  'watch',
  'accounts',
  'business',
  'help',
  'feed',
  'news_feed',
  'profile.php',
  'pages',
  'groups',
]);

/** What a handle may be: the characters platforms allow in account names and page slugs. */
const HANDLE = /^[\p{L}\p{N}_.-]{1,100}$/u;

const WHAT_TO_SET =
  'give the entry the profile URL (such as https://x.com/NAME) or a title such as x:NAME';

export function placeEntry(entry: { readonly url: string; readonly title: string }): Placement {
  const fromUrl = placeUrl(entry.url);
  if (fromUrl?.handle !== undefined) return { platform: fromUrl.platform, handle: fromUrl.handle };
  const fromTitle = placeTitle(entry.title);
  if (fromTitle) {
    // A URL that names one platform and a title that names another: neither is taken.
    if (fromUrl && fromUrl.platform !== fromTitle.platform) {
      return {
        error: `the URL is ${fromUrl.platform} but the title says ${fromTitle.platform}: ${WHAT_TO_SET}`,
      };
    }
    return fromTitle;
  }
  if (fromUrl) {
    return {
      error: `the URL is ${fromUrl.platform} but names no account: ${WHAT_TO_SET}`,
    };
  }
  return { error: `cannot tell the platform and handle: ${WHAT_TO_SET}` };
}

/** The platform a URL is on, with the handle when the path names an account. */
export function placeUrl(
  url: string,
): { platform: Platform; handle?: undefined } | { platform: Platform; handle: string } | null {
  const text = url.trim();
  if (text === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const host = parsed.hostname.toLowerCase().replace(/^(www|m|mobile|web)\./, '');
  const platform = HOSTS[host] ?? HOSTS[`mobile.${host}`];
  if (!platform) return null;
  const segments = parsed.pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => safeDecode(s));
  const handle = handleFromPath(platform, segments);
  return handle && HANDLE.test(handle) ? { platform, handle } : { platform };
}

function handleFromPath(platform: Platform, segments: readonly string[]): string | undefined {
  const [first, second] = segments;
  if (first === undefined) return undefined;
  switch (platform) {
    // The account is the path's "@name" segment; a bare word is a page of the site.
    case 'youtube':
    case 'tiktok':
    case 'threads':
      return first.startsWith('@') ? first.slice(1) : undefined;
    case 'linkedin':
      return first === 'company' || first === 'showcase' ? second : undefined;
    case 'nextdoor':
      // nextdoor.co.uk/agency-detail/…/NAME/ or /pages/NAME/: the last segment names the page.
      return first === 'pages' || first.startsWith('agency') ? segments.at(-1) : undefined;
    default:
      return NOT_ACCOUNTS.has(first.toLowerCase()) ? undefined : first.replace(/^@/, '');
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * "x:NorfolkPolice" (how Custodian names accounts) or "Twitter @NorfolkPolice": a platform word and
 * one handle, marked as one by the colon or the "@". "Facebook page" is not a handle called "page".
 */
export function placeTitle(title: string): { platform: Platform; handle: string } | null {
  const match = /^\s*([A-Za-z]+)\s*(?::\s*@?|\s@)([^\s:@]+)\s*$/u.exec(title);
  if (!match) return null;
  const platform = NAMES[match[1]!.toLowerCase()];
  const handle = match[2]!;
  return platform && HANDLE.test(handle) ? { platform, handle } : null;
}
