import { defineConfig } from 'vitest/config'

// One run covers every package. `source` resolves workspace packages to their TypeScript
// sources, so tests never depend on a stale build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['sdk/src/**/*.test.ts', 'training/src/**/*.test.ts', 'workers/src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
