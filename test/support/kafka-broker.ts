import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startProcess, type TestProcess } from './processes.js';

/** A throw-away single-node Kafka broker of a test, next to the shared one. */
export interface TestBroker {
  /** For KAFKA_BROKERS. */
  brokers: string;
  process: TestProcess;
  /** Stops the broker and deletes its data. */
  stop(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * Starts a private KRaft broker from the jars `scripts/kafka.sh install`
 * cached, with the project's broker settings (scripts/kafka/), on free ports
 * and in a temporary data folder, then creates the event and dead-letter
 * topics with the project's create-topics (needs a build). For suites that
 * must own their consumer groups instead of sharing them with the running
 * system.
 */
export async function startKafkaBroker(partitions = 1): Promise<TestBroker> {
  const libs = join(process.env.WARBLE_CACHE ?? join(homedir(), '.cache', 'warble'), 'kafka', 'libs');
  if (!existsSync(join(libs, '.warble-complete'))) throw new Error(`no Kafka jars in ${libs}: run 'scripts/kafka.sh install' (make install)`);
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dir = await mkdtemp(join(tmpdir(), 'warble-test-kafka-'));
  const data = join(dir, 'data');
  await mkdir(join(dir, 'logs'), { recursive: true });
  const template = await readFile('scripts/kafka/server.properties.template', 'utf8');
  const properties = join(dir, 'server.properties');
  // One node, as scripts/kafka.sh renders the single broker.
  const values: Record<string, string> = {
    NODE_ID: '1',
    VOTERS: `1@127.0.0.1:${controllerPort}`,
    PROCESS_ROLES: 'broker,controller',
    LISTENERS: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    KAFKA_PORT: String(port),
    REPLICATION_FACTOR: '1',
    MIN_ISR: '1',
    DATA_DIR: data,
  };
  const rendered = template.replaceAll(/@([A-Z_]+)@/g, (placeholder, name: string) => {
    // A placeholder the template gained and this renderer does not know fails here, not in Kafka.
    if (values[name] === undefined) throw new Error(`scripts/kafka/server.properties.template: ${placeholder} has no value in the test broker`);
    return values[name];
  });
  await writeFile(properties, rendered);
  const classpath = `${libs}/*`;
  const jvm = ['-Xms256m', '-Xmx256m', '-XX:+UseG1GC', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${resolve('scripts/kafka/log4j.properties')}`, `-Dkafka.logs.dir=${join(dir, 'logs')}`];
  // A cluster id is 16 random bytes, base64url without padding (what StorageTool random-uuid prints).
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  await promisify(execFile)('java', [...jvm, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties, '-g'], { timeout: 60_000 });

  const broker = startProcess('kafka', 'java', [...jvm, '-cp', classpath, 'kafka.Kafka', properties], {});
  const stop = async () => {
    await broker.stop('SIGTERM', 30_000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // Like scripts/kafka.sh: the broker opens its listener only once it is ready.
    const deadline = Date.now() + 90_000;
    while (!(await accepts(port))) {
      if (!broker.running) throw new Error(`test broker exited during start-up:\n${broker.tail()}`);
      if (Date.now() > deadline) throw new Error('test broker did not accept connections within 90 s');
      await new Promise((wait) => setTimeout(wait, 250));
    }
    const brokers = `127.0.0.1:${port}`;
    await promisify(execFile)('node_modules/.bin/node', ['dist/scripts/create-topics.js'], {
      env: { PATH: process.env.PATH, KAFKA_BROKERS: brokers, KAFKA_TOPIC_PARTITIONS: String(partitions) },
      timeout: 60_000,
    });
    return { brokers, process: broker, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
