import { isConfidentialCategory } from '../../core/channels.ts';
import type { Channel, Language } from '../../core/model.ts';

/**
 * Open311 services are taxonomy categories (the codes are the contract, used verbatim as service_code).
 * Each service opens a case on one channel: the city's 109 problems, or the police's 102 reports.
 * Left out on purpose: confidential categories (domestic violence: Open311 reads are public) and missing
 * persons (a report about a named person is published by the police, not by a public feed).
 */
export const SERVICE_CHANNELS: Readonly<Record<string, Extract<Channel, 'city' | 'police'>>> = {
  'utilities.heating': 'city',
  'utilities.water': 'city',
  'utilities.sewage': 'city',
  'utilities.electricity': 'city',
  'utilities.gas': 'city',
  'housing.maintenance': 'city',
  'sanitation.waste': 'city',
  'roads.repair': 'city',
  'roads.snow': 'city',
  'roads.lighting': 'city',
  'roads.traffic': 'city',
  'transport.public': 'city',
  'environment.greenery': 'city',
  'environment.pollution': 'city',
  'animals.stray': 'city',
  'construction.land': 'city',
  'safety.theft': 'police',
  'safety.violence': 'police',
  'safety.public_order': 'police',
  'safety.traffic_violation': 'police',
  'safety.fraud': 'police',
  'safety.drugs': 'police',
};

/** The channels whose cases Open311 shows. */
export const SERVICE_CASE_CHANNELS: readonly Channel[] = ['city', 'police'];

export const isService = (code: string): boolean => Object.hasOwn(SERVICE_CHANNELS, code) && !isConfidentialCategory(code);

export const channelOfService = (code: string): 'city' | 'police' | null => (isService(code) ? SERVICE_CHANNELS[code]! : null);

export interface CategoryNames {
  code: string;
  names: Readonly<Record<Language, string>>;
}

/** One entry of GET services (spec: service_code, service_name, description, metadata, type, keywords, group). */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

const CHANNEL_LABEL: Readonly<Record<'city' | 'police', Readonly<Record<Language, string>>>> = {
  city: { en: '109 city services', ru: 'городская служба 109', kk: '109 қалалық қызметі' },
  police: { en: '102 police', ru: 'полиция 102', kk: '102 полиция' },
};

/** The services offered, in taxonomy order: only categories the reference data knows. */
export function listServices(categories: readonly CategoryNames[], locale: Language): Open311Service[] {
  return categories.filter((c) => isService(c.code)).map((c) => toService(c, locale));
}

export function toService(c: CategoryNames, locale: Language): Open311Service {
  const channel = SERVICE_CHANNELS[c.code]!;
  return {
    service_code: c.code,
    service_name: c.names[locale],
    description: `${c.names[locale]} (${CHANNEL_LABEL[channel][locale]})`,
    // No extra form fields: a case needs only the text, the place and the service.
    metadata: false,
    // A request gets its id at once (intake registers synchronously).
    type: 'realtime',
    // The other two languages' names, so a client can search in kk, ru and en alike.
    keywords: (['kk', 'ru', 'en'] as const).filter((l) => l !== locale).map((l) => c.names[l]).join(', '),
    group: c.code.split('.')[0]!,
  };
}

/** GET services/{code}: no service has attributes, so the definition is just its code. */
export function serviceDefinition(code: string): { service_code: string; attributes: never[] } {
  return { service_code: code, attributes: [] };
}
