import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/*
 * The layer rules of .dependency-cruiser.cjs (run by `npm run lint`): each
 * one fails on the fixture in test/fixtures/layers, and the real tree breaks
 * none of them.
 */

const CONFIG = './.dependency-cruiser.cjs';

/** A violation as "rule: from -> to" (for a folder cycle: the folders of the cycle). */
function asText(violation: IViolation): string {
  const cycle = violation.cycle?.map((step) => step.name);
  return `${violation.rule.name}: ${violation.from} -> ${cycle ? cycle.join(' -> ') : violation.to}`;
}

async function violations(directories: string[], overrides: Partial<ICruiseOptions> = {}, tsConfigFile?: string): Promise<string[]> {
  const options = await extractDepcruiseOptions(CONFIG);
  const tsConfig = tsConfigFile ? extractTSConfig(tsConfigFile) : undefined;
  const { output } = await cruise(directories, { ...options, ...overrides, validate: true }, {}, { tsConfig });
  return (output as ICruiseResult).summary.violations.map(asText).sort();
}

describe('layer rules (.dependency-cruiser.cjs)', () => {
  it('flag a repository importing a service, a lib importing an app, an app importing another, a module cycle and a folder cycle in libs/platform', async () => {
    const found = await violations(['apps', 'libs'], { baseDir: 'test/fixtures/layers', tsConfig: undefined });
    expect(found).toEqual(
      [
        'app-imports-other-app: apps/other/src/main.ts -> apps/demo/src/repositories/demo.repository.ts',
        'lib-imports-app: libs/shared/src/index.ts -> apps/demo/src/services/demo.service.ts',
        'module-cycle: apps/demo/src/services/ping.service.ts -> apps/demo/src/services/pong.service.ts -> apps/demo/src/services/ping.service.ts',
        'platform-folder-cycle: libs/platform/src/alpha -> libs/platform/src/beta -> libs/platform/src/alpha',
        'platform-folder-cycle: libs/platform/src/beta -> libs/platform/src/alpha -> libs/platform/src/beta',
        'repository-imports-service: apps/demo/src/repositories/demo.repository.ts -> apps/demo/src/services/demo-limits.service.ts',
      ].sort(),
    );
  }, 60_000);

  it('find nothing in the real tree', async () => {
    expect(await violations(['apps', 'libs'], {}, 'tsconfig.json')).toEqual([]);
  }, 120_000);
});
