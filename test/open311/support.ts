import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createApiKey } from '../../src/core/identity/identity.ts';
import type { StaffPrincipal } from '../../src/core/principal.ts';
import type { TestApp } from '../support/app.ts';
import { ROOT } from '../support/cli.ts';

/**
 * The GeoReport v2 JSON schemas live beside the repository (../shared/data/open311, in CI as here):
 * every JSON answer of the conformance tests is checked against them, every XML answer parsed.
 */
export const SCHEMA_DIR = path.join(ROOT, '..', 'shared', 'data', 'open311');

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const BASE = 'https://schemas.open311.test/georeport-v2/';

function schemaFile(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SCHEMA_DIR, name), 'utf8')) as Record<string, unknown>;
}

export interface Validators {
  services: ValidateFunction;
  serviceDefinition: ValidateFunction;
  requests: ValidateFunction;
  /** The swagger's RequestResponse (POST requests) and TokenResponse (GET tokens), as arrays. */
  created: ValidateFunction;
  token: ValidateFunction;
}

export function loadValidators(): Validators {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // The swagger's own formats carry no constraint beyond the type.
  for (const f of ['uid', 'uint', 'double']) ajv.addFormat(f, true);
  // The files have no $id; each gets one so that "$ref": "service.json" resolves as the repository meant.
  for (const name of ['service.json', 'services.json', 'service-definition.json', 'request.json', 'requests.json']) {
    ajv.addSchema({ ...schemaFile(name), $id: `${BASE}${name}` });
  }
  const swagger = schemaFile('swagger.json') as { definitions: Record<string, Record<string, unknown>> };
  const listOf = (definition: string) => ajv.compile({ type: 'array', minItems: 1, items: swagger.definitions[definition] });
  const get = (name: string) => ajv.getSchema(`${BASE}${name}`)!;
  return {
    services: get('services.json'),
    serviceDefinition: get('service-definition.json'),
    requests: get('requests.json'),
    created: listOf('RequestResponse'),
    token: listOf('TokenResponse'),
  };
}

/** Fails with ajv's own words when the body does not match. */
export function expectValid(validate: ValidateFunction, body: unknown): void {
  const ok = validate(body);
  expect(ok, JSON.stringify(validate.errors)).toBe(true);
}

const xml = new XMLParser({ parseTagValue: false, ignoreDeclaration: true, isArray: (_name, jpath) => /^(services\.service|service_requests\.request|service_request_updates\.request_update|errors\.error)$/.test(String(jpath)) });

/** Parses an XML answer (it must be XML, and declare UTF-8) into an object. */
export function parseXml(res: LightMyRequestResponse): Record<string, unknown> {
  expect(res.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
  expect(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  return xml.parse(res.body, true) as Record<string, unknown>;
}

export function expectJson(res: LightMyRequestResponse): unknown {
  expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
  return res.json();
}

/** The spec's error list, in both formats: the status as code, our stable code first in the description. */
export function expectOpen311Error(res: LightMyRequestResponse, status: number, code: string, format: 'json' | 'xml' = 'json'): string {
  expect(res.statusCode, res.body).toBe(status);
  const errors =
    format === 'json'
      ? (expectJson(res) as { code: number; description: string }[])
      : ((parseXml(res)['errors'] as { error: { code: string; description: string }[] }).error);
  expect(errors).toHaveLength(1);
  expect(String(errors[0]!.code)).toBe(String(status));
  expect(errors[0]!.description.startsWith(`${code}: `), errors[0]!.description).toBe(true);
  return errors[0]!.description;
}

export const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
export const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

/** An API key made as the operator does it (`tyndau apikeys create`): a registrar of the processing centre. */
export async function clientKey(t: TestApp, name = 'FixMyStreet test client', organisationId = 'kz.processing_centre'): Promise<string> {
  const operator: StaffPrincipal = { type: 'machine', userId: 'operator', role: 'admin', organisationId: 'kz.government', scope: t.platform.reference.subtree('kz.government') };
  return (await createApiKey(t.platform.identity, operator, { name, role: 'registrar', organisationId })).key;
}

export async function countCases(t: TestApp): Promise<number> {
  const { rows } = await t.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
  return rows[0]!.n;
}
