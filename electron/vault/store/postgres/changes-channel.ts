/**
 * The PostgreSQL notification channel every write transaction notifies on as it commits, and that
 * a console listens on for other workstations' changes (ADR 0033). One database holds one vault;
 * the payload names the vault anyway, so a listener can ignore what is not its own.
 */
export const CHANGES_CHANNEL = 'custodian_vault_changed';

/** What a notification carries: the vault's id and its log head's commit count. */
export interface ChangeNotice {
  readonly vault: string;
  readonly head: number;
}

/** The longest payload a listener reads: a vault id and a number fit in far less. */
const MAX_PAYLOAD = 200;

/**
 * A notification's payload as a ChangeNotice, or undefined if it is anything else. It is not
 * authenticated (the server's operator, or any role that may connect, can send one): whatever it
 * says only makes the console look again, and what it looks at is checked as at an open.
 */
export function parseChangeNotice(payload: string | undefined): ChangeNotice | undefined {
  if (payload === undefined || payload.length > MAX_PAYLOAD) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { vault, head } = value as Record<string, unknown>;
  if (typeof vault !== 'string' || !Number.isSafeInteger(head) || (head as number) < 0) {
    return undefined;
  }
  return { vault, head: head as number };
}
