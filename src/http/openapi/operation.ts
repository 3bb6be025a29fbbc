/**
 * Builders for the OpenAPI 3.1 document: one operation is a summary, its path parameters, its body and its answers,
 * and every error answer points to the one GMS error body. Kept small so each path file reads like a table.
 */

/** An OpenAPI object (the document is plain JSON). */
export type OpenApiObject = Record<string, unknown>;

/** What an operation takes and answers. */
export interface OperationSpec {
  summary: string;
  /** Tag grouping the operation (`Service API`, `Storage API`, `Admin`, ...). */
  tag: string;
  /** Basic auth required. */
  auth?: boolean;
  /** Query parameters, name -> description. */
  query?: Record<string, string>;
  /** Request body: `form` (multipart or urlencoded), `json` with a schema, `multipart-file`, or none. */
  body?: { kind: 'form' } | { kind: 'json'; schema: OpenApiObject } | { kind: 'multipart-file'; field: string };
  /** Success answers, status -> description (JSON unless `text`/`binary` is said). */
  ok: Record<string, string>;
  /** Error statuses this operation answers on purpose. */
  errors?: number[];
  /** Content type of the success body when it is not JSON. */
  produces?: 'text/plain' | 'application/octet-stream';
}

const ERROR_REF = { $ref: '#/components/responses/GmsError' };

/** The path parameters of an OpenAPI path (`/a/{id}/{key}` -> id, key). */
function pathParameters(path: string): OpenApiObject[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function requestBody(body: OperationSpec['body']): OpenApiObject | undefined {
  if (!body) return undefined;
  if (body.kind === 'json') return { required: true, content: { 'application/json': { schema: body.schema } } };
  if (body.kind === 'multipart-file') {
    return {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: [body.field],
            properties: { [body.field]: { type: 'string', contentMediaType: 'application/zip' } },
          },
        },
      },
    };
  }
  const fields = { type: 'object', additionalProperties: { type: 'string' } };
  return {
    content: {
      'multipart/form-data': { schema: fields },
      'application/x-www-form-urlencoded': { schema: fields },
      'application/json': { schema: { type: 'object' } },
    },
  };
}

/** One operation of `path`. */
export function operation(path: string, spec: OperationSpec): OpenApiObject {
  const content = spec.produces ? { [spec.produces]: { schema: { type: 'string' } } } : { 'application/json': {} };
  const responses: OpenApiObject = {};
  for (const [status, description] of Object.entries(spec.ok)) responses[status] = { description, content };
  for (const status of [...(spec.errors ?? []), ...(spec.auth ? [401] : [])]) responses[String(status)] = ERROR_REF;
  const parameters = [
    ...pathParameters(path),
    ...Object.entries(spec.query ?? {}).map(([name, description]) => ({
      name,
      in: 'query',
      required: false,
      description,
      schema: { type: 'string' },
    })),
  ];
  const body = requestBody(spec.body);
  return {
    summary: spec.summary,
    tags: [spec.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    ...(spec.auth ? { security: [{ basic: [] }] } : {}),
    responses,
  };
}

/** The shared components: Basic auth and the GMS error body. */
export const components: OpenApiObject = {
  securitySchemes: { basic: { type: 'http', scheme: 'basic' } },
  schemas: {
    GmsError: {
      type: 'object',
      required: ['message', 'exception', 'code'],
      properties: {
        message: { type: 'string', description: 'What happened and what to fix.' },
        exception: { type: 'string', description: 'The GMS exception name clients match on.' },
        code: { type: 'string', description: 'Stable engine error code (src/errors.ts).' },
      },
    },
  },
  responses: {
    GmsError: {
      description: 'An error, rendered by the one error middleware.',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/GmsError' } } },
    },
  },
};
