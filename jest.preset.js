// One jest configuration for every project. Two tiers:
//  - unit (`*.spec.ts`): pure logic, no I/O, runs anywhere;
//  - integration (`*.int-spec.ts`, SETTLE_TEST_TIER=integration): real PostgreSQL, Redis and Kafka.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    path.join(__dirname, target),
  ]),
);

// Each run writes its results here (nx.json passes --outputFile); `npm test` adds them up.
require('node:fs').mkdirSync(path.join(__dirname, '.local', 'test-results'), { recursive: true });

module.exports = function jestConfig(projectDir) {
  const integration = process.env.SETTLE_TEST_TIER === 'integration';
  return {
    displayName: path.relative(__dirname, projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: integration ? ['<rootDir>/**/*.int-spec.ts'] : ['<rootDir>/**/*.spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    moduleNameMapper,
    moduleFileExtensions: ['ts', 'js', 'json'],
    testTimeout: integration ? 60_000 : 10_000,
    // Integration suites open sockets to PostgreSQL, Redis and Kafka; they must close them.
    // A suite that leaks a handle is a bug, but it must not hang CI for 90 minutes.
    forceExit: integration,
    // Not every project has both tiers (pure libraries have no integration tier, thin wiring is
    // covered by integration tests only); the closing summary fails a run that passed no test.
    passWithNoTests: true,
  };
};
