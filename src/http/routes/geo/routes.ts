import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../../app/platform.ts';
import { parsePoint } from '../../../geo/coordinates.ts';
import { BOUNDARIES_ATTRIBUTION } from '../../../geo/geo-files.ts';
import { errorResponses } from '../common-schema.ts';
import { DistrictAnswer, DistrictQuery } from './schema.ts';

/** Places for anyone: which district (and city) a point lies in. */
export const geoRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/geo/district', {
    schema: {
      tags: ['reference'],
      summary: 'The district and city of a point (ERR_INVALID_LOCATION for a bad coordinate, ERR_LOCATION_OUTSIDE_KAZAKHSTAN outside the country)',
      querystring: DistrictQuery,
      response: { 200: DistrictAnswer, ...errorResponses(400) },
    },
  }, async (request) => {
    const place = platform.geo.placeOf(parsePoint(request.query.lat, request.query.lon));
    return {
      status: place.status,
      districtId: place.districtId,
      city: place.city,
      names: place.districtId ? platform.geo.districtNames(place.districtId) : null,
      cityNames: place.city ? platform.geo.cityNames(place.city) : null,
      attribution: BOUNDARIES_ATTRIBUTION,
    };
  });
};
