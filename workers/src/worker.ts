/**
 * The deployable Worker (wrangler.toml `main`): the app around the built-in default bundle
 * `models/mnist-sd-dropout/model.sdd`, imported as a wrangler `Data` module (an ArrayBuffer), and
 * the SDK's workerd entry (wasm imported as precompiled modules).
 */
import { loadModel } from '@sd-dropout/sdk'
import defaultBundle from '../../models/mnist-sd-dropout/model.sdd'
import { createApp } from './app.js'

export default createApp({ defaultBundle, loadModel })
