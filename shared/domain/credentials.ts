/** The fields of a credential a reveal may show (9.8: what is needed to recover the account). */
export const REVEAL_FIELDS = ['password', 'username', 'recovery-codes'] as const;
export type RevealField = (typeof REVEAL_FIELDS)[number];

/** What a member asked for when a credential was refused them (issue 11: attempts are recorded). */
export const REFUSED_ASKS = ['reveal', 'copy', 'totp'] as const;
export type RefusedAsk = (typeof REFUSED_ASKS)[number];
