import type { WorkerBindings, WorkerConfig } from './config/worker-config.js'

/** Per-request values the app's middleware sets. */
export interface AppVariables {
  /** The parsed worker configuration (`middleware/config`). */
  config: WorkerConfig
  /** The request id echoed in `x-request-id` (`middleware/request-id`). */
  requestId: string
}

/** The Hono environment of the sd-dropout app: worker bindings and request variables. */
export interface AppEnv {
  Bindings: WorkerBindings
  Variables: AppVariables
}
