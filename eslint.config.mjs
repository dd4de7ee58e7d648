// ESLint: typescript-eslint's type-checked recommended rules over every TypeScript file the
// project compiles (src, test, bench, training). Run by `npm test` (`npm run lint`).
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', '.e2e/', '.pds/', 'test-output/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Deliberate: a command or a platform loads its modules with require() only when it runs, so
      // `unscripted lint` never loads the Bluesky client and the extension activates without the
      // publisher (see bench/startup.ts). Static imports everywhere else.
      '@typescript-eslint/no-require-imports': 'off',
      // `for (const _ of …)` counts; `_x` marks a parameter an interface requires but this code ignores.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read what the CLI printed (JSON.parse of --format json/sarif, Playwright's evaluate in the
    // browser) and assert on its fields: typing every such value would restate the schema the
    // assertions already check (docs/lint-output.schema.json is validated by its own test).
    files: ['test/**/*.ts', 'src/**/*.test.ts', 'bench/**/*.ts', 'training/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Playwright's page objects inside code-server are typed loosely (test/e2e).
      '@typescript-eslint/no-explicit-any': 'off',
      // Fakes and mocha callbacks keep the async signature of what they stand in for.
      '@typescript-eslint/require-await': 'off',
      // Tests match terminal colour escapes (\x1b[…m) on purpose.
      'no-control-regex': 'off',
    },
  },
);
