// Jest in ESM mode (NestJS 12 is ESM only): run through `npm test`, which sets
// NODE_OPTIONS=--experimental-vm-modules.
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};

export default {
  globalSetup: './test/support/global-setup.mjs',
  globalTeardown: './test/support/global-teardown.mjs',
  testTimeout: 60_000,
  // Test files run in a worker process that is replaced once it holds more than this after a file:
  // every file starts a whole service, and ESM test modules are not freed, so one long-lived
  // process (Jest's in-band mode, its default on two cores) runs out of heap.
  workerIdleMemoryLimit: '1536MB',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'http', testMatch: ['<rootDir>/test/http/**/*.e2e.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser.ts'] },
  ],
};
