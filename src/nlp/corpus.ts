/**
 * The corpus's shape (data/corpus/README.md) and its parsing: one JSON object per line. Pure: the caller
 * reads the files.
 */
import { z } from 'zod';
import { caseKinds, urgencies } from '../core/model.ts';

export const corpusEntrySchema = z
  .object({
    text: z.string().min(1),
    category: z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/),
    subcategory: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/).optional(),
    kind: z.enum(caseKinds),
    urgency: z.enum(urgencies),
    language: z.enum(['kk', 'ru', 'en', 'mixed']),
    script: z.enum(['cyrl', 'latn', 'mixed']),
    relevant: z.boolean(),
    /** Held-out only: the same message in Cyrillic and in Latin Kazakh share a pair id. */
    pair: z.string().optional(),
  })
  .strict();

export type CorpusEntry = z.output<typeof corpusEntrySchema>;

export interface ParsedCorpus {
  entries: CorpusEntry[];
  problems: string[];
}

/** Parses JSONL; each bad line is a problem naming its file and line, never an exception. */
export function parseCorpus(file: string, content: string): ParsedCorpus {
  const entries: CorpusEntry[] = [];
  const problems: string[] = [];
  content.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push(`${file}:${i + 1}: not JSON`);
      return;
    }
    const parsed = corpusEntrySchema.safeParse(json);
    if (parsed.success) entries.push(parsed.data);
    else problems.push(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
  });
  return { entries, problems };
}

/** A text reduced to its letters, for finding duplicates that differ only in case, spacing or punctuation. */
export const duplicateKey = (text: string): string => text.toLowerCase().replace(/[^\p{L}]/gu, '');
