import type { Logger } from 'pino';
import type { Clock } from '../core/ports.ts';
import { ConceptMatcher } from '../nlp/lexicon.ts';
import { IssueClusterer } from '../social/issues/clusterer.ts';
import { buildTermWeights } from '../social/issues/fingerprint.ts';
import { IssueService } from '../social/issues/service.ts';
import type { PostSink } from '../social/post.ts';
import type { Db } from '../storage/db.ts';
import { createSocialIssueStore } from '../storage/social-issue-store.ts';
import { loadCorpus, loadLexicon } from './nlp-data.ts';

/**
 * The issue clustering as ingestion's sink, built on the first post: the word weights (from the corpus,
 * about a second) and the open issues read back from the store are paid only by a process that ingests.
 */
export function lazyIssueSink(db: Db, clock: Clock, logger: Logger): PostSink & { service(): Promise<IssueService> } {
  let building: Promise<IssueService> | null = null;
  const service = (): Promise<IssueService> =>
    (building ??= (async () => {
      const matcher = new ConceptMatcher(loadLexicon());
      const weights = buildTermWeights(loadCorpus('train').map((e) => e.text), matcher);
      const built = new IssueService(new IssueClusterer({ weights, matcher }), createSocialIssueStore(db));
      const restored = await built.restore(clock.now());
      logger.info({ restored }, 'social issues restored');
      return built;
    })().catch((err: unknown) => {
      building = null; // a failed start is tried again with the next post
      throw err;
    }));
  return {
    service,
    accept: async (post, kind) => (await service()).accept(post, kind),
  };
}
