/**
 * A knowledge-base article: a short, hand-written answer to a question people often ask (how to get a
 * certificate, what to do when bullied, when the heating comes on), in Kazakh, Russian and English, for
 * one audience. Articles are data (data/knowledge/); this is their shape and the checks every file passes.
 */
import { z } from 'zod';
import { languages, type Language } from '../core/model.ts';

export const audiences = ['citizen', 'child', 'operator'] as const;
export type Audience = (typeof audiences)[number];

export type Texts = Readonly<Record<Language, string>>;

export interface Article {
  /** Stable, URL-safe: lower-case letters, digits and hyphens. */
  id: string;
  topic: string;
  audience: Audience;
  /** Taxonomy codes (data/taxonomy.json) the article answers. */
  categories: readonly string[];
  title: Texts;
  body: Texts;
  /** Words people use for the question that the text itself may not contain (synonyms, slang). */
  keywords: Readonly<Record<Language, readonly string[]>>;
}

export interface Topic {
  code: string;
  names: Texts;
}

export const ARTICLE_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

const texts = (min: number, max: number) =>
  z.object({ kk: z.string().trim().min(min).max(max), ru: z.string().trim().min(min).max(max), en: z.string().trim().min(min).max(max) }).strict();

const articleSchema = z
  .object({
    id: z.string().regex(ARTICLE_ID),
    topic: z.string().min(1).max(60),
    audience: z.enum(audiences),
    categories: z.array(z.string()).min(1).max(6),
    title: texts(3, 160),
    body: texts(40, 4_000),
    keywords: z.object({ kk: z.array(z.string().min(2)).max(30), ru: z.array(z.string().min(2)).max(30), en: z.array(z.string().min(2)).max(30) }).strict(),
  })
  .strict();

const topicSchema = z.object({ code: z.string().min(1).max(60), names: texts(2, 80) }).strict();

export const articleFileSchema = z.object({ articles: z.array(articleSchema).min(1) }).strict();
export const topicsFileSchema = z.object({ topics: z.array(topicSchema).min(1) }).strict();

/**
 * Cross-checks of a whole knowledge base: unique ids, known topics and taxonomy codes, three different
 * languages (a copy pasted into another language's slot is a mistake, not a translation).
 */
export function checkKnowledgeBase(articles: readonly Article[], topics: readonly Topic[], hasCategory: (code: string) => boolean): string[] {
  const problems: string[] = [];
  const topicCodes = new Set(topics.map((t) => t.code));
  const seen = new Set<string>();
  for (const a of articles) {
    if (seen.has(a.id)) problems.push(`${a.id}: duplicate id`);
    seen.add(a.id);
    if (!topicCodes.has(a.topic)) problems.push(`${a.id}: unknown topic ${a.topic}`);
    for (const c of a.categories) if (!hasCategory(c)) problems.push(`${a.id}: category ${c} is not in the taxonomy`);
    for (const field of ['title', 'body'] as const) {
      const values = languages.map((l) => a[field][l].trim());
      if (new Set(values).size !== values.length) problems.push(`${a.id}: ${field} is the same in two languages`);
    }
  }
  return problems;
}
