// Layer boundaries from ../shared/DESIGN.md, enforced as import rules (VS Code style):
//   shared/            pure TS: no node:*, no DOM libs, no electron, no React
//   electron/services/ plain Node: never 'electron', never main/preload/renderer
//   electron/preload/  only 'electron' + shared/
//   electron/host/     what both hosts share (CSP, import report, start-up errors): no 'electron'
//   electron/web/      browser mode: plain Node, never 'electron' or main/
//   renderer/          no node, no electron, reaches services only through the contract API
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
});
const nodeBuiltinPaths = nodeBuiltins.map((name) => ({
  name,
  message: 'This layer must not import Node built-ins.',
}));

// The shared/ modules without zod (issue 12: zod stays out of the renderer bundle; the hosts
// validate at the boundary). The renderer imports values from these only, types from any; they
// import values only from each other.
const zodFreeShared = [
  'checks',
  'contract-client',
  'guideline-diff',
  'metrics/bootstrap',
  'metrics/kendall',
  'metrics/medians',
  'metrics/ratings',
  'metrics/result',
  'metrics/verdicts',
  'preference',
  'qa-classes',
  'reasons',
  'training/grade',
  'training/ref-key',
  'work-state',
];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (names) => names.map(escape).join('|');
const noZod = {
  group: ['zod', 'zod/*'],
  message: 'No zod here: the hosts validate at the boundary (issue 12).',
};
const zodFreeValuesOnly = {
  // a relative import into shared/ that is not one of the zod-free modules
  regex: `^(\\.\\./)+shared/(?!(${anyOf(zodFreeShared)})$)`,
  allowTypeImports: true,
  message:
    'This shared/ module uses zod: take types with `import type`, values from a zod-free module (zodFreeShared in eslint.config.js).',
};
// inside shared/: a relative import whose last part names no zod-free module
const siblingsOnly = {
  regex: `^\\.\\.?/(.*/)?(?!(${anyOf([...new Set(zodFreeShared.map((m) => m.split('/').pop()))])})$)[^/]+$`,
  allowTypeImports: true,
  message:
    'A zod-free shared module imports values only from the other zod-free ones (zodFreeShared in eslint.config.js).',
};

const sharedPure = [
  { group: ['node:*'], message: 'shared/ is pure TypeScript: no Node built-ins.' },
  {
    group: ['electron', 'react', 'react-dom', 'better-sqlite3', 'better-sqlite3-multiple-ciphers', 'fastify'],
    message: 'shared/ is pure.',
  },
  {
    group: ['**/electron/**', '**/renderer/**', '**/server/**'],
    message: 'shared/ imports nothing above it.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'release/',
      'test-results/',
      'playwright-report/',
      'resources/',
      '.tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(sharedPure, nodeBuiltinPaths),
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: restrict([
      {
        group: ['electron', 'electron/*'],
        message: 'services are plain Node; reach Electron through an injected port.',
      },
      {
        group: ['**/main/**', '**/preload/**', '**/web/**', '**/renderer/**', '**/server/**'],
        message: 'services depend on shared/ only.',
      },
    ]),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict([
      {
        group: [
          '**/services/**',
          '**/main/**',
          '**/renderer/**',
          'better-sqlite3',
          'better-sqlite3-multiple-ciphers',
        ],
        message: 'preload only bridges the contract.',
      },
    ]),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: restrict([{ group: ['**/renderer/**'], message: 'hosts never import renderer code.' }]),
  },
  {
    // browser mode runs under plain Node: what it shares with the Electron shell lives in host/
    files: ['electron/web/**/*.ts'],
    rules: restrict([
      { group: ['electron', 'electron/*'], message: 'browser mode runs without Electron.' },
      {
        group: ['**/main/**', '**/preload/**', '**/renderer/**'],
        message: 'browser mode shares code with the Electron shell through electron/host/ only.',
      },
    ]),
  },
  {
    files: ['electron/host/**/*.ts'],
    rules: restrict([
      { group: ['electron', 'electron/*'], message: 'host/ serves both hosts: no Electron.' },
      {
        group: ['**/main/**', '**/web/**', '**/preload/**', '**/renderer/**', '**/server/**'],
        message: 'host/ depends on services and shared/ only.',
      },
    ]),
  },
  {
    files: ['server/**/*.ts'],
    rules: restrict([
      { group: ['electron', 'electron/*'], message: 'the server never imports Electron.' },
      {
        group: ['**/electron/**', '**/renderer/**'],
        message: 'the server shares only shared/ with the app.',
      },
    ]),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [
        { group: ['node:*'], message: 'renderer runs sandboxed: no Node.' },
        {
          group: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers', 'fastify'],
          message: 'renderer talks only to the contract API.',
        },
        { group: ['**/electron/**', '**/server/**'], message: 'renderer talks only to the contract API.' },
        noZod,
        zodFreeValuesOnly,
      ],
      nodeBuiltinPaths,
    ),
  },
  {
    // what the renderer may import stays zod-free itself: values only from its zod-free siblings
    files: zodFreeShared.map((m) => `shared/${m}.ts`),
    rules: restrict([...sharedPure, noZod, siblingsOnly], nodeBuiltinPaths),
  },
);
