/**
 * Earlier answers to similar inquiries, suggested to the executor: answered or closed cases of the same
 * category, within the organisations the executor may see, whose text is close to this case's (TF-IDF
 * cosine over the search's folded prefix terms). Never a confidential case; questions and answers are
 * shown with personal data masked. Only staff who may work on the case ask; to anyone else the case is
 * not found (or, for its applicant, forbidden).
 */
import { DomainError } from '../core/errors.ts';
import type { Outcome } from '../core/model.ts';
import { canReadCase, canWorkOnCase } from '../core/policy.ts';
import type { CaseStore } from '../core/ports.ts';
import { isStaff, type Principal } from '../core/principal.ts';
import { maskPii } from '../nlp/pii.ts';
import { documentTerms } from './analyse.ts';
import { cut } from './snippet.ts';

export interface AnsweredCase {
  caseId: string;
  registrationNumber: string;
  organisationId: string;
  text: string;
  answer: string;
  outcome: Outcome | null;
  answeredAt: Date;
}

/** The candidates: storage's side (src/storage/answers-store.ts). */
export interface AnswersStore {
  /** Closed, non-confidential cases of the category in these organisations with an answer in the dialog, newest first. */
  answeredCases(q: { category: string; organisations: readonly string[]; excludeCaseId: string; limit: number }): Promise<AnsweredCase[]>;
}

export interface SimilarAnswersDeps {
  store: CaseStore;
  answers: AnswersStore;
}

export interface SimilarAnswer {
  caseId: string;
  registrationNumber: string;
  organisationId: string;
  similarity: number;
  outcome: Outcome | null;
  answeredAt: Date;
  question: string;
  answer: string;
}

/** How many recent answered cases are compared (bounds the work on a busy category). */
export const CANDIDATES = 500;
/** Below this cosine the texts share too little to make the answer worth reading. */
export const MIN_SIMILARITY = 0.2;
const QUESTION_CHARS = 600;

type Vector = Map<string, number>;

function counts(text: string): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of documentTerms(text)) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

function weigh(tf: Map<string, number>, idf: (t: string) => number): Vector {
  const v: Vector = new Map();
  let norm = 0;
  for (const [t, n] of tf) {
    const w = (1 + Math.log(n)) * idf(t);
    v.set(t, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [t, w] of v) v.set(t, w / norm);
  return v;
}

function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) dot += w * (large.get(t) ?? 0);
  return dot;
}

/** Ranks candidates by their text's closeness to the query text (pure; IDF over the candidates and the query). */
export function rankBySimilarity<T extends { text: string }>(text: string, candidates: readonly T[], minSimilarity = MIN_SIMILARITY): { item: T; similarity: number }[] {
  const query = counts(text);
  const docs = candidates.map((c) => counts(c.text));
  const df = new Map<string, number>();
  for (const tf of [query, ...docs]) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length + 1;
  const idf = (t: string): number => Math.log((n + 1) / ((df.get(t) ?? 0) + 1)) + 1;
  const q = weigh(query, idf);
  return candidates
    .map((item, i) => ({ item, similarity: cosine(q, weigh(docs[i]!, idf)) }))
    .filter((r) => r.similarity >= minSimilarity)
    .sort((a, b) => b.similarity - a.similarity);
}

export async function similarAnswers(deps: SimilarAnswersDeps, principal: Principal, caseId: string, limit = 5): Promise<SimilarAnswer[]> {
  if (principal.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  const record = await deps.store.get(caseId);
  if (!record || !canReadCase(principal, record)) throw new DomainError('ERR_CASE_NOT_FOUND', undefined, { caseId });
  if (!isStaff(principal) || !canWorkOnCase(principal, record)) throw new DomainError('ERR_FORBIDDEN', 'Earlier answers are shown to staff who work on the case');
  const candidates = await deps.answers.answeredCases({ category: record.category, organisations: [...principal.scope], excludeCaseId: record.id, limit: CANDIDATES });
  return rankBySimilarity(record.text, candidates)
    .slice(0, limit)
    .map(({ item, similarity }) => ({
      caseId: item.caseId,
      registrationNumber: item.registrationNumber,
      organisationId: item.organisationId,
      similarity: Math.round(similarity * 1000) / 1000,
      outcome: item.outcome,
      answeredAt: item.answeredAt,
      question: cut(maskPii(item.text), QUESTION_CHARS),
      answer: maskPii(item.answer),
    }));
}
