// ESLint: correctness and type-aware rules only; the layout of the code is Prettier's (.prettierrc.json), and
// npm run lint runs both. See "Linting and formatting" in CONTRIBUTING.md.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'test-artifacts/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      // The TypeScript files are in tsconfig.json; the type information comes from the same program as tsc's.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      // A name that starts with _ is unused on purpose: a property left out of a rest object, a callback's unused
      // parameter.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // A caught value passed on to reject() as it was caught, whatever it is.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // A server's error reply (RespError) is a value, not a failure of the code; the connection anatomy throws it
      // as it is, and its failure wording reads it (src/anatomy/failure.ts).
      '@typescript-eslint/only-throw-error': [
        'error',
        { allow: [{ from: 'file', name: 'RespError', path: 'src/redis/resp.ts' }] },
      ],
      // The terminal's ANSI escape sequences (\u001b[…) are written and matched on purpose.
      'no-control-regex': 'off',
      // A few of strictTypeChecked and stylisticTypeChecked: the switches over names (strategies, output kinds) have
      // no default, so that a new name is a type error wherever it is not handled; this rule makes it one in a
      // switch statement too (tsc only sees a switch that returns).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Type-only imports say so (dependency-cruiser counts them as imports all the same).
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/prefer-optional-chain': 'error',
      '@typescript-eslint/prefer-includes': 'error',
      '@typescript-eslint/prefer-string-starts-ends-with': 'error',
      '@typescript-eslint/no-unnecessary-template-expression': 'error',
      '@typescript-eslint/no-unnecessary-type-conversion': 'error',
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'error',
    },
  },
  {
    // Test doubles implement async interfaces (a strategy, a pool's factory, a Redis call) without awaiting anything.
    files: ['test/**'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // The scripts, test helpers and configuration in plain JavaScript are in no tsconfig: no type information for
    // them, so the rules that need it are off there.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  // Turns off every rule that Prettier's formatting would contradict; it comes after the presets for that.
  prettier,
  {
    plugins: { '@stylistic': stylistic },
    rules: {
      // No line over 160 characters, whatever it holds: Prettier wraps code at 120 but leaves strings, template
      // literals and comments as they are.
      '@stylistic/max-len': [
        'error',
        {
          code: 160,
          tabWidth: 2,
          ignoreUrls: false,
          ignoreStrings: false,
          ignoreTemplateLiterals: false,
          ignoreRegExpLiterals: false,
          ignoreComments: false,
          ignoreTrailingComments: false,
        },
      ],
    },
  },
);
