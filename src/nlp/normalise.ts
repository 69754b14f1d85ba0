/**
 * Text as it is stored on a case: Unicode NFC, no control characters except line breaks and tabs,
 * no runs of blank space. The meaning-preserving part of normalisation; the classifier's folding
 * (case, Latin↔Cyrillic, keyboard substitutions) works on a copy and never changes what the person wrote.
 */
export function normaliseText(input: string): string {
  return (
    input
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      // C0/C1 controls, zero-width and bidi overrides: invisible, and a tool for spoofing.
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '')
      .replace(/[ \t\u00A0]+/g, ' ')
      .replace(/ *\n */g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}
