/**
 * The model bundle format v1 (`model.sdd`): one binary file holding a whole model. Universal
 * (Node, browsers, Cloudflare Workers); the Node file helpers live in `./node/index.js`.
 * Specification: docs/format.md.
 */
export {
  BUNDLE_FORMAT_MAJOR,
  BUNDLE_FORMAT_MINOR,
  BUNDLE_MAGIC,
  SUPPORTED_MAJOR_VERSIONS,
  type PartDtype,
} from './bundle-layout.js'
export type { BundlePartInput } from './bundle-part.js'
export type * from './manifest.js'
export { manifestSchema, parseManifest, type ParseManifestOptions } from './manifest-schema.js'
export type { BundlePartInfo, ModelBundle } from './model-bundle.js'
export { readBundle, type ReadBundleOptions } from './read-bundle.js'
export { sha256, sha256Hex, toHex } from './sha256.js'
export { generateSigningKeyPair, importPrivateKey, importPublicKey, type SigningKeyPair } from './signing-keys.js'
export { writeBundle, type BundleInput, type WriteBundleOptions } from './write-bundle.js'
export { decodeBase64, encodeBase64 } from './base64.js'
export { bytesToFloat32, float32ToBytes } from './float32-bytes.js'
