import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { AppLogger } from '../logging/logger.js';
import { Metrics } from '../metrics/instruments.js';
import { type ExperimentDefinitions, parseDefinitions } from './definitions.js';

export interface DefinitionsFileOptions {
  logger: AppLogger;
  /** Changes within this time are read once (editors and ConfigMap updates write in several steps). */
  debounceMs: number;
  /** Further checks of a parsed file (e.g. the variants the code knows); problems reject it. */
  check?: (definitions: ExperimentDefinitions) => string[];
  /** Called with each newly applied version. */
  onApply?: (definitions: ExperimentDefinitions) => void;
}

/** A definitions file was rejected; the message lists every problem. */
export class DefinitionsError extends Error {
  constructor(
    path: string,
    readonly problems: string[],
  ) {
    super(`${path}: ${problems.join('; ')}`);
    this.name = 'DefinitionsError';
  }
}

/**
 * The experiment definitions file, read at start and again whenever it
 * changes. It watches the file's directory, not the file: editors replace
 * files, and a Kubernetes ConfigMap volume swaps a symlink (`..data`), which
 * a watch on the file itself would not see. A changed file is parsed and
 * checked again; one that fails keeps the previous definitions and logs an
 * error. A bad file at start is fatal (there is nothing to keep).
 */
export class DefinitionsFile {
  private definitions: ExperimentDefinitions = { experiments: [] };
  private digest = '';
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private reloading: Promise<void> = Promise.resolve();
  readonly path: string;

  private constructor(
    path: string,
    private readonly options: DefinitionsFileOptions,
  ) {
    this.path = resolve(path);
  }

  /** Loads the file (throws DefinitionsError when it is missing or invalid) and starts watching it. */
  static async open(path: string, options: DefinitionsFileOptions): Promise<DefinitionsFile> {
    const source = new DefinitionsFile(path, options);
    const outcome = await source.load();
    if (outcome instanceof DefinitionsError) throw outcome;
    source.watch();
    return source;
  }

  get current(): ExperimentDefinitions {
    return this.definitions;
  }

  /** Reads the file again now (the watcher calls this after the debounce); never throws. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(async () => {
      const outcome = await this.load();
      if (outcome instanceof DefinitionsError) {
        Metrics.experimentDefinitionReloads.inc({ outcome: 'rejected' });
        this.options.logger.error({ file: this.path, problems: outcome.problems }, 'experiments: definitions rejected; keeping the previous ones');
      } else if (outcome === 'applied') {
        Metrics.experimentDefinitionReloads.inc({ outcome: 'applied' });
      }
    });
    return this.reloading;
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private async load(): Promise<'applied' | 'unchanged' | DefinitionsError> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      return new DefinitionsError(this.path, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
    }
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
    if (digest === this.digest) return 'unchanged';
    const parsed = parseDefinitions(text);
    if (!parsed.ok) return new DefinitionsError(this.path, parsed.problems);
    const problems = this.options.check?.(parsed.definitions) ?? [];
    if (problems.length > 0) return new DefinitionsError(this.path, problems);
    this.definitions = parsed.definitions;
    this.digest = digest;
    this.options.onApply?.(parsed.definitions);
    this.options.logger.info(
      { file: this.path, version: digest, experiments: parsed.definitions.experiments.map((e) => `${e.name}${e.enabled ? '' : ' (off)'} coverage=${e.coverage}`) },
      'experiments: definitions applied',
    );
    return 'applied';
  }

  private watch(): void {
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), { persistent: false }, (_event, changed) => {
      // null: the platform did not say which entry changed; `..data`: a ConfigMap update.
      if (changed !== null && changed !== name && !changed.startsWith('..')) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), this.options.debounceMs);
    });
    this.watcher.on('error', (error) => this.options.logger.error({ file: this.path, err: error }, 'experiments: watching the definitions stopped'));
  }
}
