// Lint: typescript-eslint's type-aware rules, and the layer rules of docs/architecture.md as import
// restrictions (as VS Code lints its layers). A layer rule names what it protects in its message.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * One layer's restriction: imports matching `groups` are refused in its files, with the rule's reason. The file
 * globs of these layers do not overlap: a later config object would replace an earlier one's restriction.
 */
const layer = (files, groups, message, extra = {}) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: groups, message }], ...extra }],
  },
});

const ELECTRON = {
  paths: [{ name: 'electron', message: 'Only main/electron (and preload) may import electron: the engine must run under Node tests.' }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'release/**', 'tests/artifacts/**', '.tmp/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tests/tsconfig.json', './main/electron/tsconfig.json', './renderer/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Prettier formats code to 140 columns; long messages in strings stay whole, where grep finds them.
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
    },
  },
  // Layers: dependencies point one way.
  layer(
    ['shared/**'],
    ['**/main/**', '**/renderer/**', '**/preload/**', '**/tools/**', 'node:*', 'react', 'electron'],
    'shared/ is the vocabulary of every side: pure TypeScript, no Node, DOM, Electron or main/ imports.',
  ),
  layer(
    ['main/plex/**'],
    ['**/catalog/**', '**/sync/**', '**/app/**', '**/cli/**', '**/ipc/**', '**/usecases/**'],
    'main/plex talks HTTP to Plex and knows nothing of the catalog, the sync, the use cases or the faces.',
    ELECTRON,
  ),
  layer(
    ['main/catalog/**'],
    ['**/plex/**', '**/sync/**', '**/app/**', '**/cli/**', '**/ipc/**', '**/usecases/**', '**/shared/ipc.js'],
    'main/catalog holds the SQL and knows nothing of Plex, the sync, the use cases, the faces or the IPC contract.',
    ELECTRON,
  ),
  layer(
    ['main/plextv/**'],
    ['**/sync/**', '**/app/**', '**/cli/**', '**/ipc/**', '**/usecases/**', '**/shared/ipc.js'],
    'main/plextv talks to plex.tv and probes connections: the sync, the use cases and the faces call it.',
    ELECTRON,
  ),
  layer(
    ['main/sync/**'],
    ['**/app/**', '**/cli/**', '**/ipc/**', '**/usecases/**', '**/shared/ipc.js'],
    'main/sync is the engine: the use cases and the faces call it, never the other way.',
    ELECTRON,
  ),
  layer(
    ['main/artwork/**'],
    ['**/app/**', '**/cli/**', '**/ipc/**', '**/usecases/**', '**/shared/ipc.js'],
    'main/artwork fetches and caches images for the faces (Electron, the preview): it knows nothing of them or of IPC.',
    ELECTRON,
  ),
  layer(
    ['main/usecases/**'],
    ['**/app/**', '**/cli/**', '**/ipc/**'],
    'Use cases are written once for both faces: they know nothing of the CLI, the app or IPC.',
    ELECTRON,
  ),
  layer(
    ['main/cli/**'],
    ['**/app/**', '**/ipc/**', '**/electron/**'],
    'The CLI is one face: it calls use cases, never the desktop app.',
    ELECTRON,
  ),
  layer(
    ['main/app/**', 'main/ipc/**', 'main/secrets/**', 'main/*.ts'],
    ['**/cli/**'],
    'The desktop side calls use cases, never the CLI.',
    ELECTRON,
  ),
  // A second rule name, so this one adds to the layer rules above instead of replacing them.
  {
    files: ['main/**', 'shared/**', 'renderer/**', 'preload/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/tools/**', '**/tests/**'], message: 'The product never imports test or development tools.' }],
        },
      ],
    },
  },
  layer(
    ['renderer/**'],
    ['**/main/**', '**/tools/**', '**/preload/**', 'node:*', 'electron'],
    'The renderer reaches main only through window.marquee (shared/ipc.ts).',
  ),
  layer(['tools/plex-sim/**', 'tools/plextv-sim/**'], ['**/main/**'], 'The simulators stay independent of the client code they test.'),
);
