import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors.js'
import { readBody } from './read-body.js'

function streamOf(chunks: number[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const size of chunks) controller.enqueue(new Uint8Array(size).fill(7))
      controller.close()
    },
  })
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiError) return `${error.status} ${error.code}`
    throw error
  }
  return 'ok'
}

describe('readBody', () => {
  it('reads a body up to exactly the limit, joining chunks', async () => {
    const request = new Request('http://x/', { method: 'POST', body: streamOf([3, 4, 3]), duplex: 'half' } as RequestInit)
    const bytes = await readBody(request, 10)
    expect(Array.from(bytes)).toStrictEqual(Array(10).fill(7))
  })

  it('refuses by Content-Length before reading', async () => {
    const request = new Request('http://x/', { method: 'POST', body: new Uint8Array(11), headers: { 'content-length': '11' } })
    expect(await code(readBody(request, 10))).toBe('413 payload_too_large')
  })

  it('refuses by the bytes actually received when there is no Content-Length', async () => {
    const request = new Request('http://x/', { method: 'POST', body: streamOf([6, 6]), duplex: 'half' } as RequestInit)
    expect(await code(readBody(request, 10))).toBe('413 payload_too_large')
  })

  it('refuses by the bytes received when the Content-Length lies', async () => {
    const headers = new Headers({ 'content-length': '4' })
    const request = { headers, body: streamOf([8, 8]) } as unknown as Request
    expect(await code(readBody(request, 10))).toBe('413 payload_too_large')
  })

  it('refuses a malformed Content-Length and returns no bytes for no body', async () => {
    const lying = { headers: new Headers({ 'content-length': '-1' }), body: null } as unknown as Request
    expect(await code(readBody(lying, 10))).toBe('400 invalid_request')
    expect((await readBody(new Request('http://x/'), 10)).byteLength).toBe(0)
  })
})
