import { describe, expect, it } from 'vitest';
import { isAllowedExternal } from '../../electron/main/security.ts';

/**
 * The attack: any member (every one holds K_vault) or anyone who can write the file sets an
 * account's profile URL to a page that looks like the platform's login, and waits for a colleague
 * to click it in the console. Main opens only allowlisted platform and guidance pages (the check
 * its window-open handler makes, re-exported from shared/external-links.ts for the console to show
 * anything else as plain text).
 */
describe('a profile URL that sends a member to a lookalike site (Electron checklist 14, 15)', () => {
  it("an account's profile on a platform the force uses opens, as does the guidance cited", () => {
    for (const url of [
      'https://x.com/NorfolkPolice',
      'https://www.facebook.com/SuffolkRoadsPolicing',
      'https://www.instagram.com/norfolkpolice/',
      'https://www.ncsc.gov.uk/collection/top-tips-for-staying-secure-online',
    ])
      expect(isAllowedExternal(url)).toBe(true);
  });

  it('a lookalike host, credentials in the URL, plain http, another scheme or a quoted allowlisted URL is refused', () => {
    for (const url of [
      'https://x.com.evil.example/NorfolkPolice',
      'https://x.com@evil.example/',
      'https://user:pass@x.com/NorfolkPolice',
      'http://x.com/NorfolkPolice',
      'javascript:alert(1)//https://x.com/',
      'https://evil.example/?next=https://x.com/',
      'file:///etc/passwd',
      'not a url',
    ])
      expect(isAllowedExternal(url)).toBe(false);
  });
});
