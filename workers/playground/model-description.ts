import type { ImagePreprocessing, OodScoreName } from '@sd-dropout/sdk'

/** The part of `GET /v1/models/:name` (docs/http.md) the playground uses. */
export interface ModelDescription {
  readonly name: string
  readonly id: string
  /** SHA-256 (hex) of the bundle file; the bundle route's ETag. */
  readonly sha256: string
  readonly labels: readonly string[]
  readonly input: { readonly shape: readonly number[]; readonly kind: 'image' | 'vector'; readonly image: ImagePreprocessing | null }
  readonly ood: { readonly score: OodScoreName; readonly thresholds: Readonly<Partial<Record<OodScoreName, number>>>; readonly samples: number }
}

/** An error answer of the worker (`{ "error": { "code", "message" } }`), or a failed request. */
export class PlaygroundRequestError extends Error {
  readonly status: number
  readonly code: string

  constructor(status: number, code: string, message: string) {
    super(message)
    this.name = 'PlaygroundRequestError'
    this.status = status
    this.code = code
  }
}

/**
 * A URL of the worker, relative to the page (so the playground also works under a path prefix).
 *
 * @example
 * ```ts
 * apiUrl('v1/models') // http://127.0.0.1:8787/v1/models
 * ```
 */
export function apiUrl(path: string): URL {
  return new URL(path, document.baseURI)
}

/**
 * Checks a worker response: returns it when OK, else throws its JSON error as a
 * {@link PlaygroundRequestError} (`code: message`).
 *
 * @example
 * ```ts
 * const response = await checked(await fetch(apiUrl('v1/models')))
 * ```
 */
export async function checked(response: Response): Promise<Response> {
  if (response.ok) return response
  let code = 'http_error'
  let message = `${response.status} ${response.statusText}`
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } }
    code = body.error?.code ?? code
    message = body.error?.message ?? message
  } catch {
    // not JSON: keep the status line
  }
  throw new PlaygroundRequestError(response.status, code, `${code}: ${message}`)
}

/**
 * Describes the worker's built-in default model (`GET /v1/models`, then `GET /v1/models/:name`).
 *
 * @throws {PlaygroundRequestError} when the worker answers an error (e.g. 401 when it has an API_TOKEN).
 * @example
 * ```ts
 * const model = await describeDefaultModel()
 * model.labels // ['0', ..., '9']
 * ```
 */
export async function describeDefaultModel(): Promise<ModelDescription> {
  const list = (await (await checked(await fetch(apiUrl('v1/models')))).json()) as { default: string }
  return (await (await checked(await fetch(apiUrl(`v1/models/${encodeURIComponent(list.default)}`)))).json()) as ModelDescription
}
