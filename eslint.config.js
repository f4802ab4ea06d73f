import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// src-shared is the pure domain: no Electron, Node, ONNX Runtime or React, so any process can use it.
const notInShared = [
  'electron',
  'react',
  'react-dom',
  'onnxruntime-node',
  'sharp',
  'ws',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'worker_threads',
];

export default tseslint.config(
  {
    ignores: ['node_modules', 'out', 'dist', 'release', 'coverage', 'test-artifacts', '.cache'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: notInShared, patterns: ['node:*', 'electron/*', '@mui/*', 'react-*'] },
      ],
    },
  },
);
