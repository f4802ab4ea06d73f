/**
 * Import boundaries of Pose Studio (`npm run lint:deps`). The layers, lowest first; a layer may
 * import only itself and the layers below it (docs/architecture.md explains each one):
 *
 *   1. src-shared        pure domain: imports nothing outside itself (no node:*, no npm I/O)
 *   2. native-models     builders of the ONNX graphs the project makes itself
 *   3. src-main/fs       atomic writes, locks, temp names
 *   4. src-main/media    ffmpeg / ffprobe wrapper
 *      src-main/project  project folders: store, paths, assets (beside media: neither imports
 *                        the other, and the engine imports neither projects nor the scheduler)
 *   5. src-main/engine   engine process: ORT sessions, puppet, diffusion, extraction
 *   6. src-main/scheduler  the render job end to end: plan, workers, manifest, cache, cancel
 *   7. src-main/services   project store, settings, pose files, the API implementation
 *      src-main/farm       render farm (BullMQ on Redis): beside services, neither imports the other
 *   8. src-main/host, src-main/app, src-main/cli   the three front doors (cli may start host)
 *   src-main/preload and src-renderer sit beside them and see only src-shared.
 *
 * Type-only imports count (tsPreCompilationDeps): a type that points up the layers is a
 * concept in the wrong place, even if it costs nothing at run time.
 */
const layer = {
  shared: '^src-shared/',
  models: '^native-models/',
  fs: '^src-main/fs/',
  media: '^src-main/media/',
  project: '^src-main/project/',
  engine: '^src-main/engine/',
  scheduler: '^src-main/scheduler/',
  services: '^src-main/services/',
  farm: '^src-main/farm/',
  host: '^src-main/host/',
  app: '^src-main/app/',
  cli: '^src-main/cli/',
  preload: '^src-main/preload/',
  renderer: '^src-renderer/',
};
const above = (...names) => names.map((n) => layer[n]);
const productCode = '^(src-shared|src-main|src-renderer|native-models)/';
const testFile = '\\.test\\.tsx?$';

/** "<from> never imports <names>": one rule per layer, named so the report says which edge. */
function backEdge(from, names, comment) {
  return {
    name: `${from}-not-to-${names.join('-')}`,
    severity: 'error',
    comment,
    from: { path: layer[from] },
    to: { path: above(...names) },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle means two files share one concept; give it one owner.',
      from: { path: productCode },
      to: { circular: true },
    },
    {
      name: 'shared-is-pure',
      severity: 'error',
      comment: 'src-shared runs in every process (renderer included): it imports only itself.',
      from: { path: layer.shared },
      // Unit tests next to the code may also read the fixtures under test/.
      to: { pathNot: [layer.shared, '^node_modules/', '^test/fixtures/'] },
    },
    {
      name: 'shared-no-node-builtins',
      severity: 'error',
      comment: 'src-shared runs in the renderer too: no node:* modules.',
      from: { path: layer.shared },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-only-shared',
      severity: 'error',
      comment: 'The UI talks to the rest through the typed API in src-shared/api only.',
      from: { path: layer.renderer },
      to: { path: '^(src-main|native-models|test|bench)/' },
    },
    {
      name: 'preload-only-shared',
      severity: 'error',
      comment: 'The sandboxed preload bundles everything it imports: keep it to the API contract.',
      from: { path: layer.preload },
      to: { path: '^(src-main/(?!preload/)|native-models|src-renderer)' },
    },
    backEdge(
      'models',
      ['fs', 'media', 'project', 'engine', 'scheduler', 'services', 'farm', 'host', 'app', 'cli'],
      'Graph builders are below the engine that loads their graphs.',
    ),
    backEdge(
      'fs',
      [
        'media',
        'project',
        'engine',
        'scheduler',
        'services',
        'farm',
        'host',
        'app',
        'cli',
        'models',
      ],
      'File helpers are the bottom of the Node side.',
    ),
    backEdge(
      'media',
      ['project', 'engine', 'scheduler', 'services', 'farm', 'host', 'app', 'cli'],
      'ffmpeg/ffprobe wrapping knows nothing of renders or projects.',
    ),
    backEdge(
      'project',
      ['media', 'engine', 'scheduler', 'services', 'farm', 'host', 'app', 'cli'],
      'Project folders are read and written the same by every front door and the scheduler.',
    ),
    backEdge(
      'engine',
      ['project', 'scheduler', 'services', 'farm', 'host', 'app', 'cli'],
      'The engine knows nothing above it: code the engine runs lives under the engine.',
    ),
    backEdge(
      'scheduler',
      ['services', 'farm', 'host', 'app', 'cli'],
      'The scheduler owns the render job end to end and is used by services, not the reverse.',
    ),
    backEdge(
      'services',
      ['host', 'app', 'cli'],
      'Services are the same under the CLI, serve and Electron: no front door inside them.',
    ),
    backEdge(
      'farm',
      ['services', 'host', 'app', 'cli'],
      'The farm is a kind of render worker beside services: front doors start it, not the reverse.',
    ),
    backEdge('services', ['farm'], 'Services and the farm sit side by side.'),
    backEdge('host', ['app', 'cli'], 'serve is started by the CLI, never the reverse.'),
    backEdge('app', ['host', 'cli'], 'The Electron app and serve are siblings.'),
    {
      name: 'product-not-to-tests',
      severity: 'error',
      comment: 'Test helpers live in test/, not in product folders.',
      from: { path: productCode, pathNot: testFile },
      to: { path: [testFile, '^test/', '^bench/'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve (wrong alias, moved file).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|out|dist|release|coverage|test-artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types'],
    },
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
  },
};
