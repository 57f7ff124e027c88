/**
 * The typed error hierarchy of sd-dropout. Every failure the SDK, the trainer or the worker can
 * explain is one of these classes; each carries a literal `code` (the discriminant the worker maps
 * to an HTTP status in one place) and structured `details`.
 *
 * @example
 * ```ts
 * import { SdDropoutError, IntegrityError } from '@sd-dropout/sdk'
 * try { readBundle(bytes) } catch (error) {
 *   if (error instanceof IntegrityError) console.error(`part ${error.part} is damaged`)
 *   else if (error instanceof SdDropoutError) console.error(error.code, error.message)
 * }
 * ```
 */

/** Every error code the project raises; a closed union so callers can switch on it. */
export type SdDropoutErrorCode =
  | 'format_error'
  | 'integrity_error'
  | 'signature_error'
  | 'shape_error'
  | 'input_error'
  | 'not_fitted_error'
  | 'option_error'
  | 'kernel_error'
  | 'aborted_error'
  | 'divergence_error'

/** Structured context of an error (plain JSON values only, so it can cross HTTP). */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | readonly (string | number)[]>>

/** Base class of every typed error; never thrown itself. */
export abstract class SdDropoutError extends Error {
  abstract readonly code: SdDropoutErrorCode
  readonly details: ErrorDetails

  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.details = details
    this.name = new.target.name
  }

  /** A JSON-safe view: `{ code, message, details }`. */
  toJSON(): { code: SdDropoutErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details }
  }
}

/** A bundle (or other file) is not in the expected format: bad magic, unknown version, truncation, schema violation. `part` names where. */
export class FormatError extends SdDropoutError {
  readonly code = 'format_error'
  readonly part: string

  constructor(part: string, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(`${part}: ${message}`, { part, ...details }, options)
    this.part = part
  }
}

/** Bytes do not match their recorded SHA-256: the named part was changed after it was written. */
export class IntegrityError extends SdDropoutError {
  readonly code = 'integrity_error'
  readonly part: string

  constructor(part: string, expected: string, actual: string) {
    super(`${part}: SHA-256 mismatch (recorded ${expected}, computed ${actual}); the bundle was modified or damaged`, {
      part,
      expected,
      actual,
    })
    this.part = part
  }
}

/** A signature is missing, malformed or does not verify under the configured public key. */
export class SignatureError extends SdDropoutError {
  readonly code = 'signature_error'
  readonly part = 'signature'
}

/** An array has the wrong length or shape; `expected` and `received` say what was wanted and what came. */
export class ShapeError extends SdDropoutError {
  readonly code = 'shape_error'
  readonly expected: string
  readonly received: string

  constructor(what: string, expected: string, received: string, details: ErrorDetails = {}) {
    super(`${what}: expected ${expected}, received ${received}`, { what, expected, received, ...details })
    this.expected = expected
    this.received = received
  }
}

/** A value is invalid: NaN or Infinity, an empty batch, a label out of range, an undecodable image, ... */
export class InputError extends SdDropoutError {
  readonly code = 'input_error'
}

/** A statistic or threshold is needed but was never fitted (e.g. a Mahalanobis score on a bundle without statistics). */
export class NotFittedError extends SdDropoutError {
  readonly code = 'not_fitted_error'
}

/** An option is unknown, of the wrong type or out of range. `option` names it. */
export class OptionError extends SdDropoutError {
  readonly code = 'option_error'
  readonly option: string

  constructor(option: string, message: string, details: ErrorDetails = {}) {
    super(`option ${option}: ${message}`, { option, ...details })
    this.option = option
  }
}

/** A compute kernel failed to initialise or run (wasm missing, second init, out of memory). */
export class KernelError extends SdDropoutError {
  readonly code = 'kernel_error'
}

/** A long operation (fine-tuning, training) was cancelled through its AbortSignal; nothing was produced. */
export class AbortedError extends SdDropoutError {
  readonly code = 'aborted_error'
}

/** Training or fine-tuning diverged: the loss became NaN or infinite (lower the learning rate). `details` say where. */
export class DivergenceError extends SdDropoutError {
  readonly code = 'divergence_error'
}
