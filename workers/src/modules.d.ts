// wrangler's `Data` rule (wrangler.toml) imports model bundles as ArrayBuffers.
declare module '*.sdd' {
  const bytes: ArrayBuffer
  export default bytes
}
