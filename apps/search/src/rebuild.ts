/**
 * Rebuilds the search index from the Kafka topics: empties search's own
 * tables and rewinds the `search` consumer group to the earliest offsets.
 * The search app must be stopped while it runs (Kafka refuses to move the
 * offsets of an active group); when it starts again it replays every event.
 * `make search-rebuild` does stop → rebuild → start.
 */
import { ConsumerGroups } from '@app/contracts';
import { configOrExit, createKafka, createLogger, databaseEnv, dataSourceOptions, kafkaEnv } from '@app/platform';
import { DataSource } from 'typeorm';
import { SEARCH_DATABASE } from './search.module.js';

const GROUP = 'search';
const config = configOrExit(databaseEnv.extend(kafkaEnv.shape));
const logger = createLogger('search-rebuild', 'warn');

const admin = createKafka('search-rebuild', config.KAFKA_BROKERS, logger).admin();
await admin.connect();
const dataSource = new DataSource(dataSourceOptions(config, SEARCH_DATABASE, 'warble-search-rebuild'));
await dataSource.initialize();
try {
  const [group] = (await admin.describeGroups([GROUP])).groups;
  if (group && group.state !== 'Empty' && group.state !== 'Dead') {
    throw new Error(`consumer group "${GROUP}" is ${group.state}: stop the search app first (scripts/apps.sh stop search)`);
  }
  // processed_events goes too: every event must apply again.
  await dataSource.query('TRUNCATE search.users, search.posts, search.post_likes, search.post_comments, search.processed_events');
  for (const topic of ConsumerGroups.search) {
    await admin.resetOffsets({ groupId: GROUP, topic, earliest: true });
  }
  process.stdout.write(`search index emptied; group "${GROUP}" rewound on ${ConsumerGroups.search.join(', ')}. Start search to replay.\n`);
} finally {
  await dataSource.destroy();
  await admin.disconnect();
}
