import { z } from 'zod';
import type { Endpoint } from './contract';
import { allEndpoints } from './endpoints';
import { ZProblem } from '@/lib/validation/common';

type JsonSchema = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: 'Malformed request (e.g. invalid JSON)',
  401: 'No or invalid credentials',
  403: 'Signed in, but not allowed',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Body larger than 10 MB',
  415: 'Body is not JSON',
  422: 'Validation failed; `errors` names each field',
  429: 'Too many requests',
  502: 'The S3 artifact store refused the request; `detail` names its error code',
  503: 'Database (or the artifact store) unavailable',
};

/**
 * zod emits schemas named with `.meta({ id })` as local `$defs` referenced by `#/$defs/<id>`.
 * Inside an OpenAPI document that pointer resolves against the document root, where there
 * is no `$defs`, so named schemas are moved to components.schemas (`named`) and referenced there.
 */
function toSchema(schema: z.ZodType, io: 'input' | 'output', named: Record<string, JsonSchema>): JsonSchema {
  const { $schema: _ignored, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    const component = toComponentRefs(definition) as JsonSchema;
    if (named[id] && JSON.stringify(named[id]) !== JSON.stringify(component)) {
      throw new Error(`Two different schemas are named "${id}" in the OpenAPI document.`);
    }
    named[id] = component;
  }
  return toComponentRefs(rest) as JsonSchema;
}

function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === '$ref' && typeof item === 'string' ? item.replace(/^#\/\$defs\//, '#/components/schemas/') : toComponentRefs(item),
    ]),
  );
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query', named: Record<string, JsonSchema>) {
  if (!schema) return [];
  const json = toSchema(schema, 'input', named);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

function operation(endpoint: Endpoint, named: Record<string, JsonSchema>) {
  const success = String(endpoint.successStatus ?? 200);
  // Statuses an endpoint lists itself are kept: a raw-body upload (no JSON body) can still
  // answer 400 (empty body) and 413 (too large).
  const errors = new Set<number>(endpoint.errors ?? []);
  // Anything that reads the database answers 503 while it is unreachable.
  if (endpoint.auth === 'user') errors.add(401).add(503);
  if (endpoint.auth === 'signature') errors.add(401);
  if (endpoint.permission) errors.add(403);
  if (endpoint.body) errors.add(400).add(413).add(415).add(422);
  if (endpoint.query) errors.add(400).add(422);
  const responses: Record<string, unknown> = {
    [success]: {
      description: 'Success',
      content: endpoint.produces
        ? { [endpoint.produces]: { schema: { type: 'string' } } }
        : endpoint.response
          ? { 'application/json': { schema: toSchema(endpoint.response, 'output', named) } }
          : undefined,
    },
  };
  for (const status of [...errors].sort()) {
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? 'Error',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return {
    tags: [endpoint.tag],
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    operationId: `${endpoint.method.toLowerCase()}${endpoint.path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(endpoint.permission ? { 'x-permission': endpoint.permission } : {}),
    security: endpoint.auth === 'public' ? [] : endpoint.auth === 'signature' ? [{ modeldeckSignature: [] }] : [{ bearerToken: [] }, { sessionCookie: [] }],
    parameters: [...parameters(endpoint.params, 'path', named), ...parameters(endpoint.query, 'query', named)],
    ...(endpoint.consumes
      ? { requestBody: { required: true, content: { [endpoint.consumes]: { schema: { type: 'string', format: 'binary' } } } } }
      : {}),
    ...(endpoint.body
      ? {
          requestBody: {
            // The route wrapper accepts a missing body exactly when the schema accepts undefined.
            required: !endpoint.body.safeParse(undefined).success,
            content: { 'application/json': { schema: toSchema(endpoint.body, 'input', named) } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document, built from the same endpoint definitions the handlers use. */
export function buildOpenApiDocument(endpoints: Endpoint[] = allEndpoints) {
  const paths: Record<string, Record<string, unknown>> = {};
  const named: Record<string, JsonSchema> = {};
  for (const endpoint of endpoints) {
    (paths[endpoint.path] ??= {})[endpoint.method.toLowerCase()] = operation(endpoint, named);
  }
  toSchema(ZProblem, 'output', named);
  return {
    openapi: '3.1.0',
    info: {
      title: 'ModelDeck API',
      version: '1',
      description:
        'Authenticate with `Authorization: Bearer <token>` (create tokens under Settings → API tokens) or a browser session. Errors are `application/problem+json`.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'A personal API token (mdk_…).' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token' },
        modeldeckSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-ModelDeck-Signature',
          description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the shared secret (a webhook backend\'s or a training pipeline\'s); at most 5 minutes old.',
        },
      },
      schemas: named,
    },
  };
}
