import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors.js'
import { multipartImages } from './multipart-body.js'

async function encoded(form: FormData): Promise<{ bytes: Uint8Array<ArrayBuffer>; type: string }> {
  const request = new Request('http://x/', { method: 'POST', body: form })
  return { bytes: new Uint8Array(await request.arrayBuffer()), type: request.headers.get('content-type') ?? '' }
}

async function failure(bytes: Uint8Array<ArrayBuffer>, type: string, max = 4): Promise<string> {
  try {
    await multipartImages(bytes, type, max)
  } catch (error) {
    if (error instanceof ApiError) return `${error.status} ${error.code}`
    throw error
  }
  return 'ok'
}

describe('multipartImages', () => {
  it('returns the file parts in form order', async () => {
    const form = new FormData()
    form.append('a', new Blob([Uint8Array.of(1, 2, 3)], { type: 'image/png' }), 'a.png')
    form.append('b', new Blob([Uint8Array.of(9)], { type: 'image/jpeg' }), 'b.jpg')
    const { bytes, type } = await encoded(form)
    expect((await multipartImages(bytes, type, 4)).map((image) => Array.from(image))).toStrictEqual([[1, 2, 3], [9]])
  })

  it('refuses text parts, no parts, too many parts and a malformed body', async () => {
    const text = new FormData()
    text.append('samples', '32')
    const textBody = await encoded(text)
    expect(await failure(textBody.bytes, textBody.type)).toBe('400 invalid_request')
    const many = new FormData()
    for (let i = 0; i < 5; i++) many.append(`f${i}`, new Blob([Uint8Array.of(i)]), `${i}.png`)
    const manyBody = await encoded(many)
    expect(await failure(manyBody.bytes, manyBody.type)).toBe('413 batch_too_large')
    expect(await failure(new Uint8Array(new TextEncoder().encode('--x--\r\n')), 'multipart/form-data; boundary=x')).toBe('400 invalid_request')
    expect(await failure(new Uint8Array(new TextEncoder().encode('garbage')), 'multipart/form-data')).toBe('400 invalid_request')
  })
})
