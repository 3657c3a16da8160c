// ESLint (flat config): Next.js's rules (core web vitals, React, React Hooks, jsx-a11y, import) and
// typescript-eslint's type-aware recommended rules. Formatting is Prettier's (.prettierrc.json), not
// ESLint's. `npm run lint` runs both; `npm test` fails on either.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

export default defineConfig([
  globalIgnores([
    "node_modules/**",
    ".node/**",
    ".next/**",
    "lib/db/generated/**",
    "cli/dist/**",
    "server/dist/**",
    "tools/**",
    ".e2e/**",
    "test-results/**",
    "playwright-report/**",
    "data/**",
    ".demo/**",
    ".bench/**",
    "next-env.d.ts",
  ]),
  ...nextVitals,
  ...nextTs,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
      // A promise nobody awaits is a lost error; `void promise` says it is on purpose.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // Next.js requires route handlers, server actions and page components to be async whether or
      // not they await, and several interfaces (sinks, stores) are async by contract.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // Tests read JSON bodies, parsed XML and child-process output whose shape the assertions check;
    // typing each one would only add casts. Production code keeps every no-unsafe rule.
    files: ["**/*.test.ts", "e2e/**", "test/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  {
    // Playwright's fixtures call `use()`, which is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // Plain JavaScript config files: no type information.
    files: ["**/*.{js,mjs,cjs}"],
    ...tseslint.configs.disableTypeChecked,
  },
]);
