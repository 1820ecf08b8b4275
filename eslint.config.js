// Flat config. Besides the usual TypeScript rules it keeps the process walls up: the renderer and
// shared code may not import Electron, Node built-ins, or anything from electron/.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const wall = {
  patterns: [
    { group: ['electron', 'electron/*'], message: 'The renderer and shared code never import Electron: go through the contract.' },
    { regex: '^node:', message: 'No Node built-ins outside main: the renderer has no Node.' },
    {
      group: ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'events', 'worker_threads'],
      message: 'No Node built-ins outside main: the renderer has no Node.',
    },
    { regex: '(^|/)electron/', message: 'Main-process code stays in main: talk to it through renderer/bridge.ts.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'playwright-report/**', 'test-results/**'] },
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
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', wall],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', wall] },
  },
);
