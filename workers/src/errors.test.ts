import { AbortedError, DivergenceError, FormatError, InputError, IntegrityError, KernelError, NotFittedError, OptionError, ShapeError, SignatureError } from '@sd-dropout/sdk'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { describe, expect, it, vi } from 'vitest'
import { ERROR_CATALOGUE, ERROR_CODES } from './error-catalogue.js'
import { ApiError, describeError, notFound, onError } from './errors.js'

describe('describeError', () => {
  it('keeps an ApiError code, its catalogue status, details and headers', () => {
    const reply = describeError(new ApiError('batch_too_large', 'too many', { details: { batch: 9, maxBatch: 4 }, headers: { 'x-a': '1' } }))
    expect(reply).toStrictEqual({ status: 413, body: { error: { code: 'batch_too_large', message: 'too many', details: { batch: 9, maxBatch: 4 } } }, headers: { 'x-a': '1' }, internal: false })
  })

  it('forwards the SDK input errors as 400 / 422 with their codes and details', () => {
    expect(describeError(new InputError('NaN at item 0', { item: 0 })).body).toStrictEqual({ error: { code: 'input_error', message: 'NaN at item 0', details: { item: 0 } } })
    expect(describeError(new InputError('x')).status).toBe(400)
    const shape = describeError(new ShapeError('input item 0', '64 values', '3 values'))
    expect([shape.status, shape.body.error.code, shape.body.error.message]).toStrictEqual([400, 'shape_error', 'input item 0: expected 64 values, received 3 values'])
    expect(describeError(new OptionError('samples', 'too big')).body.error.code).toBe('option_error')
    expect(describeError(new NotFittedError('no threshold')).status).toBe(422)
  })

  it('forwards the fine-tuning errors: aborted as 408, divergence as 422, with their details', () => {
    expect(describeError(new AbortedError('fine-tuning was aborted (gone); nothing was produced'))).toStrictEqual({
      status: 408,
      body: { error: { code: 'aborted_error', message: 'fine-tuning was aborted (gone); nothing was produced' } },
      headers: {},
      internal: false,
    })
    const diverged = describeError(new DivergenceError('the loss is NaN', { epoch: 3, step: 1, loss: 'NaN' }))
    expect([diverged.status, diverged.body.error.code, diverged.body.error.details]).toStrictEqual([422, 'divergence_error', { epoch: 3, step: 1, loss: 'NaN' }])
  })

  it('turns bundle errors into 503 model_unavailable naming the SDK code in details.cause', () => {
    for (const [error, cause] of [
      [new FormatError('manifest', 'bad'), 'format_error'],
      [new IntegrityError('head.weight', 'aa', 'bb'), 'integrity_error'],
      [new SignatureError('signature does not verify'), 'signature_error'],
    ] as const) {
      const reply = describeError(error)
      expect(reply.status).toBe(503)
      expect(reply.body.error.code).toBe('model_unavailable')
      expect(reply.body.error.details?.cause).toBe(cause)
      expect(reply.internal).toBe(true)
    }
  })

  it('maps a kernel failure to 500 kernel_error and anything unknown to a generic 500', () => {
    expect(describeError(new KernelError('wasm gone')).status).toBe(500)
    expect(describeError(new KernelError('wasm gone')).body.error.code).toBe('kernel_error')
    expect(describeError(new TypeError('secret internals'))).toStrictEqual({ status: 500, body: { error: { code: 'internal_error', message: 'internal error' } }, headers: {}, internal: true })
    expect(describeError('a string').body.error.code).toBe('internal_error')
  })

  it('maps other HTTPExceptions by status', () => {
    expect(describeError(new HTTPException(401, { message: 'no' })).body.error).toStrictEqual({ code: 'unauthorized', message: 'no' })
    expect(describeError(new HTTPException(413)).body.error.code).toBe('payload_too_large')
    const teapot = describeError(new HTTPException(418, { message: 'teapot' }))
    expect([teapot.status, teapot.body.error.code]).toStrictEqual([418, 'invalid_request'])
    expect(describeError(new HTTPException(502)).body.error.code).toBe('internal_error')
  })
})

describe('the error catalogue', () => {
  it('gives every code a 4xx or 5xx status and a description', () => {
    expect(ERROR_CODES.length).toBe(23)
    for (const code of ERROR_CODES) {
      expect(ERROR_CATALOGUE[code].status >= 400 && ERROR_CATALOGUE[code].status < 600, code).toBe(true)
      expect(ERROR_CATALOGUE[code].description.length).toBeGreaterThan(10)
    }
  })
})

describe('onError and notFound on an app', () => {
  it('answer JSON with the status and headers', async () => {
    const app = new Hono()
    app.get('/auth', () => {
      throw new ApiError('unauthorized', 'missing token', { headers: { 'WWW-Authenticate': 'Bearer' } })
    })
    app.get('/boom', () => {
      throw new Error('internal detail')
    })
    app.notFound(notFound).onError(onError)
    const auth = await app.request('/auth')
    expect(auth.status).toBe(401)
    expect(auth.headers.get('www-authenticate')).toBe('Bearer')
    expect(await auth.json()).toStrictEqual({ error: { code: 'unauthorized', message: 'missing token' } })
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const boom = await app.request('/boom')
    expect([boom.status, await boom.json()]).toStrictEqual([500, { error: { code: 'internal_error', message: 'internal error' } }])
    expect(log).toHaveBeenCalledTimes(1)
    log.mockRestore()
    const missing = await app.request('/nope')
    expect([missing.status, await missing.json()]).toStrictEqual([404, { error: { code: 'not_found', message: 'no route GET /nope' } }])
  })
})
