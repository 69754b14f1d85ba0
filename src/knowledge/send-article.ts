/**
 * An operator sends an article on the first contact: the article goes into the case's dialog as a message
 * (the existing postMessage command, so every rule of the dialog holds) and the event `case.article_sent`
 * names the article. Both commit in one transaction: postMessage's own transaction joins this one.
 */
import { postMessage, withWorkableCase, type WorkDeps } from '../core/case-work.ts';
import { DomainError } from '../core/errors.ts';
import type { CaseMessage, Language } from '../core/model.ts';
import { actorOf, isStaff, type Principal } from '../core/principal.ts';
import type { Article } from './article.ts';

export interface SendArticleDeps {
  work: WorkDeps;
  findArticle: (id: string) => Article | undefined;
}

export interface SentArticle {
  articleId: string;
  language: Language;
  message: CaseMessage;
}

/** The message an article becomes: its title, a blank line, its text. */
export const articleMessage = (a: Article, language: Language): string => `${a.title[language]}\n\n${a.body[language]}`;

export async function sendArticle(deps: SendArticleDeps, principal: Principal, caseId: string, articleId: string, lang?: Language): Promise<SentArticle> {
  return withWorkableCase(deps.work, principal, caseId, async (tx, record) => {
    // The applicant may write in the dialog, but sending the knowledge base is the staff's tool.
    if (!isStaff(principal)) throw new DomainError('ERR_FORBIDDEN', 'Only staff send articles');
    const article = deps.findArticle(articleId);
    if (!article) throw new DomainError('ERR_ARTICLE_NOT_FOUND', undefined, { id: articleId });
    if (article.audience === 'operator') throw new DomainError('ERR_ARTICLE_NOT_SENDABLE', undefined, { id: articleId });
    const language = lang ?? record.language;
    const message = await postMessage(deps.work, principal, caseId, articleMessage(article, language), 'dialog');
    await tx.appendEvent({
      caseId,
      type: 'case.article_sent',
      ...actorOf(principal),
      occurredAt: message.createdAt,
      payload: { articleId, language, messageId: message.id },
    });
    return { articleId, language, message };
  });
}
