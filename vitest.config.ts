import { defineConfig } from 'vitest/config';

/**
 * Three projects:
 * - unit: pure logic next to the code (`*.test.ts` under the workspaces);
 * - integration: several real processes (Redis, mediasoup worker, Socket.IO) under tests/integration;
 * - e2e: real Chromium pages, one browser pair at a time, under tests/e2e.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['sfu-server/src/**/*.test.ts', 'signaling/src/**/*.test.ts', 'clients/common/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          globalSetup: ['tests/support/clientBundles.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
