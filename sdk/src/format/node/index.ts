/**
 * Node-only helpers of the bundle format (they import `node:*`, so the universal barrel
 * `format/index.ts` does not re-export them).
 */
export { nodeFileSystem, writeFileAtomic, type AtomicFileSystem, type WritableFile } from './atomic-write.js'
export { readBundleFile, writeBundleFile, type WrittenBundleFile } from './bundle-file.js'
