import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/**
 * The case file's fonts and what they can print (issue 16): DejaVu, shipped as an npm package
 * and embedded as a subset, covers Latin Extended, Greek and Cyrillic, so `Łukasz Wróbel`,
 * `Ŵyn Llŷr`, `Αλέξης` and `Дмитрий` print exactly. A character the font lacks (most emoji) is
 * printed as MISSING_GLYPH_MARKER, never dropped or turned silently into `?`, and the cover page
 * says how many were replaced, so a reader knows the PDF is not the whole text. The JSON Lines
 * bundle stays the exact record.
 */
export const MISSING_GLYPH_MARKER = '\uFFFD';

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  mono: 'dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf',
} as const;
export type FontName = keyof typeof FONT_FILES;

const fontBytes = new Map<FontName, Uint8Array>();
function bytesOf(name: FontName): Uint8Array {
  let bytes = fontBytes.get(name);
  if (!bytes) fontBytes.set(name, (bytes = readFileSync(require.resolve(FONT_FILES[name]))));
  return bytes;
}

const NO_SHAPING = {
  ccmp: false,
  locl: false,
  mark: false,
  mkmk: false,
  kern: false,
  liga: false,
  clig: false,
  calt: false,
  rlig: false,
} as const;

export interface CaseFileFonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly mono: PDFFont;
}

/** Width of a text in points: what the table's line wrapping measures with. */
export type TextWidth = (text: string, size: number) => number;

/**
 * A width from each character's advance, cached per character. pdf-lib's own measure runs a full
 * OpenType layout for every call, which made a 20,000-entry case file twelve times slower than
 * with the standard fonts; the table only needs to know where a line must break.
 */
export function textWidthFor(name: FontName): TextWidth {
  const font = fontkit.create(bytesOf(name));
  const advances = new Map<number, number>();
  const scale = 1 / font.unitsPerEm;
  return (text, size) => {
    let units = 0;
    for (let i = 0; i < text.length; i += 1) {
      const codePoint = text.codePointAt(i)!;
      if (codePoint > 0xffff) i += 1;
      let advance = advances.get(codePoint);
      if (advance === undefined) {
        advance = font.glyphForCodePoint(codePoint).advanceWidth;
        advances.set(codePoint, advance);
      }
      units += advance;
    }
    return units * scale * size;
  };
}

export async function embedCaseFileFonts(pdf: PDFDocument): Promise<CaseFileFonts> {
  pdf.registerFontkit(fontkit);
  // No OpenType shaping: Latin, Greek and Cyrillic need none once text is composed (NFC, below),
  // and shaping every line made a large case file several times slower to write.
  const embed = (name: FontName) =>
    pdf.embedFont(bytesOf(name), { subset: true, features: NO_SHAPING });
  const [regular, bold, mono] = await Promise.all([embed('regular'), embed('bold'), embed('mono')]);
  return { regular, bold, mono };
}

/** Joiners and variation selectors print nothing; they are judged with the character they join. */
function invisible(codePoint: number): boolean {
  return (
    codePoint === 0x200c || codePoint === 0x200d || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)
  );
}
// Line breaks and tabs are spacing; other control characters have no glyph to print.
const SPACING = /[\t\n\r\v\f\u2028\u2029]/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Turns text into what the regular font can print, counting what it had to replace. One marker
 * stands for one user-perceived character (a grapheme: an emoji with its skin tone, or a family
 * joined by ZWJ, is one replacement, not four).
 */
export class PrintableText {
  #replaced = 0;
  readonly #font = fontkit.create(bytesOf('regular'));
  readonly #segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
  readonly #cache = new Map<string, boolean>();

  /** How many characters were replaced by the marker so far. */
  get replaced(): number {
    return this.#replaced;
  }

  of(text: string): string {
    // Composed (NFC), so an accent typed as a combining mark prints on its letter without shaping.
    const spaced = text.normalize('NFC').replace(SPACING, ' ');
    // Most of a trail is plain ASCII, which the font has whole.
    if (PRINTABLE_ASCII.test(spaced)) return spaced;
    let out = '';
    for (const { segment } of this.#segmenter.segment(spaced)) {
      if (this.#printable(segment)) {
        out += segment;
      } else {
        out += MISSING_GLYPH_MARKER;
        this.#replaced += 1;
      }
    }
    return out;
  }

  #printable(grapheme: string): boolean {
    let known = this.#cache.get(grapheme);
    if (known === undefined) {
      known = Array.from(grapheme).every((char) => {
        const codePoint = char.codePointAt(0)!;
        if (invisible(codePoint)) return true;
        // C0 and C1 controls have no glyph; the font's .notdef box would hide what was there.
        if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return false;
        return this.#font.hasGlyphForCodePoint(codePoint);
      });
      this.#cache.set(grapheme, known);
    }
    return known;
  }
}
