import { CALIBRATION_OBJECTIVES, type OptimizerName } from '@sd-dropout/sdk'
import * as v from 'valibot'
import { MODEL_NAME_PATTERN } from '../config/worker-config.js'
import { MAX_SEED } from './predict-options.js'

const OPTIMIZERS = ['adam', 'sgd'] as const satisfies readonly OptimizerName[]
const finite = v.pipe(v.number(), v.finite())
const labelName = v.pipe(v.string(), v.minLength(1), v.maxLength(256))
const newLabels = v.pipe(v.array(labelName), v.minLength(1), v.maxLength(10_000))

/** `classes`: keep the label set, extend it by new labels, or replace it (model.fineTune's ClassesOption). */
export const classesSchema = v.pipe(
  v.variant('mode', [
    v.strictObject({ mode: v.literal('keep') }),
    v.strictObject({ mode: v.literal('extend'), labels: newLabels }),
    v.strictObject({ mode: v.literal('replace'), labels: newLabels }),
  ]),
  v.description('keep (default), extend: new labels appended after the model\'s, replace: a new label list (labels the model has keep their head column).'),
)

/**
 * The `options` part of `POST /v1/models/:name/fine-tune`: the options of the SDK's
 * `model.fineTune` that make sense over HTTP (no signal, progress callback, id or kernel: the worker
 * sets those), every one optional, unknown keys refused. The SDK applies the defaults and the
 * cross-field rules (momentum only with sgd); `epochs` is also capped by MAX_FINE_TUNE_EPOCHS.
 *
 * @example
 * ```ts
 * v.parse(fineTuneOptionsSchema, { epochs: 20, lambda: 1, classes: { mode: 'extend', labels: ['5'] } })
 * ```
 */
export const fineTuneOptionsSchema = v.pipe(
  v.strictObject({
    epochs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000), v.description('Passes over the training examples (default 40; at most MAX_FINE_TUNE_EPOCHS).'))),
    learningRate: v.optional(v.pipe(finite, v.gtValue(0), v.description('Step size (default 0.01 for adam, 0.1 for sgd).'))),
    optimizer: v.optional(v.pipe(v.picklist(OPTIMIZERS), v.description('adam (default) or sgd with momentum.'))),
    momentum: v.optional(v.pipe(finite, v.minValue(0), v.ltValue(1), v.description('SGD momentum in [0, 1) (default 0.9); sgd only.'))),
    weightDecay: v.optional(v.pipe(finite, v.minValue(0), v.description('L2 weight decay on W and b (default 1e-4).'))),
    batchSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65_536), v.description('Examples per step (default 32).'))),
    dropoutRate: v.optional(v.pipe(finite, v.minValue(0), v.ltValue(1), v.description("Drop probability p of the two dropout branches, [0, 1) (default: the model's)."))),
    temperature: v.optional(v.pipe(finite, v.gtValue(0), v.description('Distillation temperature tau (default 1).'))),
    lambda: v.optional(v.pipe(finite, v.minValue(0), v.description('Weight of the symmetric KL term (default 1); 0 = plain cross-entropy.'))),
    detach: v.optional(v.pipe(v.boolean(), v.description("Detach each KL term's target side (default false)."))),
    seed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SEED), v.description('Seed of the split, shuffles and dropout masks (default 0).'))),
    folds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(20), v.check((n) => n !== 1, 'folds is 0 or 2..20'), v.description('Cross-fitting folds for re-calibration, 0 or 2..20 (default 5); 0 = hold out validationFraction instead.'))),
    validationFraction: v.optional(v.pipe(finite, v.gtValue(0), v.ltValue(1), v.description('With folds 0: fraction of each class held out to re-calibrate, in (0, 1) (default 0.2).'))),
    calibrationObjective: v.optional(v.pipe(v.picklist(CALIBRATION_OBJECTIVES), v.description('What T_cal minimises on the out-of-fold predictions: brier (default; bounded per item, so a few confident mistakes under a domain shift do not soften every prediction) or nll.'))),
    classes: v.optional(classesSchema),
    name: v.optional(v.pipe(v.string(), v.regex(MODEL_NAME_PATTERN, 'model names are [a-z0-9][a-z0-9._-]* (at most 128 characters)'), v.description('Name of the new model (default <parent>-ft-<8 hex>).'))),
    dataName: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(1024), v.description('Description of the data, kept in the provenance.'))),
    targetAcceptance: v.optional(v.pipe(finite, v.gtValue(0), v.maxValue(1), v.description("Fraction of held-out items each OOD threshold accepts, (0, 1] (default: the parent's)."))),
    targetRisk: v.optional(v.pipe(finite, v.minValue(0), v.maxValue(1), v.description("Target risk of the selective threshold, [0, 1] (default: the parent's, else 0.01)."))),
  }),
  v.title('FineTuneOptions'),
)

/** Parsed fine-tuning options: assignable to the SDK's `FineTuneOptions` (the route passes them on). */
export type FineTuneRequestOptions = v.InferOutput<typeof fineTuneOptionsSchema>

/**
 * The `labels` part: one label per example, in example order: a label name of the (new) label set
 * or its class index.
 *
 * @example
 * ```ts
 * v.parse(fineTuneLabelsSchema, ['7', '1', 3])
 * ```
 */
export const fineTuneLabelsSchema = v.pipe(
  v.array(v.union([labelName, v.pipe(v.number(), v.integer(), v.minValue(0))])),
  v.minLength(1, 'no labels: fine-tuning needs at least one labelled example'),
  v.description('One label per example, in order: a label name of the (new) label set, or its class index.'),
  v.title('FineTuneLabels'),
)
