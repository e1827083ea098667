/** The file formats `account import` and the console's import read, in the order detection tries them. */
export const IMPORT_FORMATS = [
  'kdbx',
  'keepassxc-xml',
  'bitwarden-json',
  'keepassxc-csv',
  'bitwarden-csv',
  'custodian-csv',
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const FORMAT_NAMES: Readonly<Record<ImportFormat, string>> = {
  kdbx: 'KeePass database (KDBX 3.1 or 4)',
  'keepassxc-xml': 'KeePassXC XML export',
  'bitwarden-json': 'Bitwarden JSON export (plain or password-protected)',
  'keepassxc-csv': 'KeePassXC CSV export',
  'bitwarden-csv': 'Bitwarden CSV export',
  'custodian-csv': "Custodian's registration CSV",
};
