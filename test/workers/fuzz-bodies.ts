import { grayJpeg, grayPng } from './fixtures.js'

/** One fuzzed request: where, which headers, which body (always a finite byte string or text). */
export interface FuzzRequest {
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: Uint8Array<ArrayBuffer> | string
}

/** mulberry32: a small seeded PRNG, so a failing fuzz case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const TYPES = ['application/json', 'application/octet-stream', 'image/png', 'image/jpeg', 'multipart/form-data; boundary=fuzz', 'text/plain', 'application/x-www-form-urlencoded', '']
const PATHS = ['/v1/predict', '/v1/filter', '/v1/models/test-model/predict', '/v1/models/test-model/filter', '/v1/filter?strict=1']
const BAD_PATHS = ['/v1/models/%00/predict', '/v1/models/a.b_c-d/filter', '/v1/models/TEST/predict', '/v1//predict']
const QUERIES = ['', '?samples=32', '?samples=0&seed=7', '?samples=-1', '?samples=99999999999', '?seed=abc', '?oodScore=energy', '?oodScore=mahalanobis', '?oodScore=mc-entropy&samples=1', '?strict=maybe', '?x=1', '?samples=1&samples=2', '?%ff=1']

/**
 * A generator of random and mutated request bodies of every kind the worker accepts (valid ones
 * damaged at random, random bytes, random JSON structures, random shapes and headers), for a model
 * whose items are 8 x 8 x 1 (64 values).
 *
 * @example
 * ```ts
 * const next = fuzzRequests(12345, 'token')
 * const { path, headers, body } = next()
 * ```
 */
export function fuzzRequests(seed: number, token: string): () => FuzzRequest {
  const random = seededRandom(seed)
  const int = (n: number) => Math.floor(random() * n)
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T
  const values = (n: number) => Float32Array.from({ length: n }, () => random())
  const png = grayPng(values(64), 8, 8)
  const jpeg = grayJpeg(values(64), 8, 8)
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256))
  const mutate = (source: Uint8Array): Uint8Array<ArrayBuffer> => {
    const out = Uint8Array.from(source)
    const edits = 1 + int(8)
    for (let e = 0; e < edits; e++) out[int(out.length)] = int(256)
    return random() < 0.3 ? out.slice(0, int(out.length)) : out
  }
  const randomJson = (depth: number): unknown => {
    const roll = int(depth > 3 ? 4 : 8)
    if (roll === 0) return random() * 10 ** int(40) * (random() < 0.5 ? -1 : 1)
    if (roll === 1) return pick(['', 'x', 'NaN', 'Infinity', 'AAAA', '\u0000', 'inputs'])
    if (roll === 2) return pick([null, true, false, 0, -0, 1e308, Number.MAX_SAFE_INTEGER])
    if (roll === 3) return int(100)
    if (roll < 6) return Array.from({ length: int(depth === 1 ? 80 : 6) }, () => randomJson(depth + 1))
    return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['inputs', 'tensor', 'shape', 'data', 'samples', 'seed', 'oodScore', 'z']), randomJson(depth + 1)]))
  }
  const validJson = () =>
    random() < 0.5
      ? JSON.stringify({ inputs: Array.from({ length: 1 + int(3) }, () => Array.from(values(64))), samples: int(40) })
      : JSON.stringify({ tensor: { shape: [1 + int(2), 64], data: btoa(String.fromCharCode(...new Uint8Array(values(64 * (1 + int(2))).buffer))) } })
  const multipart = (parts: (Uint8Array | string)[]) => {
    const encoder = new TextEncoder()
    const chunks: Uint8Array[] = []
    parts.forEach((part, i) => {
      const file = typeof part !== 'string'
      chunks.push(encoder.encode(`--fuzz\r\nContent-Disposition: form-data; name="f${i}"${file ? `; filename="${i}.png"\r\nContent-Type: image/png` : ''}\r\n\r\n`))
      chunks.push(typeof part === 'string' ? encoder.encode(part) : part, encoder.encode('\r\n'))
    })
    chunks.push(encoder.encode(random() < 0.8 ? '--fuzz--\r\n' : '--fu'))
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
    let offset = 0
    for (const chunk of chunks) {
      out.set(chunk, offset)
      offset += chunk.length
    }
    return out
  }

  return () => {
    const headers: Record<string, string> = { authorization: random() < 0.95 ? `Bearer ${token}` : pick(['Bearer x', 'Bearer', `bearer  ${token}`, 'Token abc']) }
    let type = pick(TYPES)
    let body: Uint8Array<ArrayBuffer> | string
    switch (int(8)) {
      case 0:
        body = bytes(int(600))
        break
      case 1: {
        const text = validJson()
        const at = int(text.length)
        body = random() < 0.5 ? text.slice(0, at) : text.slice(0, at) + pick(['"', '}', ']', ',', 'NaN', '1e999', '\\u12', '{"a":']) + text.slice(at + 1)
        type = random() < 0.8 ? 'application/json' : type
        break
      }
      case 2:
        body = JSON.stringify(randomJson(0))
        type = random() < 0.8 ? 'application/json' : type
        break
      case 3:
        body = mutate(random() < 0.6 ? png : jpeg)
        type = random() < 0.8 ? pick(['image/png', 'image/jpeg']) : type
        break
      case 4: {
        const count = 1 + int(3)
        body = random() < 0.7 ? new Uint8Array(values(64 * count + int(3) - 1).buffer) : bytes(int(2000))
        type = 'application/octet-stream'
        headers['x-shape'] = pick([`${count},64`, `${count},8,8,1`, '[1,64]', '0,64', '1,64,1', '-1,64', 'x', '', '99999999,64', `${count}, 8, 8, 1`])
        break
      }
      case 5:
        body = multipart(Array.from({ length: 1 + int(3) }, () => (random() < 0.7 ? mutate(png) : pick(['', 'text', '32']))))
        type = random() < 0.8 ? 'multipart/form-data; boundary=fuzz' : pick(['multipart/form-data', 'multipart/form-data; boundary=other'])
        break
      case 6:
        body = validJson()
        type = 'application/json'
        break
      default:
        body = new TextEncoder().encode(JSON.stringify({ inputs: [Array.from(values(64), (v) => (random() < 0.02 ? pick([1e39, -1e39, 'x', null]) : v))] })).slice()
        type = 'application/json'
    }
    if (type !== '') headers['content-type'] = type
    const base = random() < 0.05 ? pick(BAD_PATHS) : pick(PATHS)
    const query = pick(QUERIES)
    return { path: base.includes('?') ? base + query.replace('?', '&') : base + query, headers, body }
  }
}
