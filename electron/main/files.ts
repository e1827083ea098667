import type { BrowserWindow, Dialog, FileFilter } from 'electron';
import type { FileChooser, FilePurpose } from '../vault/file-handles.ts';

const VAULT_FILTERS: FileFilter[] = [
  { name: 'Custodian vault', extensions: ['vault'] },
  { name: 'All files', extensions: ['*'] },
];

const IMPORT_FILTERS: FileFilter[] = [
  { name: 'KeePass, Bitwarden or CSV', extensions: ['kdbx', 'xml', 'json', 'csv'] },
  { name: 'All files', extensions: ['*'] },
];

const TITLES: Record<FilePurpose, string> = {
  'open-vault': 'Open a Custodian vault',
  'new-vault': 'Create a Custodian vault',
  export: 'Export the audit trail',
  'import-source': 'Import accounts from a file',
  backup: 'Back up the vault to a new file',
};

/**
 * The system's open and save dialogs, parented to the app window. The chosen path stays in main:
 * the router gives the renderer an opaque handle for it (file-handles.ts), never the path, and
 * never any of the file's content. An existing export destination is not confirmed here: the
 * export refuses it and the console asks, so there is one question and it comes from Custodian.
 */
export function dialogChooser(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  window: () => BrowserWindow | null,
): FileChooser {
  return {
    kind: 'dialog',
    async choose(purpose, extension) {
      const parent = window();
      if (!parent) return null;
      if (purpose === 'open-vault' || purpose === 'import-source') {
        const picked = await dialog.showOpenDialog(parent, {
          title: TITLES[purpose],
          properties: ['openFile'],
          filters: purpose === 'open-vault' ? VAULT_FILTERS : IMPORT_FILTERS,
        });
        return picked.canceled ? null : (picked.filePaths[0] ?? null);
      }
      const ext =
        purpose === 'new-vault' || purpose === 'backup' ? 'vault' : (extension ?? 'jsonl');
      const picked = await dialog.showSaveDialog(parent, {
        title: TITLES[purpose],
        defaultPath:
          purpose === 'new-vault'
            ? 'team.vault'
            : purpose === 'backup'
              ? `custodian-backup-${new Date().toISOString().slice(0, 10)}.vault`
              : ext === 'json'
                ? 'audit-evidence.json'
                : `audit-trail.${ext}`,
        filters: [{ name: ext.toUpperCase(), extensions: [ext] }],
        properties: ['createDirectory'],
      });
      return picked.canceled || picked.filePath === '' ? null : picked.filePath;
    },
  };
}
