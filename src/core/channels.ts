import type { CaseKind, Channel } from './model.ts';

export interface ChannelPolicy {
  /** Prefix of the public registration number, e.g. ЖТ-2026-00000742 (e-Otinish's own form). */
  registrationPrefix: string;
  /** Anonymous submissions: always, only for reports of a crime (the law's exception), or never. */
  anonymous: 'always' | 'crime_only' | 'never';
  defaultKind: CaseKind;
  /** Every case of this channel is confidential (Bala Qorgau). */
  confidential: boolean;
  /**
   * No answer within the answer term counts as a refusal (APPC art. 91(2)), which the applicant may
   * complain about to the higher body: the deadline worker files that complaint when they consented.
   */
  silenceIsRefusal: boolean;
}

export const channelPolicies: Readonly<Record<Channel, ChannelPolicy>> = {
  appeal: { registrationPrefix: 'ЖТ', anonymous: 'crime_only', defaultKind: 'application', confidential: false, silenceIsRefusal: true },
  police: { registrationPrefix: '102', anonymous: 'crime_only', defaultKind: 'application', confidential: false, silenceIsRefusal: false },
  city: { registrationPrefix: '109', anonymous: 'always', defaultKind: 'application', confidential: false, silenceIsRefusal: false },
  child: { registrationPrefix: 'БҚ', anonymous: 'always', defaultKind: 'application', confidential: true, silenceIsRefusal: false },
  social: { registrationPrefix: 'ӘЖ', anonymous: 'always', defaultKind: 'application', confidential: false, silenceIsRefusal: false },
};

/** Categories that report a crime or a threat to public security: anonymous reports are passed on. */
export const isCrimeReport = (category: string): boolean => category.startsWith('safety.') || category === 'governance.corruption' || category === 'child.abuse';

/** Child, domestic-violence and sexual-violence cases are confidential by default. */
export const isConfidentialCategory = (category: string): boolean => category.startsWith('child.') || category === 'safety.domestic';

export function formatRegistrationNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(8, '0')}`;
}
