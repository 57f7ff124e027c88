import { toJsonSchema, type JsonSchema } from '@valibot/to-json-schema'
import type * as v from 'valibot'
import { ERROR_CATALOGUE, ERROR_CODES } from '../error-catalogue.js'
import { fineTuneLabelsSchema, fineTuneOptionsSchema } from '../schemas/fine-tune-options.js'
import { predictJsonBodySchema } from '../schemas/predict-body.js'
import { filterQuerySchema, predictQuerySchema } from '../schemas/predict-query.js'
import { errorBodySchema, filterResponseSchema, fineTuneResponseSchema, modelDetailSchema, modelListSchema, predictResponseSchema } from '../schemas/responses.js'

type Json = JsonSchema | Record<string, unknown>

const toSchema = (schema: v.GenericSchema): JsonSchema => toJsonSchema(schema, { target: 'draft-2020-12', typeMode: 'input', errorMode: 'ignore' })

/** Query parameters of a strict-object query schema, one OpenAPI parameter per key. */
function queryParameters(schema: typeof predictQuerySchema | typeof filterQuerySchema): Json[] {
  const properties = (toSchema(schema).properties ?? {}) as Record<string, JsonSchema>
  return Object.entries(properties).map(([name, property]) => ({ name, in: 'query', required: false, description: property.description, schema: property }))
}

/** Error responses grouped by status, each listing its codes from the catalogue. */
function errorResponses(statuses: readonly number[]): Record<string, Json> {
  const out: Record<string, Json> = {}
  for (const status of statuses) {
    const codes = ERROR_CODES.filter((code) => ERROR_CATALOGUE[code].status === status)
    out[String(status)] = {
      description: codes.map((code) => `\`${code}\`: ${ERROR_CATALOGUE[code].description}`).join(' '),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    }
  }
  return out
}

const binary = { type: 'string', format: 'binary' }
const nameParameter = { name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' }, description: 'Model name (GET /v1/models lists them).' }
const shapeHeader = {
  name: 'x-shape',
  in: 'header',
  required: false,
  schema: { type: 'string', example: '1,28,28,1' },
  description: 'Required with application/octet-stream: the tensor shape, [B, ...input shape] or [B, input size].',
}

function predictOperation(summary: string, querySchema: typeof predictQuerySchema | typeof filterQuerySchema, named: boolean, response: Json): Json {
  return {
    summary,
    security: [{ bearer: [] }, {}],
    parameters: [...(named ? [nameParameter] : []), ...queryParameters(querySchema), shapeHeader],
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: toSchema(predictJsonBodySchema) },
        'application/octet-stream': { schema: binary },
        'image/png': { schema: binary },
        'image/jpeg': { schema: binary },
        'multipart/form-data': { schema: { type: 'object', additionalProperties: binary, description: 'One file part per image (PNG or JPEG), in order.' } },
      },
    },
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: response } } }, ...errorResponses([400, 401, 404, 413, 415, 422, 500, 503]) },
  }
}

/** `POST /v1/models/{name}/fine-tune`: a multipart body of JSON labels and options and float32 or image examples. */
function fineTuneOperation(): Json {
  return {
    summary: 'Fine-tune a model on labelled examples; the new bundle is written to R2 and served by name',
    description:
      'Needs the bearer token; 403 fine_tuning_disabled without API_TOKEN or MODEL_BUCKET, or with MODEL_PUBLIC_KEY. Caps: MAX_FINE_TUNE_EXAMPLES, MAX_FINE_TUNE_EPOCHS, MAX_FINE_TUNE_BODY_BYTES.',
    security: [{ bearer: [] }],
    parameters: [{ ...nameParameter, description: 'The parent model (GET /v1/models lists them).' }],
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['labels'],
            properties: {
              labels: toSchema(fineTuneLabelsSchema),
              options: toSchema(fineTuneOptionsSchema),
              inputs: { ...binary, description: 'N x input-size little-endian float32 values (model space, item-major), N = the number of labels. Or send image parts.' },
              image: { type: 'array', items: binary, description: 'One PNG or JPEG per label, in label order (preprocessed like predict). Or send inputs.' },
            },
          },
          encoding: {
            labels: { contentType: 'application/json' },
            options: { contentType: 'application/json' },
            inputs: { contentType: 'application/octet-stream' },
            image: { contentType: 'image/png, image/jpeg' },
          },
        },
      },
    },
    responses: {
      '201': {
        description: 'Created: the new model, its R2 key, metrics and training history.',
        headers: { Location: { schema: { type: 'string' }, description: '/v1/models/<new name>' } },
        content: { 'application/json': { schema: toSchema(fineTuneResponseSchema) } },
      },
      ...errorResponses([400, 401, 403, 404, 408, 409, 413, 415, 422, 500, 503]),
    },
  }
}

/** `GET /v1/models/{name}/bundle`: the bundle file, its SHA-256 as the ETag. */
function bundleOperation(): Json {
  const etag = { schema: { type: 'string', pattern: '^"[0-9a-f]{64}"$' }, description: 'The quoted SHA-256 (hex) of the bundle file: the model\'s sha256.' }
  return {
    summary: 'The model bundle file (.sdd), to run the same model with the SDK in a browser or Node',
    security: [{ bearer: [] }, {}],
    parameters: [nameParameter, { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'An ETag received before: 304 when the bundle is unchanged.' }],
    responses: {
      '200': { description: 'The bundle bytes (Cache-Control: no-cache: revalidate with If-None-Match).', headers: { ETag: etag }, content: { 'application/octet-stream': { schema: binary } } },
      '304': { description: 'Not modified: If-None-Match holds the current ETag.', headers: { ETag: etag } },
      ...errorResponses([401, 404, 500, 503]),
    },
  }
}

let cached: Json | null = null

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the valibot schemas that validate the
 * requests (bodies and queries) and describe the responses; error responses list the catalogue's
 * codes per status. Built once per isolate.
 *
 * @example
 * ```ts
 * app.get('/openapi.json', (c) => c.json(openApiDocument()))
 * ```
 */
export function openApiDocument(): Json {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'sd-dropout inference and fine-tuning API',
      version: '1',
      description:
        'Calibrated probabilities, MC-dropout uncertainty and OOD verdicts from sd-dropout model bundles, and fine-tuning at the edge. Every error is { "error": { "code", "message" } }.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Needed on /v1/* when the worker has an API_TOKEN secret.' } },
      schemas: { ErrorBody: toSchema(errorBodySchema) },
    },
    paths: {
      '/v1/predict': { post: predictOperation('Predict with the built-in default model', predictQuerySchema, false, toSchema(predictResponseSchema)) },
      '/v1/models/{name}/predict': { post: predictOperation('Predict with a named model', predictQuerySchema, true, toSchema(predictResponseSchema)) },
      '/v1/filter': { post: predictOperation('Edge OOD filtering with the default model', filterQuerySchema, false, toSchema(filterResponseSchema)) },
      '/v1/models/{name}/filter': { post: predictOperation('Edge OOD filtering with a named model', filterQuerySchema, true, toSchema(filterResponseSchema)) },
      '/v1/models': {
        get: { summary: 'List the models', security: [{ bearer: [] }, {}], responses: { '200': { description: 'OK', content: { 'application/json': { schema: toSchema(modelListSchema) } } }, ...errorResponses([401, 500, 503]) } },
      },
      '/v1/models/{name}': {
        get: {
          summary: 'Metadata, labels, metrics and thresholds of a model',
          security: [{ bearer: [] }, {}],
          parameters: [nameParameter],
          responses: { '200': { description: 'OK', content: { 'application/json': { schema: toSchema(modelDetailSchema) } } }, ...errorResponses([401, 404, 500, 503]) },
        },
      },
      '/v1/models/{name}/bundle': { get: bundleOperation() },
      '/v1/models/{name}/fine-tune': { post: fineTuneOperation() },
      '/healthz': { get: { summary: 'Liveness (no model load, no token)', responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ok' } } } } } } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OK' } } } },
    },
  }
  return cached
}
