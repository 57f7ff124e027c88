import { toHex } from '@sd-dropout/sdk'

/** Where fine-tuned bundles live in MODEL_BUCKET: `fine-tuned/<name>.sdd`. */
export const FINE_TUNED_PREFIX = 'fine-tuned/'

/**
 * The R2 object key of the fine-tuned model `name`: the one convention by which a model written by
 * `POST /v1/models/:name/fine-tune` becomes servable by name (no index object to keep in step:
 * R2 is strongly consistent, so the model is servable as soon as the write returns).
 *
 * @example
 * ```ts
 * fineTunedModelKey('digits-ft-1a2b3c4d') // 'fine-tuned/digits-ft-1a2b3c4d.sdd'
 * ```
 */
export function fineTunedModelKey(name: string): string {
  return `${FINE_TUNED_PREFIX}${name}.sdd`
}

/**
 * The default name of a model fine-tuned from `parent` (a model name): `<parent>-ft-<8 hex
 * digits>` from 4 random bytes, the parent's name shortened so the whole stays within the 128
 * characters of a model name.
 *
 * @example
 * ```ts
 * fineTunedModelName('digits', Uint8Array.of(0x1a, 0x2b, 0x3c, 0x4d)) // 'digits-ft-1a2b3c4d'
 * ```
 */
export function fineTunedModelName(parent: string, random: Uint8Array = crypto.getRandomValues(new Uint8Array(4))): string {
  const suffix = `-ft-${toHex(random.subarray(0, 4))}`
  return `${parent.slice(0, 128 - suffix.length)}${suffix}`
}
