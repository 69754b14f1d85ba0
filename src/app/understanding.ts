/**
 * The trained models as the core's ports: the classifier intake calls for every case, and the language
 * identifier. Without a model file (a checkout that never ran `npm run train`), intake keeps the
 * submitter's category or sends the case to triage, and the language is guessed from the letters.
 */
import type { Language } from '../core/model.ts';
import type { Classifier } from '../core/ports.ts';
import { understand, type Understanding } from '../nlp/classifier.ts';
import { detectLanguage, identifyLanguage } from '../nlp/language.ts';
import type { ModelBundle } from '../nlp/model-file.ts';

export interface UnderstandingService {
  classifier: Classifier;
  detectLanguage: (text: string) => Language;
  /** The full reading of a text (POST /api/v1/classify, `tyndau classify`); null without a model. */
  understand: (text: string) => Understanding | null;
}

export function createUnderstanding(bundle: ModelBundle | null): UnderstandingService {
  if (!bundle) return { classifier: { classify: async () => null }, detectLanguage, understand: () => null };
  return {
    classifier: {
      async classify({ text }) {
        const u = understand(bundle, text);
        if (u.top.length === 0) return null;
        return {
          category: u.category,
          subcategory: u.subcategory,
          kind: u.kind,
          urgency: u.urgency,
          confidence: u.confidence,
          confident: u.confidence >= bundle.triageBelow,
          top: u.top,
          urgencyRules: u.urgencyRules,
        };
      },
    },
    detectLanguage: (text) => identifyLanguage(bundle.models.language, text).dominant,
    understand: (text) => understand(bundle, text, { explain: true }),
  };
}

/**
 * The service over a model read on first use: a command that never classifies (migrate, seed, calendar)
 * does not decode the 16 MB file.
 */
export function lazyUnderstanding(load: () => ModelBundle | null): UnderstandingService {
  let service: UnderstandingService | undefined;
  const get = (): UnderstandingService => (service ??= createUnderstanding(load()));
  return {
    classifier: { classify: (input) => get().classifier.classify(input) },
    detectLanguage: (text) => get().detectLanguage(text),
    understand: (text) => get().understand(text),
  };
}
