/**
 * Layer rules (docs/architecture.md, "Code conventions"), checked by
 * `npm run lint` with dependency-cruiser: `depcruise apps libs`.
 * libs/layer-rules.spec.ts shows each rule failing on a small fixture.
 */
module.exports = {
  forbidden: [
    {
      name: 'repository-imports-service',
      comment:
        'Repositories hold the SQL and Redis code; services use them, never the other way round. ' +
        'Move what both need (types, constants, key builders) into the repository layer.',
      severity: 'error',
      from: { path: '(^|/)repositories/' },
      to: { path: '(^|/)services/' },
    },
    {
      name: 'lib-imports-app',
      comment: 'libs/ are shared by the apps and know none of them.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'app-imports-other-app',
      comment: 'Apps talk to each other through Kafka and HTTP only; shared code lives in libs/.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'platform-folder-cycle',
      comment:
        'Inside libs/platform no folder imports a folder that imports it back (folder level: ' +
        'a module of each importing a module of the other is enough).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^libs/platform/src/[^/]+' },
      to: { path: '^libs/platform/src/[^/]+', circular: true },
    },
    {
      name: 'module-cycle',
      comment: 'No import cycles between modules anywhere.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    // Type-only imports count too: a repository needing a service's type is still upside down.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
