/**
 * `make experiment-report NAME=<experiment> [SINCE=<date or time>]`
 * (docs/operations.md, "Reading an experiment's report"): reads the
 * experiment's exposures and results shown, then the outcome's domain
 * topics, each from the beginning up to its end offsets at that moment, and
 * prints per variant the exposed users, those with the outcome, the rate and
 * the 95 % interval of the difference from control.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { EXPERIMENTS } from '@app/api';
import { type EventData, type EventEnvelope, parseEnvelope, Topics } from '@app/contracts';
import { configOrExit, createKafka, createLogger, kafkaEnv, type ReadMessage, readTopicsToEnd } from '@app/platform';
import { ExposureTally } from './experiment-report/exposures.js';
import { computeFigures } from './experiment-report/figures.js';
import { formatFigures } from './experiment-report/format.js';
import { OUTCOMES } from './experiment-report/outcomes.js';
import { engagementOf, ReturnedResultsOutcome } from './experiment-report/returned-results-outcome.js';

const USAGE = 'usage: make experiment-report NAME=<experiment> [SINCE=<YYYY-MM-DD or ISO 8601 time>]';

function fail(message: string, code: number): never {
  process.stderr.write(`experiment-report: ${message}\n`);
  process.exit(code);
}

function parseCommandLine(): { name: string; since?: Date } {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { since: { type: 'string' } } });
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const name = parsed.positionals[0] ?? '';
  if (name === '') fail(`no experiment named\n${USAGE}`, 2);
  if (!EXPERIMENTS[name] || !OUTCOMES[name]) fail(`unknown experiment "${name}"; the known ones: ${Object.keys(OUTCOMES).join(', ')}\n${USAGE}`, 2);
  const since = parsed.values.since ? new Date(parsed.values.since) : undefined;
  if (since && Number.isNaN(since.getTime())) fail(`SINCE "${parsed.values.since}" is not a date or an ISO 8601 time\n${USAGE}`, 2);
  return { name, since };
}

const { name, since } = parseCommandLine();
const outcome = OUTCOMES[name];
const config = configOrExit(z.object({ KAFKA_BROKERS: kafkaEnv.shape.KAFKA_BROKERS }));
// kafkajs's own retry chatter stays quiet: a failure ends in one line of its own below.
const kafka = createKafka('experiment-report', config.KAFKA_BROKERS, createLogger('experiment-report', 'silent'));
const read = { groupPrefix: 'experiment-report' };

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

let unreadable = 0;
/** The event in a message, if it is one of the contract; anything else is counted and skipped. */
function decode(message: ReadMessage): EventEnvelope | undefined {
  let parsed;
  try {
    parsed = parseEnvelope(JSON.parse(message.value));
  } catch {
    unreadable++;
    return undefined;
  }
  if (!parsed.ok) unreadable++;
  return parsed.ok && parsed.known ? parsed.envelope : undefined;
}

const exposures = new ExposureTally(name, since);
const engaged = new ReturnedResultsOutcome(name, outcome.windowMs, since);
const from = since ? `since ${since.toISOString()}` : 'since the beginning';
try {
  const experimentEvents = await readTopicsToEnd(
    kafka,
    [Topics.experiments],
    (message) => {
      const envelope = decode(message);
      if (envelope?.type === 'experiment.exposed') exposures.add(envelope.data as EventData<'experiment.exposed'>);
      else if (envelope?.type === 'experiment.results-shown') engaged.addShown(envelope.data as EventData<'experiment.results-shown'>);
    },
    read,
  );
  if (exposures.empty) {
    process.stdout.write(`No exposures of ${name} on ${Topics.experiments} ${from} (${experimentEvents} events read): nothing to report yet.\n`);
    process.exit(0);
  }
  // Every showing is known now: engagements are matched as they stream past.
  const domainEvents = await readTopicsToEnd(
    kafka,
    outcome.topics,
    (message) => {
      if (!outcome.eventTypes.has(message.headers['event-type'] ?? '')) return;
      const envelope = decode(message);
      const engagement = envelope && engagementOf(envelope);
      if (engagement) engaged.addEngagement(engagement);
    },
    read,
  );
  const figures = computeFigures(EXPERIMENTS[name], exposures.usersByVariant(), engaged.users);
  process.stdout.write(
    [
      `Experiment ${name}, signed-in users exposed ${from}`,
      `Outcome: ${outcome.description}`,
      `Read ${experimentEvents} events of ${Topics.experiments} and ${domainEvents} of ${outcome.topics.join(' and ')}, up to their end offsets at the start`,
      '',
      formatFigures(figures),
      `Not in the figures: ${count(exposures.anonymousSubjects, 'anonymous subject')} (they cannot like or comment), ${count(exposures.usersInSeveralVariants, 'user')} exposed to more than one variant.`,
      ...(unreadable > 0 ? [`Skipped ${unreadable} messages that are not valid events of the contract.`] : []),
      '',
    ].join('\n'),
  );
  process.exit(0);
} catch (error) {
  fail(`reading Kafka at ${config.KAFKA_BROKERS.join(',')} failed: ${(error as Error).message}`, 1);
}
