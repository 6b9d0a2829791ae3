import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** A port nobody listens on right now (the kernel's pick). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** How a child process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A child process started by a test, with its output kept in memory (for
 * assertions on log lines and for the failure message) and a stop that
 * escalates to SIGKILL, so that a suite can always clean up after itself.
 */
export class TestProcess {
  private readonly lines: string[] = [];
  private partial = '';
  readonly exited: Promise<Exit>;
  private exit?: Exit;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      const text = this.partial + chunk.toString('utf8');
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      // Bounded: a chatty process cannot fill the test's memory.
      if (this.lines.length > 20_000) this.lines.splice(0, this.lines.length - 20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        done(this.exit);
      }),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Everything the process printed so far, one entry per line. */
  output(): string[] {
    return this.partial ? [...this.lines, this.partial] : [...this.lines];
  }

  /** The process's JSON log lines (other lines are skipped). */
  jsonLines(): Record<string, unknown>[] {
    return this.output().flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  tail(count = 40): string {
    return this.output().slice(-count).join('\n');
  }

  /** Sends `signal`, waits up to `graceMs`, then SIGKILLs. Resolves with how the process ended. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<Exit> {
    if (this.exit) return this.exit;
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((done) => (timer = setTimeout(() => done('late'), graceMs)));
    const outcome = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (outcome !== 'late') return outcome;
    this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** Starts a command in the repository root with exactly the given environment (plus PATH and HOME). */
export function startProcess(name: string, command: string, args: string[], env: Record<string, string>): TestProcess {
  const child = spawn(command, args, {
    cwd: resolve(process.cwd()),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new TestProcess(name, child);
}

/**
 * Starts one built app (dist/apps/<app>/src/main.js) on Node 24 and waits
 * until its health probe (`/health/ready` unless told `/health/live`, for an
 * app that is live but cannot be ready without what the test took away)
 * answers 200; fails with the app's last output if it exits or is not up in time.
 */
export async function startApp(
  app: string,
  port: number,
  env: Record<string, string>,
  readyTimeoutMs = 90_000,
  probe: '/health/ready' | '/health/live' = '/health/ready',
): Promise<TestProcess> {
  // Its metrics listener on any free port unless given: the default (9100) belongs to the running system's gateway.
  const started = startProcess(app, 'node_modules/.bin/node', [`dist/apps/${app}/src/main.js`], { METRICS_PORT: '0', ...env, PORT: String(port) });
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (!started.running) throw new Error(`${app} exited during start-up:\n${started.tail()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}${probe}`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return started;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await started.stop('SIGKILL');
      throw new Error(`${app} did not answer ${probe} on port ${port} within ${readyTimeoutMs} ms:\n${started.tail()}`);
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
}
