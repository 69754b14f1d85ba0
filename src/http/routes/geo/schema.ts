import { Type } from 'typebox';
import { Names, Nullable } from '../common-schema.ts';

// Texts, not numbers: the route parses them, so "abc" or "200" gets ERR_INVALID_LOCATION rather than a schema error.
const Degrees = (description: string) => Type.String({ maxLength: 40, description: `${description} (WGS84 decimal degrees; else ERR_INVALID_LOCATION)`, examples: ['43.2330'] });

export const DistrictQuery = Type.Object({ lat: Degrees('Latitude'), lon: Degrees('Longitude') }, { additionalProperties: false });

export const DistrictAnswer = Type.Object({
  status: Type.Unsafe<'district' | 'city' | 'outside'>({
    type: 'string',
    enum: ['district', 'city', 'outside'],
    description: 'district: inside a city district; city: outside every district but within the city (its polygon or 500 m of its districts); outside: elsewhere in Kazakhstan (not served)',
  }),
  districtId: Nullable(Type.String()),
  city: Nullable(Type.String({ description: 'astana, almaty or shymkent' })),
  names: Nullable(Names),
  cityNames: Nullable(Names),
  attribution: Type.String(),
});
