import * as v from 'valibot'
import { predictOptionEntries } from './predict-options.js'

/** `{ "inputs": number[][] }`: B items, each the flattened model input (model space, no preprocessing). */
export const rowsBodySchema = v.pipe(
  v.strictObject({
    inputs: v.pipe(
      v.array(v.array(v.number())),
      v.minLength(1, 'the batch is empty (expected at least one item)'),
      v.description('B items, each the flattened model input (product of the input shape values), already in model space.'),
    ),
    ...predictOptionEntries,
  }),
  v.title('RowsBody'),
)

/** `{ "tensor": { "shape": [B, ...], "data": base64 } }`: little-endian float32 values, item-major. */
export const tensorBodySchema = v.pipe(
  v.strictObject({
    tensor: v.strictObject({
      shape: v.pipe(
        v.array(v.pipe(v.number(), v.integer(), v.minValue(1))),
        v.minLength(2, 'shape is [B, ...item shape] (or [B, item size])'),
        v.maxLength(8),
        v.description('[B, ...model input shape] or [B, product of the input shape].'),
      ),
      data: v.pipe(v.string(), v.minLength(1), v.description('Standard padded base64 of the little-endian float32 values (4 x product of shape bytes).')),
    }),
    ...predictOptionEntries,
  }),
  v.title('TensorBody'),
)

/**
 * The JSON bodies of `POST .../predict` and `.../filter` (a body with a `tensor` field is a tensor
 * body, any other a rows body; each is a strict object).
 *
 * @example
 * ```ts
 * v.parse(predictJsonBodySchema, { inputs: [[0, 1]], samples: 8 })
 * ```
 */
export const predictJsonBodySchema = v.union([rowsBodySchema, tensorBodySchema])

/** A parsed JSON body. */
export type PredictJsonBody = v.InferOutput<typeof predictJsonBodySchema>
