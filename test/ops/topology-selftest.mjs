// Self-test of the topology rules of validate-k8s.mjs (scripts/ops-validate-k8s.sh):
//   node test/ops/topology-selftest.mjs PROD_RENDERING.yaml OUT_DIR
// Breaks a valid prod rendering once per rule, validates it with
// --topology cluster, and expects every rule to report its own break (and
// the unbroken rendering to pass). Prints one line; exit 1 if a rule stayed silent.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments, stringify } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const [input, outDir] = process.argv.slice(2);
if (!input || !outDir) { console.error('usage: topology-selftest.mjs PROD_RENDERING.yaml OUT_DIR'); process.exit(2); }
const load = () => parseAllDocuments(readFileSync(input, 'utf8')).map((d) => d.toJS()).filter(Boolean);
const get = (objects, kind, name) => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name.startsWith(name));
  if (!o) throw new Error(`${kind}/${name} not in ${input}`);
  return o;
};
const config = (objects) => get(objects, 'ConfigMap', 'warble-config-').data;
const steps = (objects, app) => get(objects, 'Rollout', app).spec.strategy.canary.steps;
const analysis = (objects) => get(objects, 'AnalysisTemplate', 'warble-canary');
const experimentsMount = (objects) => get(objects, 'Deployment', 'gateway').spec.template.spec.containers[0].volumeMounts.find((m) => m.name === 'experiments');

// [rule, break, a fragment of the message that must name it]
const breaks = [
  ['replicas >= 2', (o) => { get(o, 'Rollout', 'gateway').spec.replicas = 1; }, 'Rollout/warble/gateway: the cluster topology needs replicas >= 2'],
  ['a PDB per app', (o) => { get(o, 'PodDisruptionBudget', 'posts').spec.selector.matchLabels['app.kubernetes.io/name'] = 'postz'; }, 'Deployment/warble/posts: the cluster topology needs a PodDisruptionBudget'],
  ['a PDB that lets one pod go', (o) => { get(o, 'PodDisruptionBudget', 'users').spec.maxUnavailable = 3; }, 'PodDisruptionBudget/warble/users: must keep a pod up and let one go'],
  ['a hard spread over nodes', (o) => { get(o, 'Deployment', 'graph').spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable = 'ScheduleAnyway'; }, 'Deployment/warble/graph: the cluster topology needs a hard (DoNotSchedule) spread'],
  ['preStop + drain within the grace period', (o) => { get(o, 'Deployment', 'search').spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds = 20; }, 'Deployment/warble/search: container search: preStop sleep 20 s'],
  ['gateway URLs name Services', (o) => { config(o).GRAPH_URL = 'http://graf:3000'; }, 'GRAPH_URL http://graf:3000 names no Service'],
  ['Redis Cluster seeds', (o) => { config(o).REDIS_CLUSTER_NODES = 'redis.warble-data.svc:6379'; }, 'REDIS_CLUSTER_NODES seed redis.warble-data.svc:6379 is not'],
  ['a replica per Redis master', (o) => { get(o, 'RedisCluster', 'warble-redis').spec.redisFollower = { replicas: 1 }; }, 'RedisCluster/warble-data/warble-redis: every master needs a replica'],
  ['reads on the standbys', (o) => { config(o).DATABASE_REPLICA_HOST = 'warble-db-rw.warble-data.svc'; }, 'DATABASE_REPLICA_HOST warble-db-rw.warble-data.svc is not the -ro or -r service'],
  ['a Postgres standby', (o) => { get(o, 'Cluster', 'warble-db').spec.instances = 1; }, 'Cluster/warble-data/warble-db: the cluster topology needs a standby'],
  ['three brokers', (o) => { get(o, 'KafkaNodePool', 'dual-role').spec.replicas = 2; }, 'Kafka/warble-data/warble-kafka: the cluster topology needs three brokers'],
  ['topic replication 3 / min ISR 2', (o) => { get(o, 'KafkaTopic', 'posts.events.v1').spec.replicas = 2; }, 'KafkaTopic/warble-data/posts.events.v1: the cluster topology needs replicas >= 3'],
  ['the apps\' topic settings equal the topics', (o) => { config(o).KAFKA_TOPIC_MIN_INSYNC_REPLICAS = '1'; }, 'KAFKA_TOPIC_MIN_INSYNC_REPLICAS 1 but KafkaTopic'],
  // Canaries (Argo Rollouts) and the experiment definitions.
  ['a Rollout per app', (o) => { o.splice(o.indexOf(get(o, 'Rollout', 'search')), 1); }, 'Deployment/warble/search: no Rollout runs this Deployment'],
  ['the Deployment keeps 0 replicas', (o) => { get(o, 'Deployment', 'comments').spec.replicas = 3; }, 'Deployment/warble/comments: its Rollout comments runs the pods: replicas must be 0'],
  ['steps of 10, 50, 100 %', (o) => { steps(o, 'posts')[2].setWeight = 30; }, 'Rollout/warble/posts: canary steps must set the weights 10, 50, 100 (has 10, 30, 100)'],
  ['an analysis after 10 % and 50 %', (o) => { steps(o, 'graph').splice(3, 1); }, 'Rollout/warble/graph: no analysis between setWeight 50 and the next step'],
  ['the analysis template exists', (o) => { steps(o, 'users')[1].analysis.templates[0].templateName = 'warble-canry'; }, 'Rollout/warble/users: step 1: analysis template warble-canry does not exist'],
  ['every template argument given', (o) => { steps(o, 'comments')[3].analysis.args.pop(); }, 'Rollout/warble/comments: step 3: analysis template warble-canary needs the argument namespace'],
  ['every metric can abort', (o) => { const m = analysis(o).spec.metrics[1]; delete m.successCondition; delete m.failureCondition; }, 'metric p99-latency has neither successCondition nor failureCondition'],
  ['a metric on the canary\'s 5xx share', (o) => { const q = analysis(o).spec.metrics[0].provider.prometheus; q.query = q.query.replaceAll('status=~"5.."', 'status=~"4.."'); }, 'AnalysisTemplate/warble/warble-canary: needs a metric on the canary\'s 5xx share'],
  ['the HPA scales the Rollout', (o) => { Object.assign(get(o, 'HorizontalPodAutoscaler', 'posts').spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment' }); }, 'HorizontalPodAutoscaler/warble/posts: must scale the Rollout posts'],
  ['canary pods selected like stable ones', (o) => { get(o, 'Service', 'posts').spec.selector['warble.io/track'] = 'stable'; }, 'Service/warble/posts: selector names warble.io/track'],
  ['no pinned Service without a traffic router', (o) => { get(o, 'Rollout', 'users').spec.strategy.canary.stableService = 'users'; }, 'Rollout/warble/users: stableService users without trafficRouting'],
  ['the stable Ingress routes to the stableService', (o) => { get(o, 'Ingress', 'gateway').spec.rules[0].http.paths[1].backend.service.name = 'gateway-canary'; }, 'Rollout/warble/gateway: Ingress gateway must route only to the stableService gateway'],
  ['the testers\' header X-Warble-Canary', (o) => { get(o, 'Rollout', 'gateway').spec.strategy.canary.trafficRouting.nginx.additionalIngressAnnotations['canary-by-header'] = 'X-Canary'; }, 'Rollout/warble/gateway: the public entry\'s canary must route by the header X-Warble-Canary'],
  ['pods scraped with their track', (o) => { get(o, 'PodMonitor', 'warble-apps').spec.podTargetLabels = []; }, 'Deployment/warble/users: no PodMonitor scrapes its pods with podTargetLabels warble.io/track'],
  ['experiments mounted as a directory', (o) => { Object.assign(experimentsMount(o), { mountPath: '/app/config/experiments.json', subPath: 'experiments.json' }); }, 'Deployment/warble/gateway: container gateway: the experiment definitions are mounted with subPath'],
  ['a fixed experiments ConfigMap name', (o) => { const cm = get(o, 'ConfigMap', 'warble-experiments'); cm.metadata.name = 'warble-experiments-5t2hm8b8kg'; get(o, 'Deployment', 'gateway').spec.template.spec.volumes.find((v) => v.name === 'experiments').configMap.name = cm.metadata.name; }, 'ConfigMap/warble/warble-experiments-5t2hm8b8kg: carries a content hash'],
  ['definitions the gateway accepts', (o) => { const cm = get(o, 'ConfigMap', 'warble-experiments'); cm.data['experiments.json'] = cm.data['experiments.json'].replace('"coverage": 0', '"coverage": 2'); }, 'experiments.json: the gateway would refuse it: experiments.0.coverage'],
];

const validate = (file) => spawnSync(process.execPath, [join(here, 'validate-k8s.mjs'), '--topology', 'cluster', 'topology-selftest', file], { encoding: 'utf8' });
const write = (name, objects) => {
  const file = join(outDir, name);
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
};

const clean = validate(write('topology-clean.yaml', load()));
if (clean.status !== 0) { console.error(`the unbroken rendering fails:\n${clean.stderr}`); process.exit(1); }
// All breaks in one rendering (one strict type check instead of thirteen).
const broken = load();
for (const [, apply] of breaks) apply(broken);
const run = validate(write('topology-broken.yaml', broken));
const silent = breaks.filter(([, , message]) => !run.stderr.includes(message));
if (run.status === 0 || silent.length) {
  console.error(`rules that did not reject their break: ${silent.map(([rule]) => rule).join('; ') || '(none, but exit 0)'}\n${run.stderr}`);
  process.exit(1);
}
console.log(`${breaks.length} topology rules each reject their break (${breaks.map(([rule]) => rule).join('; ')})`);
