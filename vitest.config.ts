// Three projects, runnable apart (`npx vitest run --project unit`); `npm test` runs all of them.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/shared/**/*.test.ts', 'tests/renderer/**/*.test.ts', 'tests/preload/**/*.test.ts'] } },
      { test: { name: 'integration', include: ['tests/main/**/*.test.ts', 'tests/tools/**/*.test.ts'] } },
      { test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'] } },
    ],
  },
});
