import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (from, forbidden) => ({
  files: [`src/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: forbidden.map((dir) => ({ group: [`**/${dir}/**`, `../${dir}/*`], message: `${from}/ must not import ${dir}/ (see docs/ARCHITECTURE.md)` })),
    }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'web/dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // The dependency direction of docs/ARCHITECTURE.md: the core does no I/O and knows no adapters.
  layer('core', ['http', 'storage', 'jobs', 'channels', 'cli', 'config']),
  layer('nlp', ['http', 'storage', 'jobs', 'channels', 'cli']),
  layer('geo', ['http', 'storage', 'jobs', 'channels', 'cli']),
  layer('storage', ['http', 'jobs', 'channels', 'cli']),
  // Rendering and transports: no SQL (the outbox table is behind OutboxStore), no doors.
  layer('notify', ['http', 'storage', 'jobs', 'channels', 'cli', 'config']),
  layer('http', ['cli', 'jobs']),
);
