import { describe, expect, it } from 'vitest';
import { placeEntry } from '../../../electron/vault/import/placement.ts';

/** Where an entry from KeePass or Bitwarden belongs: from its URL or title, never a guess (9.8). */
describe('placing an entry by its URL or title', () => {
  it.each([
    ['https://x.com/NorfolkPolice', 'x', 'NorfolkPolice'],
    ['https://twitter.com/SuffolkPolice/', 'x', 'SuffolkPolice'],
    ['https://mobile.twitter.com/NorfolkRoads?lang=en', 'x', 'NorfolkRoads'],
    ['x.com/@BroadlandPolice', 'x', 'BroadlandPolice'],
    ['https://www.facebook.com/NorfolkConstabulary', 'facebook', 'NorfolkConstabulary'],
    ['https://m.facebook.com/suffolk.police', 'facebook', 'suffolk.police'],
    ['https://www.instagram.com/norfolkpolice/', 'instagram', 'norfolkpolice'],
    ['https://www.youtube.com/@NorfolkPoliceTV', 'youtube', 'NorfolkPoliceTV'],
    ['https://www.tiktok.com/@suffolkpolice', 'tiktok', 'suffolkpolice'],
    ['https://www.linkedin.com/company/norfolk-constabulary/', 'linkedin', 'norfolk-constabulary'],
    ['https://vimeo.com/norfolkpolice', 'vimeo', 'norfolkpolice'],
    ['https://www.threads.net/@norfolkpolice', 'threads', 'norfolkpolice'],
    ['https://nextdoor.co.uk/pages/norfolk-constabulary/', 'nextdoor', 'norfolk-constabulary'],
    ['https://nextdoor.com/agency-detail/uk/norwich/norfolk-police/', 'nextdoor', 'norfolk-police'],
  ])('%s is %s:%s', (url, platform, handle) => {
    expect(placeEntry({ url, title: 'anything' })).toEqual({ platform, handle });
  });

  it.each([
    ['x:NorfolkPolice', 'x', 'NorfolkPolice'],
    ['Twitter @SuffolkPolice', 'x', 'SuffolkPolice'],
    ['Instagram:@norfolkpolice', 'instagram', 'norfolkpolice'],
    ['tiktok: suffolkpolice', 'tiktok', 'suffolkpolice'],
  ])('the title %s is %s:%s when the URL does not say', (title, platform, handle) => {
    expect(placeEntry({ url: '', title })).toEqual({ platform, handle });
  });

  it('a login page names the platform but no account: the title may, and else it is an error', () => {
    expect(placeEntry({ url: 'https://twitter.com/login', title: 'x:NorfolkRoads' })).toEqual({
      platform: 'x',
      handle: 'NorfolkRoads',
    });
    const refused = placeEntry({
      url: 'https://twitter.com/login',
      title: 'Norfolk Twitter login',
    });
    expect(refused).toEqual({ error: expect.stringMatching(/URL is x but names no account/) });
  });

  it.each([
    ['https://www.youtube.com/watch?v=abc', 'Police videos'],
    ['https://www.youtube.com/NorfolkPolice', 'YouTube channel'],
    ['https://www.linkedin.com/in/someone', 'LinkedIn'],
    ['https://www.facebook.com/profile.php?id=100', 'Facebook page'],
    ['https://example.org/NorfolkPolice', 'Norfolk Police'],
    ['', 'Twitter login for the roads team'],
    ['', 'Facebook page'],
    ['', 'Instagram - norfolkpolice'],
    ['', ''],
    ['javascript:alert(1)', 'x'],
  ])('%s titled %j is not placed, and the error says what to set', (url, title) => {
    const placed = placeEntry({ url, title });
    expect(placed).toEqual({ error: expect.stringMatching(/https:\/\/x\.com\/NAME.*x:NAME/) });
  });

  it('a URL and a title that name different platforms is an error, not a choice', () => {
    expect(placeEntry({ url: 'https://www.instagram.com/', title: 'x:NorfolkPolice' })).toEqual({
      error: expect.stringMatching(/URL is instagram but the title says x/),
    });
  });
});
