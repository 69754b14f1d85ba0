/**
 * Reads the knowledge base from data/knowledge/: topics.json and every articles/*.json (files in name
 * order). A file that does not parse, an unknown topic or taxonomy code, or a language copied into
 * another's slot stops the load with every problem listed: a broken article is never half-shown.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { articleFileSchema, checkKnowledgeBase, topicsFileSchema, type Article, type Topic } from './article.ts';

export interface KnowledgeData {
  articles: Article[];
  topics: Topic[];
}

export function loadKnowledgeData(folder: string, hasCategory: (code: string) => boolean): KnowledgeData {
  const problems: string[] = [];
  const topics = topicsFileSchema.parse(JSON.parse(readFileSync(path.join(folder, 'topics.json'), 'utf8'))).topics;
  const articles: Article[] = [];
  const dir = path.join(folder, 'articles');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const parsed = articleFileSchema.safeParse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    if (parsed.success) articles.push(...parsed.data.articles);
    else problems.push(...parsed.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`));
  }
  problems.push(...checkKnowledgeBase(articles, topics, hasCategory));
  if (problems.length > 0) throw new Error(`the knowledge base has ${problems.length} problems:\n${problems.slice(0, 20).join('\n')}`);
  return { articles, topics };
}
