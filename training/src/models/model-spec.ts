import type * as tfl from '@tensorflow/tfjs-layers'

/**
 * Architecture of a backbone, with a literal discriminant. Every backbone maps an input item to a
 * globally pooled feature vector h of `featureDim` values (DESIGN section 1: dropout on h equals
 * channel dropout before global average pooling) and exposes its stage feature maps.
 */
export type ModelSpec =
  /** Fully connected: flatten, then `hidden` ReLU layers; h = the last hidden layer. */
  | { readonly architecture: 'mlp'; readonly hidden: readonly number[] }
  /** Small conv net: conv(w)-pool, conv(2w)-pool, conv(4w), global average pool; D = 4w. */
  | { readonly architecture: 'cnn'; readonly width: number }
  /** CIFAR-style ResNet (He et al. 2016, section 4.2): depth 6n + 2, stages of width w, 2w, 4w; D = 4w. */
  | { readonly architecture: 'resnet'; readonly depth: number; readonly width: number }

/** One of the architecture names. */
export type ArchitectureName = ModelSpec['architecture']

/** The architecture names the CLI accepts. */
export const ARCHITECTURE_NAMES = ['mlp', 'cnn', 'resnet'] as const satisfies readonly ArchitectureName[]

/**
 * A built backbone: a tfjs-layers functional model whose output 0 is h ([B, D]) and whose
 * outputs 1..k are the stage feature maps (shallow to deep), for self-KD methods that need them.
 */
export interface Backbone {
  readonly model: tfl.LayersModel
  readonly spec: ModelSpec
  /** D, the length of h. */
  readonly featureDim: number
  /** Shape of one input item, e.g. [28, 28, 1]. */
  readonly inputShape: readonly number[]
  /** Names of the stage outputs, in output order 1..k. */
  readonly stageNames: readonly string[]
}

/**
 * The default spec of each architecture, sized for 28x28 and 32x32 images on a CPU.
 *
 * @example
 * ```ts
 * defaultModelSpec('resnet') // { architecture: 'resnet', depth: 8, width: 16 }
 * ```
 */
export function defaultModelSpec(architecture: ArchitectureName): ModelSpec {
  switch (architecture) {
    case 'mlp':
      return { architecture, hidden: [256, 128] }
    case 'cnn':
      return { architecture, width: 16 }
    case 'resnet':
      return { architecture, depth: 8, width: 16 }
  }
}
