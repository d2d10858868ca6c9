/**
 * The import-circle check of the lint step (`npm run lint:cycles`): no module may import itself
 * back through any chain, within a package or service or across them. Workspace packages resolve
 * to their sources (packages/<name>/src), so a circle through a package's index is found too.
 * Type-only imports count: a circle of types still ties the modules' meanings together.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: split the shared piece into its own module that both import.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.data)/' },
    tsPreCompilationDeps: true,
    // Absolute, so the check runs the same from any folder (tests/workspace/lint-checks.test.ts).
    tsConfig: { fileName: require('node:path').join(__dirname, '..', '..', 'tsconfig.base.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
