import { describe, expect, it } from 'vitest';
import { normaliseTotp } from '../../../electron/vault/import/totp.ts';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP';

describe('a TOTP secret as password managers export it', () => {
  it.each([
    [`otpauth://totp/X:roads?secret=${SECRET}&issuer=X`],
    [`otpauth://totp/X:roads?secret=${SECRET}&period=30&digits=6&algorithm=SHA1`],
    [SECRET.toLowerCase()],
    ['JBSW Y3DP EHPK 3PXP JBSW Y3DP'],
  ])('%s is the base32 secret', (value) => {
    expect(normaliseTotp(value)).toEqual({ secret: SECRET });
  });

  it("KeePassXC's older TOTP Seed with TOTP Settings 30;6 is read; other settings are refused", () => {
    expect(normaliseTotp(SECRET, '30;6')).toEqual({ secret: SECRET });
    expect(normaliseTotp(SECRET, '60;8')).toEqual({
      error: expect.stringMatching(/8 digits, every 60 seconds/),
    });
    expect(normaliseTotp(SECRET, '30;S')).toEqual({ error: expect.stringMatching(/Steam/) });
  });

  it.each([
    [`otpauth://totp/X:a?secret=${SECRET}&algorithm=SHA256`, /SHA256/],
    [`otpauth://totp/X:a?secret=${SECRET}&digits=8`, /8 digits/],
    [`otpauth://totp/X:a?secret=${SECRET}&period=60`, /every 60 seconds/],
    [`otpauth://hotp/X:a?secret=${SECRET}&counter=1`, /HOTP/],
    ['otpauth://totp/X:a?issuer=X', /cannot be read/],
    ['not a secret!', /not an otpauth URI or a base32 secret/],
    ['JBSWY3DP', /shorter than 16/],
  ])('%s is refused, saying why, without the secret', (value, why) => {
    const result = normaliseTotp(value);
    expect(result).toEqual({ error: expect.stringMatching(why) });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('an empty field is no TOTP', () => {
    expect(normaliseTotp('  ')).toBeNull();
  });
});
