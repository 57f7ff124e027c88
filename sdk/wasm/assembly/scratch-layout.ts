// The scratch memory of one `runHead` call (fused-head.ts): its regions for D features, C classes
// and S samples (B never matters: items are processed 4 at a time). The host allocates
// `scratchBytes(D, C, S)` bytes per call and frees them after.

import { paddedClasses } from './head-weights'
import { GROUP_STARTS } from './mask-patterns'

/**
 * The scratch regions of `runHead`, as absolute pointers, set by `layoutScratch` (all 16-byte
 * aligned). A plain (unmanaged) class: allocated once at start-up, never per call, so the `minimal`
 * runtime's garbage collector (never triggered here) has nothing to collect.
 */
@unmanaged export class Scratch {
  x: usize = 0
  order: usize = 0
  starts: usize = 0
  patterns: usize = 0
  partials: usize = 0
  z: usize = 0
  probabilities: usize = 0
  sums: usize = 0
  entropies: usize = 0
  lanes: usize = 0
  mean: usize = 0
  end: usize = 0
}

const layout = new Scratch()

/** Fills `layout` for scratch memory at `base` and D features, C classes, S samples. */
export function layoutScratch(base: usize, features: i32, classes: i32, samples: i32): Scratch {
  const padded = <usize>paddedClasses(classes)
  const blocks = <usize>max(1, (samples + 3) >> 2)
  const d = <usize>features
  const s = layout
  s.x = base
  s.order = s.x + (d << 4)
  s.starts = s.order + align16((blocks * d) << 2)
  s.patterns = s.starts + align16((blocks * <usize>GROUP_STARTS) << 2)
  s.partials = s.patterns + align16(d)
  s.z = s.partials + ((64 * padded) << 2)
  s.probabilities = s.z + (padded << 4)
  s.sums = s.probabilities + ((4 * blocks * padded) << 4)
  s.entropies = s.sums + ((4 * padded) << 4)
  s.lanes = s.entropies + 64
  s.mean = s.lanes + 64
  s.end = s.mean + (padded << 2)
  return s
}

// @ts-ignore: decorator
@inline function align16(bytes: usize): usize {
  return (bytes + 15) & ~15
}

/** Bytes of scratch memory `runHead` needs for D features, C classes and S samples. */
export function scratchBytes(features: i32, classes: i32, samples: i32): usize {
  return layoutScratch(0, features, classes, samples).end
}

