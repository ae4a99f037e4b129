// Lint rules that guard the extension: above all, no page or server text may reach the DOM as HTML.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nounsanitized from 'eslint-plugin-no-unsanitized';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web-ext-artifacts/**', 'test/artifacts/**', 'src/shared/api.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  nounsanitized.configs.recommended,
  {
    languageOptions: { globals: { chrome: 'readonly', console: 'readonly' } },
    rules: {
      // no-unsanitized allows innerHTML with literals; we forbid it outright so nobody has to judge.
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'Use textContent or DOM nodes; never innerHTML.' },
        { property: 'outerHTML', message: 'Use textContent or DOM nodes; never outerHTML.' },
        { object: 'document', property: 'write', message: 'Never document.write.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'Never insertAdjacentHTML.' },
        { selector: "AssignmentExpression[left.property.name='innerHTML']", message: 'Never innerHTML.' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['scripts/**', '*.config.*'],
    languageOptions: { globals: { URL: 'readonly', process: 'readonly', Buffer: 'readonly' } },
  },
  {
    // Tests may read fixture markup into happy-dom; that is test setup, not extension code.
    files: ['test/**'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-syntax': 'off', 'no-unsanitized/property': 'off', 'no-unsanitized/method': 'off' },
  },
);
