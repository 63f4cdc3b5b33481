import { z } from 'zod';
import type { HttpDoc, HttpFunction } from '../runtime.js';
import { errorBodySchema } from './errors.js';
import { openApiPath, parseRouteTemplate } from './route-template.js';

// The OpenAPI 3.1 document, built from the same zod schemas the handlers validate with, so
// that the description cannot drift from what the code accepts.

type JsonObject = Record<string, unknown>;

export function buildOpenApi(functions: readonly HttpFunction[], info: { version: string; serverUrl: string }): JsonObject {
  const components: Record<string, unknown> = {};
  const schema = (s: z.ZodType, io: 'input' | 'output') => toComponentSchema(s, io, components);
  const paths: Record<string, Record<string, unknown>> = {};

  for (const fn of functions) {
    const segments = parseRouteTemplate(fn.route);
    const path = openApiPath(segments);
    const parameters = segments
      .filter((s) => s.param)
      .map((s) => ({ name: s.param, in: 'path', required: true, schema: { type: 'string' } }));
    for (const [method, doc] of Object.entries(fn.doc) as [string, HttpDoc][]) {
      const responses: Record<string, unknown> = {};
      for (const [status, response] of Object.entries(doc.responses)) {
        responses[status] = {
          description: response.description,
          ...(response.schema || response.contentType
            ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema ? schema(response.schema, 'output') : { type: 'string' } } } }
            : {}),
        };
      }
      if (doc.body || doc.query) responses['400'] ??= errorResponse('Invalid input', schema);
      if (doc.auth === 'key') {
        responses['401'] ??= errorResponse('Missing or unknown API key', schema);
        responses['403'] ??= errorResponse('The key lacks the right', schema);
      }
      paths[path] ??= {};
      paths[path][method.toLowerCase()] = {
        operationId: `${fn.name}${Object.keys(fn.doc).length > 1 ? `-${method.toLowerCase()}` : ''}`,
        summary: doc.summary,
        tags: doc.tags,
        ...(doc.auth === 'key' ? { security: [{ apiKey: [] }] } : { security: [] }),
        parameters: [...parameters, ...queryParameters(doc.query)],
        ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(doc.body, 'input') } } } } : {}),
        responses,
      };
    }
  }

  return {
    openapi: '3.1.0',
    info: { title: 'Serverless Monitor API', version: info.version },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      schemas: components,
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from sign-up or POST /api/keys' } },
    },
  };
}

function errorResponse(description: string, schema: (s: z.ZodType, io: 'input' | 'output') => unknown) {
  return { description, content: { 'application/json': { schema: schema(errorBodySchema, 'output') } } };
}

function queryParameters(query: z.ZodType | undefined): unknown[] {
  if (!query) return [];
  const json = z.toJSONSchema(query, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  const properties = (json['properties'] ?? {}) as Record<string, JsonObject>;
  const required = new Set((json['required'] as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: 'query', required: required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

/** Converts one schema, lifting named (`.meta({ id })`) parts into components.schemas. */
function toComponentSchema(s: z.ZodType, io: 'input' | 'output', components: Record<string, unknown>): unknown {
  const suffix = io === 'input' ? 'Input' : '';
  const json = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonObject;
  const defs = (json['$defs'] ?? {}) as Record<string, unknown>;
  delete json['$defs'];
  delete json['$schema'];
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/').replace(/$/, suffix) : rewrite(v);
      }
      return out;
    }
    return value;
  };
  for (const [name, def] of Object.entries(defs)) components[`${name}${suffix}`] = rewrite(def);
  return rewrite(json);
}
