import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIMEOUTS,
  serverError,
  translateParameters,
} from '../../../electron/vault/store/postgres/pg-connection.ts';
import { isServerUrl, redactServerUrl } from '../../../shared/vault-location.ts';
import { ErrorCode } from '../../../shared/errors.ts';

describe("the server connection's plumbing", () => {
  it('numbers ? and @name parameters as the server takes them, leaving quoted text alone', () => {
    expect(translateParameters('SELECT * FROM t WHERE a = ? AND b = ?').text).toBe(
      'SELECT * FROM t WHERE a = $1 AND b = $2',
    );
    const named = translateParameters("UPDATE t SET a = @a, b = '@b?' WHERE id = @id AND a <> @a");
    expect(named.text).toBe("UPDATE t SET a = $1, b = '@b?' WHERE id = $2 AND a <> $1");
    expect(named.names).toEqual(['a', 'id']);
    expect(translateParameters(`SELECT "we?ird" FROM t WHERE k = 'it''s ?' AND x = ?`).text).toBe(
      `SELECT "we?ird" FROM t WHERE k = 'it''s ?' AND x = $1`,
    );
  });

  it('knows a server URL from a file path, and never shows its password', () => {
    expect(isServerUrl('postgresql:///custodian?host=/run/postgresql&user=dmt')).toBe(true);
    expect(isServerUrl('postgres://host/db')).toBe(true);
    expect(isServerUrl('/home/dmt/team.vault')).toBe(false);
    expect(isServerUrl('postgresql.vault')).toBe(false);
    expect(redactServerUrl('postgresql://dmt:pa:ss%40w@db.force.local/custodian')).toBe(
      'postgresql://dmt:***@db.force.local/custodian',
    );
    expect(redactServerUrl('postgres:///c?host=/s&password=secret&user=u')).toBe(
      'postgres:///c?host=/s&password=***&user=u',
    );
    // libpq reads the password up to the last "@" (found in review: "p@ss" was half shown).
    expect(redactServerUrl('postgresql://dmt:p@ss@db/custodian')).toBe(
      'postgresql://dmt:***@db/custodian',
    );
    expect(redactServerUrl('postgresql://dmt@db/c?sslmode=verify-full&sslpassword=keypass')).toBe(
      'postgresql://dmt@db/c?sslmode=verify-full&sslpassword=***',
    );
    // libpq decodes a parameter's name before reading it (found in review: `pass%77ord=` is a
    // password the literal match missed, and pg-connection-string uses it as one).
    expect(redactServerUrl('postgresql://h/db?pass%77ord=s3cret&user=u')).toBe(
      'postgresql://h/db?pass%77ord=***&user=u',
    );
    expect(redactServerUrl('postgresql://h/db?%70assword=s3cret')).toBe(
      'postgresql://h/db?%70assword=***',
    );
    expect(redactServerUrl('postgresql://h/db?%zzpassword=s3cret')).toBe(
      'postgresql://h/db?%zzpassword=***',
    );
    expect(redactServerUrl('postgresql://h/db?application_name=passwords-team')).toBe(
      'postgresql://h/db?application_name=passwords-team',
    );
  });

  it('turns the server going away, a wait too long and a refused login into errors people can act on', () => {
    const where = 'postgresql://dmt:***@db/custodian';
    const gone = serverError({ code: 'ECONNREFUSED', message: 'connect' }, where, DEFAULT_TIMEOUTS);
    expect(gone).toMatchObject({ code: ErrorCode.STORAGE });
    expect(gone.message).toMatch(/cannot be reached \(ECONNREFUSED\); nothing was changed/);
    expect(serverError({ code: '55P03', message: 'lock' }, where, DEFAULT_TIMEOUTS)).toMatchObject({
      code: ErrorCode.IN_USE,
    });
    expect(serverError({ code: '57014', message: 'x' }, where, DEFAULT_TIMEOUTS).message).toMatch(
      /did not answer within 30 s/,
    );
    expect(serverError({ code: '28P01', message: 'x' }, where, DEFAULT_TIMEOUTS)).toMatchObject({
      code: ErrorCode.INVALID_INPUT,
    });
    // Anything else is a bug, reported as internal: it is no VaultError.
    expect(
      serverError({ code: '42P01', message: 'no table' }, where, DEFAULT_TIMEOUTS),
    ).toMatchObject({
      code: 'PG_42P01',
    });
  });
});
