import tseslint from 'typescript-eslint';

/**
 * The shared lint rules. Layer rules (which package may import which) live here
 * so a new package inherits them.
 */
export const ignores = {
  ignores: [
    '**/dist/**',
    '**/dist-split/**',
    '**/build/**',
    '**/.svelte-kit/**',
    '**/node_modules/**',
    '**/migrations/**',
  ],
};

export const base = tseslint.config(ignores, ...tseslint.configs.recommended, {
  rules: {
    '@typescript-eslint/no-unused-vars': [
      'error',
      { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
    ],
    '@typescript-eslint/consistent-type-imports': 'error',
    '@typescript-eslint/no-non-null-assertion': 'error',
    '@typescript-eslint/no-explicit-any': 'error',
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['@strata/*/src/*', '@strata/*/src'],
            message: "Import a package's public entry point, never its internals.",
          },
        ],
      },
    ],
  },
});

/**
 * @strata/core is pure: no I/O, no other package of ours, no clock.
 */
export const pureCore = {
  files: ['src/**/*.ts'],
  ignores: ['src/**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['@strata/*'], message: '@strata/core imports nothing of ours.' },
          {
            group: ['node:*', 'fs', 'path', 'os', 'http', 'child_process'],
            message: '@strata/core does no I/O.',
          },
        ],
      },
    ],
    'no-restricted-syntax': [
      'error',
      {
        selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
        message: 'Pass time in; core never reads the clock.',
      },
      {
        selector: "NewExpression[callee.name='Date'][arguments.length=0]",
        message: 'Pass time in; core never reads the clock.',
      },
      {
        selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
        message: 'Pass a seed in; core never uses unseeded randomness.',
      },
    ],
  },
};

export default base;
