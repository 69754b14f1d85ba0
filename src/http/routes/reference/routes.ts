import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../../app/platform.ts';
import { Names, Nullable } from '../common-schema.ts';

/** Public reference data: the taxonomy, the organisations and the districts. */
export const referenceRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const { reference } = platform;
  app.get('/categories', {
    schema: { tags: ['reference'], summary: 'The category taxonomy (codes are a contract)', response: { 200: Type.Array(Type.Object({ code: Type.String(), names: Names, responsible: Type.String() })) } },
  }, async () => [...reference.categories]);

  app.get('/organisations', {
    schema: {
      tags: ['reference'],
      summary: 'The organisation tree',
      response: {
        200: Type.Array(
          Type.Object({
            id: Type.String(),
            type: Type.String(),
            city: Nullable(Type.String()),
            districtId: Nullable(Type.String()),
            parentId: Nullable(Type.String()),
            higherBodyId: Nullable(Type.String()),
            names: Names,
          }),
        ),
      },
    },
  }, async () => [...reference.organisations]);

  app.get('/districts', {
    schema: {
      tags: ['reference'],
      summary: 'City districts (boundaries: geokz (A. Rodionov), CC BY 4.0, based on OCHA/HDX COD-AB Kazakhstan, 2024)',
      response: { 200: Type.Array(Type.Object({ id: Type.String(), city: Type.String(), names: Names, kato: Type.String() })) },
    },
  }, async () => reference.districts.map(({ geometry: _geometry, ...d }) => d));
};
