/**
 * Text as it is stored on a case: Unicode NFC, no control characters except line breaks and tabs,
 * no runs of blank space. The meaning-preserving part of normalisation; the classifier's folding
 * (case, Latin↔Cyrillic, keyboard substitutions) works on a copy and never changes what the person wrote.
 */
export function normaliseText(input: string): string {
  const text =
    input
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      // C0/C1 controls, zero-width spaces, direction marks and overrides: invisible, and a tool for spoofing.
      // ZWNJ/ZWJ (U+200C/D) stay: emoji sequences and some scripts need them.
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '')
      .replace(/[ \t\u00A0]+/g, ' ')
      .replace(/ *\n */g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  // Joiners alone are not text: a message of nothing visible is empty.
  return /[^\p{Cf}\s]/u.test(text) ? text : '';
}
