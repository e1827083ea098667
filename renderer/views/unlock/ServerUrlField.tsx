import { isServerUrl, redactServerUrl } from '../../../shared/vault-location.ts';

/**
 * What is wrong with a typed team server URL, or null (issue 14). The same rule as the contract's
 * (shared/ipc/contract/vault.ts), checked here first so that a password typed into the URL never
 * leaves the window's form, and said in words that say what to do.
 */
export function serverUrlProblem(url: string): string | null {
  const text = url.trim();
  if (text === '') return 'Type the team server URL.';
  if (!isServerUrl(text)) {
    return 'A team server URL starts postgresql:// (for example postgresql://db.force.local/custodian).';
  }
  if (redactServerUrl(text) !== text) {
    return 'Leave the password out of the URL: Custodian never holds a database password. Put it in ~/.pgpass on this workstation (or PGPASSWORD), as for psql, and type the URL without it.';
  }
  return null;
}

/**
 * The Team server tab's field: a libpq-style URL, a Unix-socket one included. The database's
 * password is never typed here; the connection takes it from ~/.pgpass or PGPASSWORD, as libpq
 * does, so nothing the window shows or remembers can hold it.
 */
export function ServerUrlField({
  id,
  value,
  onChange,
  creating,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  creating: boolean;
}) {
  return (
    <>
      <label htmlFor={id}>Team server URL</label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="postgresql://db.force.local/custodian"
        autoComplete="off"
        spellCheck={false}
        inputMode="url"
        aria-describedby={`${id}-hint`}
        required
      />
      <p id={`${id}-hint`} className="hint server-hint">
        {creating
          ? 'An empty PostgreSQL database the new vault is made in, as custodian init does. '
          : 'The PostgreSQL database the team shares. '}
        A Unix socket works too: postgresql:///custodian?host=/run/postgresql. No password here: it
        comes from ~/.pgpass or PGPASSWORD, as for psql.
      </p>
    </>
  );
}
