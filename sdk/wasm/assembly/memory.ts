// Raw memory management exported to the host (the TLSF allocator of AssemblyScript's `minimal`
// runtime; no garbage-collected objects are ever created). Blocks are 16-byte aligned, so every
// v128 access into them is aligned. An allocation may grow memory, which detaches every
// typed-array view the host holds: the host re-creates its views after each `alloc`.

/** Allocates `bytes` bytes (16-byte aligned) and returns the pointer; traps when memory is exhausted. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes)
}

/** Frees a block returned by `alloc`. */
export function free(ptr: usize): void {
  heap.free(ptr)
}
