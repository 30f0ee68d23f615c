import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** A layer may not import these (each a lint rule, so the walls of shared/design.md hold by themselves). */
const walls = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const UI = ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', 'd3', 'd3-*'];
const NODE = ['node:*', 'fs', 'path', 'child_process'];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx}'],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The engine is pure: no DOM, no React, no worker API, nothing above it but the protocol's plain types.
    files: ['src/engine/**/*.ts'],
    languageOptions: { globals: {} },
    rules: walls([
      { group: UI, message: 'The engine has no UI dependencies.' },
      { group: NODE, message: 'The engine runs unchanged in a browser worker.' },
      {
        group: [
          '**/store/**',
          '**/panels/**',
          '**/worker/**',
          '**/client/**',
          '**/viz/**',
          '**/app/**',
          '**/scenario/**',
        ],
        message: 'The engine sits below every other layer.',
      },
      { group: ['**/protocol/messages'], message: 'The engine knows nothing of the worker transport.' },
    ]),
  },
  {
    // Kernel-neutral machinery: no pager's code.
    files: ['src/engine/kernel/**/*.ts'],
    rules: walls([
      { group: UI, message: 'The engine has no UI dependencies.' },
      { group: NODE, message: 'The engine runs unchanged in a browser worker.' },
      {
        group: [
          '**/openbsd/**',
          '**/freebsd/**',
          '../model',
          '../engine',
          '../registry',
          '../session',
          '../view',
          '../explore/**',
        ],
        message: 'The kernel is below the pager models and the engine core, and names no pager.',
      },
      { group: ['**/protocol/messages'], message: 'The engine knows nothing of the worker transport.' },
    ]),
  },
  {
    // One pager folder imports nothing from another.
    files: ['src/engine/openbsd/**/*.ts'],
    rules: walls([
      { group: UI, message: 'The engine has no UI dependencies.' },
      { group: NODE, message: 'The engine runs unchanged in a browser worker.' },
      {
        group: ['**/freebsd/**', '**/store/**', '**/panels/**', '**/worker/**', '**/scenario/**'],
        message: 'A pager model imports only the kernel, the engine core and the protocol.',
      },
    ]),
  },
  {
    files: ['src/engine/freebsd/**/*.ts'],
    rules: walls([
      { group: UI, message: 'The engine has no UI dependencies.' },
      { group: NODE, message: 'The engine runs unchanged in a browser worker.' },
      {
        group: ['**/openbsd/**', '**/store/**', '**/panels/**', '**/worker/**', '**/scenario/**'],
        message: 'A pager model imports only the kernel, the engine core and the protocol.',
      },
    ]),
  },
  {
    // What crosses the worker boundary is plain data.
    files: ['src/protocol/**/*.ts'],
    rules: walls([
      { group: [...UI, ...NODE], message: 'The protocol is plain types and pure functions.' },
      {
        group: [
          '**/engine/**',
          '**/store/**',
          '**/panels/**',
          '**/worker/**',
          '**/client/**',
          '**/app/**',
          '**/scenario/**',
        ],
        message: 'The protocol depends on nothing.',
      },
    ]),
  },
  {
    // The UI sees the engine only through the protocol, and reads scenarios in the worker.
    files: [
      'src/panels/**/*.{ts,tsx}',
      'src/store/**/*.{ts,tsx}',
      'src/app/**/*.{ts,tsx}',
      'src/client/**/*.ts',
      'src/viz/**/*.ts',
      'src/main.tsx',
    ],
    rules: walls([
      { group: ['**/engine/**'], message: 'The UI sees the engine only through src/protocol.' },
      { group: ['**/worker/**'], message: 'The UI talks to the worker through its client and the protocol.' },
      {
        group: ['**/scenario/schema', '**/scenario/share', '**/scenario/checks', '**/scenario/strict-json'],
        message: 'Scenarios are read and validated in the worker.',
      },
    ]),
  },
  {
    files: ['src/worker/**/*.ts'],
    languageOptions: { globals: { ...globals.worker } },
    rules: walls([
      { group: UI, message: 'The worker has no UI.' },
      {
        group: ['**/store/**', '**/panels/**', '**/app/**', '**/client/**', '**/viz/**'],
        message: 'The worker is a thin adapter over the engine.',
      },
    ]),
  },
  {
    // Teaching judges with digests and thread views, as the lab does: no engine internals, no UI, no Node.
    files: ['src/teaching/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'zustand', 'd3', 'd3-*'],
              message: 'Teaching logic is plain data in, plain data out.',
            },
            { group: ['node:*', 'fs', 'path'], message: 'The lab runs teaching code in the browser.' },
            {
              group: ['**/engine/kernel/**', '**/engine/openbsd/**', '**/engine/freebsd/**'],
              message: 'Judge with digests and thread views, never engine internals.',
            },
            {
              group: ['**/store/**', '**/panels/**', '**/worker/**', '**/app/**'],
              message: 'Teaching sits below the UI.',
            },
          ],
        },
      ],
    },
  },
);
