import { describe, expect, it } from 'vitest'
import { openApiDocument } from './openapi-document.js'

type Node = Record<string, unknown>
const at = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((node, key) => (node as Node | undefined)?.[key], value)

describe('openApiDocument', () => {
  const document = openApiDocument()

  it('describes every route', () => {
    expect(Object.keys(at(document, 'paths') as Node).sort()).toStrictEqual(
      ['/healthz', '/openapi.json', '/v1/filter', '/v1/models', '/v1/models/{name}', '/v1/models/{name}/bundle', '/v1/models/{name}/filter', '/v1/models/{name}/fine-tune', '/v1/models/{name}/predict', '/v1/predict'].sort(),
    )
    expect(at(document, 'openapi')).toBe('3.1.0')
  })

  it('generates the JSON request body from the validating schemas', () => {
    const body = at(document, 'paths', '/v1/predict', 'post', 'requestBody', 'content', 'application/json', 'schema') as { anyOf: Node[] }
    expect(body.anyOf).toHaveLength(2)
    const [rows, tensor] = body.anyOf
    expect(at(rows, 'required')).toStrictEqual(['inputs'])
    expect(at(rows, 'additionalProperties')).toBe(false)
    expect(at(rows, 'properties', 'samples', 'maximum')).toBe(1024)
    expect(at(rows, 'properties', 'seed', 'maximum')).toBe(4294967295)
    expect(at(rows, 'properties', 'oodScore', 'enum')).toStrictEqual(['msp', 'max-logit', 'energy', 'entropy', 'mc-entropy', 'mutual-information', 'mahalanobis'])
    expect(at(tensor, 'properties', 'tensor', 'required')).toStrictEqual(['shape', 'data'])
    const types = Object.keys(at(document, 'paths', '/v1/predict', 'post', 'requestBody', 'content') as Node)
    expect(types).toStrictEqual(['application/json', 'application/octet-stream', 'image/png', 'image/jpeg', 'multipart/form-data'])
  })

  it('lists the query parameters and the error codes per status', () => {
    const parameters = at(document, 'paths', '/v1/models/{name}/filter', 'post', 'parameters') as { name: string; in: string }[]
    expect(parameters.map((p) => `${p.in}:${p.name}`)).toStrictEqual(['path:name', 'query:samples', 'query:seed', 'query:oodScore', 'query:strict', 'header:x-shape'])
    const tooLarge = at(document, 'paths', '/v1/predict', 'post', 'responses', '413', 'description') as string
    expect(tooLarge).toContain('`payload_too_large`')
    expect(tooLarge).toContain('`batch_too_large`')
    expect(tooLarge).toContain('`image_too_large`')
    expect(at(document, 'components', 'schemas', 'ErrorBody', 'required')).toStrictEqual(['error'])
  })

  it('describes the bundle download with its SHA-256 ETag and 304', () => {
    const operation = at(document, 'paths', '/v1/models/{name}/bundle', 'get')
    expect(Object.keys(at(operation, 'responses') as Node)).toStrictEqual(['200', '304', '401', '404', '500', '503'])
    expect(at(operation, 'responses', '200', 'content', 'application/octet-stream', 'schema')).toStrictEqual({ type: 'string', format: 'binary' })
    expect(at(operation, 'responses', '200', 'headers', 'ETag', 'schema', 'pattern')).toBe('^"[0-9a-f]{64}"$')
    expect((at(operation, 'parameters') as { name: string; in: string }[]).map((p) => `${p.in}:${p.name}`)).toStrictEqual(['path:name', 'header:If-None-Match'])
  })

  it('describes fine-tuning from the schemas that validate its parts', () => {
    const operation = at(document, 'paths', '/v1/models/{name}/fine-tune', 'post')
    const form = at(operation, 'requestBody', 'content', 'multipart/form-data') as Node
    expect(Object.keys(at(form, 'schema', 'properties') as Node)).toStrictEqual(['labels', 'options', 'inputs', 'image'])
    expect(at(form, 'schema', 'required')).toStrictEqual(['labels'])
    const options = at(form, 'schema', 'properties', 'options') as Node
    expect(at(options, 'additionalProperties')).toBe(false)
    expect(Object.keys(at(options, 'properties') as Node)).toStrictEqual([
      'epochs', 'learningRate', 'optimizer', 'momentum', 'weightDecay', 'batchSize', 'dropoutRate', 'temperature', 'lambda', 'detach',
      'seed', 'folds', 'validationFraction', 'calibrationObjective', 'classes', 'name', 'dataName', 'targetAcceptance', 'targetRisk',
    ])
    expect(at(options, 'properties', 'optimizer', 'enum')).toStrictEqual(['adam', 'sgd'])
    expect(at(options, 'properties', 'calibrationObjective', 'enum')).toStrictEqual(['nll', 'brier'])
    expect((at(options, 'properties', 'classes', 'oneOf') as Node[]).map((variant) => at(variant, 'properties', 'mode', 'const'))).toStrictEqual(['keep', 'extend', 'replace'])
    expect(at(form, 'encoding', 'labels', 'contentType')).toBe('application/json')
    expect(at(operation, 'security')).toStrictEqual([{ bearer: [] }])
    expect(Object.keys(at(operation, 'responses') as Node)).toStrictEqual(['201', '400', '401', '403', '404', '408', '409', '413', '415', '422', '500', '503'])
    expect(at(operation, 'responses', '403', 'description')).toContain('`fine_tuning_disabled`')
    expect(at(operation, 'responses', '201', 'content', 'application/json', 'schema', 'required')).toContain('r2Key')
  })
})
