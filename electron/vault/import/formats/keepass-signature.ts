/**
 * How a KeePass database or KeePassXC XML export is recognised, apart from the reader
 * (keepass.ts): telling the format costs a byte comparison, while loading kdbxweb costs every
 * command that never imports a database tens of milliseconds (issue 17).
 */
const KDBX_SIGNATURE = Buffer.from([0x03, 0xd9, 0xa2, 0x9a]);

export function looksLikeKdbx(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && Buffer.from(bytes.subarray(0, 4)).equals(KDBX_SIGNATURE);
}

export function looksLikeKeePassXml(text: string): boolean {
  return /^\s*(<\?xml[^>]*\?>\s*)?<KeePassFile[\s>]/.test(text.replace(/^\uFEFF/, ''));
}
