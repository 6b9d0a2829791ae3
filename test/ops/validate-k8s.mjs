// Validates rendered Kubernetes manifests offline (scripts/ops-validate-k8s.sh):
//   node test/ops/validate-k8s.mjs [--contract dist/libs/contracts/src/topics.js] LABEL FILE.yaml...
//
// 1. Schema: every object against the schema of its apiVersion/kind.
//    - Kubernetes API types: kubernetes-models (schemas generated from the
//      Kubernetes OpenAPI spec); cert-manager and Prometheus Operator CRDs:
//      @kubernetes-models/cert-manager and /prometheus-operator (generated from
//      the upstream CRDs). Their validators check types, required fields, enums
//      and formats but let unknown fields through, so
//    - a strict pass type-checks every such object against the same packages'
//      TypeScript types (tsc: excess properties are errors), catching typos
//      such as `readinesProbe` anywhere in the object.
//    - Argo Rollouts (Rollout, AnalysisTemplate): @kubernetes-models/argo-rollouts,
//      generated from the Go API types of argoproj/argo-rollouts (v1.9, the
//      types its CRDs are generated from; see the package's go.mod), with the
//      same strict pass.
//    - Strimzi: JSON schemas generated from Strimzi's own CRD generator
//      (schemas/kafka.strimzi.io, scripts/ops-crd-schemas.sh); CloudNativePG and
//      the Barman Cloud plugin: hand-written minimal schemas (schemas/*.cnpg.io).
//    An object of any other kind is an error.
// 2. Consistency: no duplicate objects; Services, HPAs, PDBs and Ingresses
//    point at things that exist in the same rendering; every Warble Deployment
//    has the probes, resources and hardening that the operations issue asks
//    for; with --contract, the KafkaTopics equal the contract's topics and
//    dead-letter topics.
// 3. Topology: what the apps are told against what runs: the gateway's service
//    URLs name Services, REDIS_CLUSTER_NODES the Services of a RedisCluster (or
//    REDIS_URL a Service), DATABASE_HOST / DATABASE_REPLICA_HOST CloudNativePG's
//    -rw / -ro services, the topic replication settings the KafkaTopics, and the
//    preStop sleep, SHUTDOWN_DRAIN_MS and request timeout fit into the grace
//    period. With --topology cluster also the cluster topology of
//    docs/scaling.md ("Kubernetes"): every stable app with >= 2 replicas, a hard
//    spread over nodes and a PodDisruptionBudget that lets one pod go; a Redis
//    Cluster of >= 3 masters with a replica each; a Postgres standby; three
//    brokers, topics with replication 3 and min.insync.replicas 2.
// 4. Canaries and experiments: a Rollout (Argo Rollouts) per app with steps of
//    10/50/100 % and an analysis after the first two that can abort, the
//    gateway's ingress-nginx routing with the header X-Warble-Canary, canary
//    pods selected and scraped like stable ones, and the gateway's experiment
//    definitions mounted from a ConfigMap as a directory and accepted by the
//    gateway's own parser (see the section for the details).
// Exit 1 on any problem.
import { readFileSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import Ajv from 'ajv';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let contract;
let topology;
for (;;) {
  if (args[0] === '--contract') { contract = args[1]; args.splice(0, 2); continue; }
  if (args[0] === '--topology') { topology = args[1]; args.splice(0, 2); continue; }
  break;
}
const [label, ...files] = args;
if (!label || files.length === 0 || (topology && !['single', 'cluster'].includes(topology))) {
  console.error('usage: validate-k8s.mjs [--contract topics.js] [--topology single|cluster] LABEL FILE.yaml...');
  process.exit(2);
}

const problems = [];
const problem = (obj, msg) => problems.push(`${label}: ${obj ? id(obj) + ': ' : ''}${msg}`);
const id = (o) => `${o.kind}/${o.metadata?.namespace ? o.metadata.namespace + '/' : ''}${o.metadata?.name}`;

// ---- read ----------------------------------------------------------------------
const objects = [];
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length) { problems.push(`${label}: ${file}: YAML: ${doc.errors[0].message}`); continue; }
    const obj = doc.toJS();
    if (obj) objects.push(obj);
  }
}
if (objects.length === 0) problems.push(`${label}: no objects rendered`);

// ---- 1. schemas ---------------------------------------------------------------
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const vendored = {
  'kafka.strimzi.io/v1beta2': { Kafka: 'kafka', KafkaNodePool: 'kafkanodepool', KafkaTopic: 'kafkatopic' },
  'postgresql.cnpg.io/v1': { Cluster: 'cluster', ScheduledBackup: 'scheduledbackup' },
  'barmancloud.cnpg.io/v1': { ObjectStore: 'objectstore' },
  'redis.redis.opstreelabs.in/v1beta2': { RedisCluster: 'rediscluster' },
};
const ajvCache = new Map();
function vendoredValidator(apiVersion, kind) {
  const base = vendored[apiVersion]?.[kind];
  if (!base) return undefined;
  const [group, version] = apiVersion.split('/');
  const file = join(here, 'schemas', group, `${base}_${version}.json`);
  if (!ajvCache.has(file)) ajvCache.set(file, ajv.compile(JSON.parse(readFileSync(file, 'utf8'))));
  return ajvCache.get(file);
}
function modelModule(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'cert-manager.io') return `@kubernetes-models/cert-manager/cert-manager.io/${version}/${kind}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}`;
  if (group === 'argoproj.io') return `@kubernetes-models/argo-rollouts/argoproj.io/${version}/${kind}`;
  if (group === '') return `kubernetes-models/${version}/${kind}`;
  if (!group.includes('.') || group.endsWith('.k8s.io')) return `kubernetes-models/${group}/${version}/${kind}`;
  return undefined;
}

const strict = []; // [module, kind, object, owner] for the TypeScript pass
async function checkModel(obj, owner = obj, where = '') {
  const mod = modelModule(obj.apiVersion, obj.kind);
  let Model;
  if (mod) {
    try { Model = (await import(pathToFileURL(join(here, 'node_modules', mod + '.js')).href))[obj.kind]; } catch { Model = undefined; }
  }
  if (!Model) { problem(owner, `no schema for ${obj.apiVersion} ${obj.kind}`); return; }
  try { new Model(obj).validate(); } catch (error) { problem(owner, `${where}${String(error.message ?? error).split('\n').join('; ')}`); }
  strict.push([mod, obj.kind, obj, owner]);
}
// The Kubernetes types a RedisCluster embeds, as the Pod of each role and the
// volume claims the operator makes from them (its schema only asks for objects).
function redisClusterParts(rc) {
  const spec = rc.spec ?? {};
  const meta = (name) => ({ name, namespace: rc.metadata.namespace });
  const parts = [];
  for (const role of ['redisLeader', 'redisFollower']) {
    const r = spec[role] ?? {};
    const pick = (from, keys) => Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
    parts.push([`${role}: `, {
      apiVersion: 'v1', kind: 'Pod', metadata: meta(`${rc.metadata.name}-${role}`),
      spec: {
        ...(spec.podSecurityContext ? { securityContext: spec.podSecurityContext } : {}),
        ...pick(r, ['affinity', 'tolerations', 'nodeSelector', 'topologySpreadConstraints', 'terminationGracePeriodSeconds']),
        containers: [{ name: 'redis', image: spec.kubernetesConfig?.image ?? '', ...(spec.env ? { env: spec.env } : {}), ...pick(r, ['securityContext', 'readinessProbe', 'livenessProbe']) }],
      },
    }]);
  }
  for (const key of ['volumeClaimTemplate', 'nodeConfVolumeClaimTemplate']) {
    const t = spec.storage?.[key];
    if (t) parts.push([`storage.${key}: `, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { ...t.metadata, ...meta(`${rc.metadata.name}-${key.toLowerCase()}`) }, spec: t.spec ?? {} }]);
  }
  return parts;
}
for (const obj of objects) {
  if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) { problem(obj, 'apiVersion, kind and metadata.name are required'); continue; }
  const vendoredValidate = vendoredValidator(obj.apiVersion, obj.kind);
  if (vendoredValidate) {
    if (!vendoredValidate(obj)) for (const e of vendoredValidate.errors) problem(obj, `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`);
    if (obj.kind === 'RedisCluster') for (const [where, part] of redisClusterParts(obj)) await checkModel(part, obj, where);
    continue;
  }
  await checkModel(obj);
}

// Strict pass: excess-property and type checks by the TypeScript compiler.
if (strict.length > 0) {
  const dir = join(here, '.tmp', label.replace(/[^a-z0-9-]/gi, '_'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const lines = [];
  const owner = []; // line number -> object
  strict.forEach(([mod, kind], i) => lines.push(`import type { I${kind} as T${i} } from ${JSON.stringify(mod)};`));
  strict.forEach(([, , obj, ownerObj], i) => {
    const body = JSON.stringify(obj, null, 1).split('\n');
    const start = lines.length;
    lines.push(`export const o${i}: T${i} = ${body[0]}`, ...body.slice(1));
    lines[lines.length - 1] += ';';
    for (let l = start; l < lines.length; l++) owner[l + 1] = ownerObj;
  });
  writeFileSync(join(dir, 'objects.ts'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true, types: [], typeRoots: [join(here, 'node_modules', '@types')] },
    files: ['objects.ts'],
  }));
  const tsc = join(here, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
  if (run.status !== 0) {
    const out = `${run.stdout}${run.stderr}`.trim();
    const pattern = /objects\.ts\((\d+),\d+\): error (TS\d+): ([^\n]*)/g;
    let m, matched = 0;
    while ((m = pattern.exec(out))) { matched++; problem(owner[Number(m[1])], `${m[3]} (strict type check, ${m[2]}, ${dir}/objects.ts:${m[1]})`); }
    if (!matched) problems.push(`${label}: strict type check failed: ${out.slice(0, 2000)}`);
  } else {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- 2. consistency --------------------------------------------------------------
const key = (o) => `${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name}`;
const seen = new Set();
for (const o of objects) { if (seen.has(key(o))) problem(o, 'defined twice'); seen.add(key(o)); }
const find = (kind, ns, name) => objects.find((o) => o.kind === kind && (o.metadata.namespace ?? '') === (ns ?? '') && o.metadata.name === name);
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
const clusterScoped = new Set(['Namespace', 'ClusterIssuer', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass']);

for (const o of objects) {
  const ns = o.metadata.namespace;
  if (!clusterScoped.has(o.kind) && !ns) problem(o, 'namespaced object without a namespace');
  if (ns && !find('Namespace', '', ns)) problem(o, `namespace ${ns} is not part of the rendering`);
  if (o.kind === 'Service' && o.spec.selector) {
    const targets = workloads.filter((w) => w.metadata.namespace === ns && matches(o.spec.selector, w.spec.template.metadata?.labels));
    if (targets.length === 0) problem(o, 'selects no Deployment or StatefulSet');
    for (const p of o.spec.ports ?? []) {
      if (typeof p.targetPort === 'string' && !targets.some((w) => w.spec.template.spec.containers.some((c) => c.ports?.some((cp) => cp.name === p.targetPort)))) problem(o, `targetPort ${p.targetPort} is no container port of the selected pods`);
    }
  }
  if (o.kind === 'HorizontalPodAutoscaler' && !find(o.spec.scaleTargetRef.kind, ns, o.spec.scaleTargetRef.name)) problem(o, `scaleTargetRef ${o.spec.scaleTargetRef.kind}/${o.spec.scaleTargetRef.name} does not exist`);
  if (o.kind === 'PodDisruptionBudget' && !workloads.some((w) => w.metadata.namespace === ns && matches(o.spec.selector.matchLabels, w.spec.template.metadata?.labels))) problem(o, 'selects no pods');
  if (o.kind === 'Ingress') {
    for (const rule of o.spec.rules ?? []) for (const path of rule.http?.paths ?? []) {
      const svc = find('Service', ns, path.backend.service?.name);
      if (!svc) problem(o, `backend Service ${path.backend.service?.name} does not exist`);
      else if (path.backend.service.port?.name && !svc.spec.ports.some((p) => p.name === path.backend.service.port.name)) problem(o, `Service ${svc.metadata.name} has no port ${path.backend.service.port.name}`);
    }
  }
  if (o.kind === 'Deployment' || o.kind === 'Job') {
    const spec = o.spec.template.spec;
    for (const c of spec.containers) {
      for (const ref of c.envFrom ?? []) if (ref.configMapRef && !find('ConfigMap', ns, ref.configMapRef.name)) problem(o, `ConfigMap ${ref.configMapRef.name} does not exist`);
    }
  }
  // What the operations issue asks of every Warble app Deployment.
  const labels = o.metadata.labels ?? {};
  if (o.kind === 'Deployment' && labels['app.kubernetes.io/part-of'] === 'warble' && ['api', 'service'].includes(labels['app.kubernetes.io/component'])) {
    const spec = o.spec.template.spec;
    if (spec.securityContext?.runAsNonRoot !== true) problem(o, 'pod securityContext.runAsNonRoot must be true');
    if (spec.securityContext?.seccompProfile?.type !== 'RuntimeDefault') problem(o, 'pod seccompProfile must be RuntimeDefault');
    if (!spec.topologySpreadConstraints?.some((t) => t.topologyKey === 'kubernetes.io/hostname')) problem(o, 'needs a topologySpreadConstraint over kubernetes.io/hostname');
    if (!(spec.terminationGracePeriodSeconds > 0)) problem(o, 'needs terminationGracePeriodSeconds');
    for (const c of spec.containers) {
      const where = `container ${c.name}`;
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) if (!c[probe]?.httpGet?.path?.startsWith('/health/')) problem(o, `${where}: ${probe} on /health/* is missing`);
      if (c.readinessProbe?.httpGet?.path !== '/health/ready') problem(o, `${where}: readinessProbe must use /health/ready`);
      if (c.livenessProbe?.httpGet?.path !== '/health/live') problem(o, `${where}: livenessProbe must use /health/live (dependencies must not restart pods)`);
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) problem(o, `${where}: needs cpu/memory requests and a memory limit`);
      const sc = c.securityContext ?? {};
      if (sc.readOnlyRootFilesystem !== true) problem(o, `${where}: readOnlyRootFilesystem must be true`);
      if (sc.allowPrivilegeEscalation !== false) problem(o, `${where}: allowPrivilegeEscalation must be false`);
      if (!sc.capabilities?.drop?.includes('ALL')) problem(o, `${where}: must drop ALL capabilities`);
      if (!c.volumeMounts?.some((m) => m.mountPath === '/tmp')) problem(o, `${where}: needs a writable /tmp volume`);
      if (!c.lifecycle?.preStop) problem(o, `${where}: needs a preStop hook`);
    }
    const hasHpa = objects.some((h) => h.kind === 'HorizontalPodAutoscaler' && h.metadata.namespace === o.metadata.namespace && h.spec.scaleTargetRef.name === o.metadata.name);
    const hasPdb = objects.some((p) => p.kind === 'PodDisruptionBudget' && p.metadata.namespace === o.metadata.namespace && matches(p.spec.selector.matchLabels, o.spec.template.metadata.labels));
    const stable = o.spec.template.metadata.labels?.['warble.io/track'] !== 'canary';
    if (stable && !hasHpa) problem(o, 'has no HorizontalPodAutoscaler');
    if (stable && !hasPdb) problem(o, 'has no PodDisruptionBudget');
  }
}

// ---- 3. topology -------------------------------------------------------------------
// What the apps are told (their ConfigMaps and env) against what the rendering
// runs, for every overlay; with --topology cluster also the cluster topology of
// docs/scaling.md ("Kubernetes"): replicas, disruption budgets, Redis Cluster,
// Postgres standbys, three Kafka brokers.
const apps = objects.filter((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/part-of'] === 'warble' && ['api', 'service'].includes(o.metadata.labels?.['app.kubernetes.io/component']));
const isStable = (d) => d.spec.template.metadata.labels?.['warble.io/track'] !== 'canary';
const rollouts = objects.filter((o) => o.kind === 'Rollout');
/** The Rollout that runs a Deployment's pod template (workloadRef), if any. */
const rolloutOf = (d) => rollouts.find((r) => r.metadata.namespace === d.metadata.namespace && r.spec.workloadRef?.kind === 'Deployment' && r.spec.workloadRef.name === d.metadata.name);
function containerEnv(d, c) {
  const env = {};
  for (const ref of c.envFrom ?? []) if (ref.configMapRef) Object.assign(env, find('ConfigMap', d.metadata.namespace, ref.configMapRef.name)?.data ?? {});
  for (const e of c.env ?? []) env[e.name] = e.value ?? null; // null: from a secret or a field
  return env;
}
// A Service's DNS name seen from namespace ns: name, name.ns, name.ns.svc[.cluster.local].
function serviceName(host, ns) {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/.exec(host ?? '');
  return m ? { name: m[1], namespace: m[3] ?? ns } : undefined;
}
const hostPort = (value) => { const i = value.lastIndexOf(':'); return [value.slice(0, i), Number(value.slice(i + 1))]; };
const list = (value) => String(value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
const redisClusters = objects.filter((o) => o.kind === 'RedisCluster');
const pgClusters = objects.filter((o) => o.kind === 'Cluster' && o.apiVersion.startsWith('postgresql.cnpg.io/'));
const brokers = (cluster) => objects.filter((o) => o.kind === 'KafkaNodePool' && o.metadata.labels?.['strimzi.io/cluster'] === cluster && o.spec.roles?.includes('broker')).reduce((n, p) => n + (p.spec.replicas ?? 0), 0);
const preStopSeconds = (c) => {
  const p = c.lifecycle?.preStop;
  if (p?.sleep) return Number(p.sleep.seconds);
  const cmd = p?.exec?.command ?? [];
  const i = cmd.indexOf('sleep');
  return i >= 0 ? Number(cmd[i + 1]) : 0;
};

for (const d of apps) {
  const ns = d.metadata.namespace;
  const spec = d.spec.template.spec;
  const podLabels = d.spec.template.metadata.labels ?? {};
  for (const c of spec.containers) {
    const env = containerEnv(d, c);
    const where = `container ${c.name}`;
    // Shutdown: preStop sleep, then the app's own drain, then requests still arriving must fit into the grace period.
    const sleep = preStopSeconds(c);
    const drain = Number(env.SHUTDOWN_DRAIN_MS ?? 0) / 1000;
    const request = Number(env.HTTP_REQUEST_TIMEOUT_MS ?? 15000) / 1000;
    if (!(sleep >= 1)) problem(d, `${where}: the preStop hook must sleep at least 1 s (endpoint removal reaching every node and the ingress)`);
    if (sleep + drain + request > (spec.terminationGracePeriodSeconds ?? 30)) problem(d, `${where}: preStop sleep ${sleep} s + SHUTDOWN_DRAIN_MS ${drain} s + HTTP_REQUEST_TIMEOUT_MS ${request} s exceed terminationGracePeriodSeconds ${spec.terminationGracePeriodSeconds ?? 30}`);
    // The gateway reaches each service through its Service.
    for (const key of ['USERS_URL', 'POSTS_URL', 'GRAPH_URL', 'SEARCH_URL', 'COMMENTS_URL']) {
      if (podLabels['app.kubernetes.io/name'] !== 'gateway') break;
      const urls = list(env[key]);
      if (urls.length === 0) problem(d, `${where}: ${key} is not set`);
      for (const u of urls) {
        let url;
        try { url = new URL(u); } catch { problem(d, `${where}: ${key} ${u} is no URL`); continue; }
        const ref = serviceName(url.hostname, ns);
        const svc = ref && find('Service', ref.namespace, ref.name);
        if (!svc) problem(d, `${where}: ${key} ${u} names no Service of the rendering`);
        else if (!svc.spec.ports.some((p) => p.port === Number(url.port || 80))) problem(d, `${where}: ${key} ${u}: Service ${svc.metadata.name} has no port ${url.port || 80}`);
      }
    }
    // Redis: the seeds of a RedisCluster of the rendering, or REDIS_URL naming a Service of it.
    if (podLabels['warble.io/redis-client'] === 'true') {
      const seeds = list(env.REDIS_CLUSTER_NODES);
      for (const seed of seeds) {
        const [host, port] = hostPort(seed);
        const ref = serviceName(host, ns);
        const rc = ref && redisClusters.find((r) => r.metadata.namespace === ref.namespace && [`${r.metadata.name}-leader`, `${r.metadata.name}-follower`].includes(ref.name));
        if (!rc) problem(d, `${where}: REDIS_CLUSTER_NODES seed ${seed} is not the leader or follower Service of a RedisCluster of the rendering`);
        else if (port !== (rc.spec.port ?? 6379)) problem(d, `${where}: REDIS_CLUSTER_NODES seed ${seed}: RedisCluster ${rc.metadata.name} listens on ${rc.spec.port ?? 6379}`);
      }
      if (seeds.length === 0) {
        let url;
        try { url = new URL(env.REDIS_URL); } catch { url = undefined; }
        const ref = url && serviceName(url.hostname, ns);
        if (!ref || !find('Service', ref.namespace, ref.name)) problem(d, `${where}: neither REDIS_CLUSTER_NODES nor a REDIS_URL naming a Service of the rendering (${env.REDIS_URL})`);
      }
      if (topology === 'cluster' && seeds.length === 0) problem(d, `${where}: the cluster topology needs REDIS_CLUSTER_NODES (a Redis Cluster)`);
    }
    // Postgres: writes on CloudNativePG's -rw service; lag-tolerant reads on -ro (standbys) or -r (any instance).
    if (podLabels['warble.io/db-client'] === 'true') {
      const rw = serviceName(env.DATABASE_HOST, ns);
      if (!rw || !pgClusters.some((p) => p.metadata.namespace === rw.namespace && `${p.metadata.name}-rw` === rw.name)) problem(d, `${where}: DATABASE_HOST ${env.DATABASE_HOST} is not the -rw service of a CloudNativePG Cluster of the rendering`);
      if (env.DATABASE_REPLICA_HOST) {
        const ro = serviceName(env.DATABASE_REPLICA_HOST, ns);
        const pg = ro && pgClusters.find((p) => p.metadata.namespace === ro.namespace && [`${p.metadata.name}-ro`, `${p.metadata.name}-r`].includes(ro.name));
        if (!pg) problem(d, `${where}: DATABASE_REPLICA_HOST ${env.DATABASE_REPLICA_HOST} is not the -ro or -r service of a CloudNativePG Cluster of the rendering`);
        else if (ro.name.endsWith('-ro') && !(pg.spec.instances >= 2)) problem(d, `${where}: DATABASE_REPLICA_HOST ${env.DATABASE_REPLICA_HOST}: Cluster ${pg.metadata.name} has no standby (instances ${pg.spec.instances}), the -ro service would have no endpoint`);
        if (env.DATABASE_REPLICA_PORT && Number(env.DATABASE_REPLICA_PORT) !== 5432) problem(d, `${where}: DATABASE_REPLICA_PORT must be 5432 (CloudNativePG's services)`);
      } else if (topology === 'cluster') problem(d, `${where}: the cluster topology needs DATABASE_REPLICA_HOST (reads that may lag on the standbys)`);
    }
    // Kafka: what create-topics would make equals the KafkaTopics.
    if (podLabels['warble.io/kafka-client'] === 'true') {
      const topics = objects.filter((o) => o.kind === 'KafkaTopic');
      const differ = (setting, of) => {
        if (env[setting] === undefined) return;
        const off = topics.filter((t) => Number(env[setting]) !== Number(of(t)));
        if (off.length) problem(d, `${where}: ${setting} ${env[setting]} but KafkaTopic ${off[0].metadata.name} has ${of(off[0])}${off.length > 1 ? ` (and ${off.length - 1} more topics differ)` : ''}`);
      };
      differ('KAFKA_TOPIC_REPLICATION_FACTOR', (t) => t.spec.replicas);
      differ('KAFKA_TOPIC_MIN_INSYNC_REPLICAS', (t) => t.spec.config?.['min.insync.replicas']);
    }
  }
  if (topology !== 'cluster' || !isStable(d)) continue;
  // Cluster topology: two pods at least, on different nodes, and a budget that lets a drain through one at a time.
  // The pods are the Rollout's when one runs the Deployment's template (its own replicas are 0).
  const runner = rolloutOf(d) ?? d;
  if (!(runner.spec.replicas >= 2)) problem(runner, `the cluster topology needs replicas >= 2 (has ${runner.spec.replicas})`);
  const hpa = objects.find((h) => h.kind === 'HorizontalPodAutoscaler' && h.metadata.namespace === ns && h.spec.scaleTargetRef.kind === runner.kind && h.spec.scaleTargetRef.name === runner.metadata.name);
  if (hpa && !(hpa.spec.minReplicas >= 2)) problem(hpa, `the cluster topology needs minReplicas >= 2 (has ${hpa.spec.minReplicas})`);
  const min = Math.min(runner.spec.replicas ?? 1, hpa?.spec.minReplicas ?? Infinity);
  const pdbs = objects.filter((p) => p.kind === 'PodDisruptionBudget' && p.metadata.namespace === ns && matches(p.spec.selector.matchLabels, podLabels));
  const pdbOk = (p) => (Number.isInteger(p.spec.maxUnavailable) && p.spec.maxUnavailable >= 1 && p.spec.maxUnavailable < min)
    || (Number.isInteger(p.spec.minAvailable) && p.spec.minAvailable >= 1 && p.spec.minAvailable < min);
  if (pdbs.length === 0) problem(d, 'the cluster topology needs a PodDisruptionBudget selecting its pods');
  for (const p of pdbs) if (!pdbOk(p)) problem(p, `must keep a pod up and let one go (integer maxUnavailable or minAvailable between 1 and ${min - 1} for ${min} pods)`);
  if (!spec.topologySpreadConstraints?.some((t) => t.topologyKey === 'kubernetes.io/hostname' && t.whenUnsatisfiable === 'DoNotSchedule')) problem(d, 'the cluster topology needs a hard (DoNotSchedule) spread over kubernetes.io/hostname');
}

if (topology === 'cluster') {
  if (redisClusters.length === 0) problems.push(`${label}: the cluster topology needs a RedisCluster`);
  for (const rc of redisClusters) {
    const leaders = rc.spec.redisLeader?.replicas ?? rc.spec.clusterSize;
    const followers = rc.spec.redisFollower?.replicas ?? rc.spec.clusterSize;
    if (!(leaders >= 3)) problem(rc, `a Redis Cluster needs three masters at least (has ${leaders})`);
    if (!(followers >= leaders)) problem(rc, `every master needs a replica (${leaders} leaders, ${followers} followers)`);
  }
  if (pgClusters.length === 0) problems.push(`${label}: the cluster topology needs a CloudNativePG Cluster`);
  for (const pg of pgClusters) if (!(pg.spec.instances >= 2)) problem(pg, `the cluster topology needs a standby (instances >= 2, has ${pg.spec.instances})`);
  for (const k of objects.filter((o) => o.kind === 'Kafka')) {
    const n = brokers(k.metadata.name);
    if (n < 3) problem(k, `the cluster topology needs three brokers (KafkaNodePools with role broker have ${n})`);
    const cfg = k.spec.kafka?.config ?? {};
    if (!(Number(cfg['default.replication.factor']) >= 3) || !(Number(cfg['min.insync.replicas']) >= 2)) problem(k, 'the cluster topology needs default.replication.factor >= 3 and min.insync.replicas >= 2');
    if (String(cfg['unclean.leader.election.enable']) === 'true') problem(k, 'unclean leader election must stay off');
  }
  for (const t of objects.filter((o) => o.kind === 'KafkaTopic')) {
    const isr = Number(t.spec.config?.['min.insync.replicas']);
    if (!(t.spec.replicas >= 3) || !(isr >= 2) || !(isr < t.spec.replicas)) problem(t, `the cluster topology needs replicas >= 3 and 2 <= min.insync.replicas < replicas (has ${t.spec.replicas} and ${isr})`);
  }
}

// ---- 4. canaries and experiments -------------------------------------------------
// Every app is released as a canary by Argo Rollouts (docs/operations.md,
// "Canary in Kubernetes"): a Rollout runs its Deployment's template
// (workloadRef; the Deployment keeps 0 replicas and the HPA scales the
// Rollout) in steps of 10 %, 50 %, 100 % with an analysis after each of the
// first two; the analysis references an AnalysisTemplate of the rendering
// whose every argument is given and whose every metric can fail, on the
// canary's 5xx share and p99 latency. Canary pods are treated like stable ones
// (no selector names warble.io/track, which the Rollouts set on the pods) and
// scraped with that label. Only a Rollout with a traffic router may pin its
// Services to one ReplicaSet; the gateway's routes through ingress-nginx with
// the testers' header X-Warble-Canary. The gateway mounts its experiment
// definitions from a ConfigMap as a directory (a subPath never updates), and
// the definitions pass the gateway's own checks (dist/, npm run build).
const CANARY_WEIGHTS = [10, 50, 100];
const CANARY_HEADER = 'X-Warble-Canary';
const TRACK = 'warble.io/track';
const analysisTemplates = objects.filter((o) => o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate');
const sameSelector = (a, b) => JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());
function checkAnalysis(r, step, where) {
  const refs = step.analysis.templates ?? [];
  if (refs.length === 0) problem(r, `${where}: the analysis names no template`);
  const given = new Set((step.analysis.args ?? []).map((a) => a.name));
  for (const ref of refs) {
    const t = ref.clusterScope
      ? analysisTemplates.find((a) => a.kind === 'ClusterAnalysisTemplate' && a.metadata.name === ref.templateName)
      : analysisTemplates.find((a) => a.kind === 'AnalysisTemplate' && a.metadata.namespace === r.metadata.namespace && a.metadata.name === ref.templateName);
    if (!t) { problem(r, `${where}: analysis template ${ref.templateName} does not exist`); continue; }
    for (const arg of t.spec.args ?? []) if (arg.value === undefined && arg.valueFrom === undefined && !given.has(arg.name)) problem(r, `${where}: analysis template ${t.metadata.name} needs the argument ${arg.name}`);
  }
}
for (const t of analysisTemplates) {
  const metrics = t.spec.metrics ?? [];
  // Without a condition a measurement always succeeds: such a metric can never abort a canary.
  for (const m of metrics) if (!m.successCondition && !m.failureCondition) problem(t, `metric ${m.name} has neither successCondition nor failureCondition: it can never abort a canary`);
  const canaryQueries = metrics.map((m) => m.provider?.prometheus?.query ?? '').filter((q) => q.includes('warble_io_track="canary"'));
  if (!canaryQueries.some((q) => q.includes('http_requests_total{') && q.includes('status=~"5.."'))) problem(t, 'needs a metric on the canary\'s 5xx share (http_requests_total{..., warble_io_track="canary", status=~"5.."})');
  if (!canaryQueries.some((q) => q.includes('histogram_quantile(0.99') && q.includes('http_request_duration_seconds_bucket'))) problem(t, 'needs a metric on the canary\'s p99 latency (histogram_quantile(0.99, ... http_request_duration_seconds_bucket{..., warble_io_track="canary"}))');
}
for (const d of apps) {
  const r = rolloutOf(d);
  if (!r) { problem(d, 'no Rollout runs this Deployment (workloadRef): every app is released as a canary'); continue; }
  if (d.spec.replicas !== 0) problem(d, `its Rollout ${r.metadata.name} runs the pods: replicas must be 0 (has ${d.spec.replicas}), or both run them`);
  if (!sameSelector(r.spec.selector?.matchLabels, d.spec.selector?.matchLabels) || r.spec.selector?.matchExpressions) problem(r, `selector must equal that of Deployment ${d.metadata.name}`);
  const hpa = objects.find((h) => h.kind === 'HorizontalPodAutoscaler' && h.metadata.namespace === d.metadata.namespace && h.spec.scaleTargetRef.name === d.metadata.name);
  if (hpa && hpa.spec.scaleTargetRef.kind !== 'Rollout') problem(hpa, `must scale the Rollout ${r.metadata.name}, not the ${hpa.spec.scaleTargetRef.kind} (which stays at 0)`);
  const canary = r.spec.strategy?.canary;
  if (!canary) { problem(r, 'needs the canary strategy'); continue; }
  const steps = canary.steps ?? [];
  const weights = steps.filter((s) => s.setWeight !== undefined).map((s) => s.setWeight);
  if (JSON.stringify(weights) !== JSON.stringify(CANARY_WEIGHTS)) problem(r, `canary steps must set the weights ${CANARY_WEIGHTS.join(', ')} (has ${weights.join(', ') || 'none'})`);
  steps.forEach((s, i) => {
    if (s.setWeight === undefined || s.setWeight >= 100) return;
    const next = steps.findIndex((n, j) => j > i && n.setWeight !== undefined);
    const between = steps.slice(i + 1, next < 0 ? steps.length : next);
    if (!between.some((b) => b.analysis)) problem(r, `no analysis between setWeight ${s.setWeight} and the next step: nothing would stop a bad canary`);
  });
  steps.forEach((s, i) => { if (s.analysis) checkAnalysis(r, s, `step ${i}`); });
  if (canary.analysis) checkAnalysis(r, canary.analysis, 'background analysis');
  if (canary.canaryMetadata?.labels?.[TRACK] !== 'canary' || canary.stableMetadata?.labels?.[TRACK] !== 'stable') problem(r, `canaryMetadata/stableMetadata must label the pods ${TRACK}: canary/stable (the analysis compares them)`);
  if (d.spec.template.metadata.labels?.[TRACK] !== undefined) problem(d, `the pod template must not set ${TRACK}: the Rollout sets it on each ReplicaSet's pods`);
  const podLabels = d.spec.template.metadata.labels ?? {};
  const service = (name) => find('Service', r.metadata.namespace, name);
  if (canary.trafficRouting) {
    for (const key of ['stableService', 'canaryService']) {
      const svc = canary[key] && service(canary[key]);
      if (!svc) problem(r, `trafficRouting needs ${key}, a Service of the rendering (has ${canary[key]})`);
      else if (!matches(svc.spec.selector, podLabels)) problem(r, `${key} ${svc.metadata.name} does not select the pods of Deployment ${d.metadata.name}`);
    }
    const nginx = canary.trafficRouting.nginx;
    if (nginx) {
      for (const name of [nginx.stableIngress, ...(nginx.stableIngresses ?? [])].filter(Boolean)) {
        const ing = find('Ingress', r.metadata.namespace, name);
        if (!ing) { problem(r, `stableIngress ${name} does not exist`); continue; }
        const backends = (ing.spec.rules ?? []).flatMap((rule) => rule.http?.paths ?? []).map((p) => p.backend.service?.name);
        if (backends.some((b) => b !== canary.stableService)) problem(r, `Ingress ${name} must route only to the stableService ${canary.stableService} (has ${[...new Set(backends)].join(', ')})`);
      }
    }
  } else if (canary.stableService) {
    problem(r, `stableService ${canary.stableService} without trafficRouting: Argo Rollouts would pin it to the stable pods and the canary would get none of its calls`);
  }
  // The public entry: testers choose a side by header whatever the weight.
  const publicIngress = objects.some((o) => o.kind === 'Ingress' && o.metadata.namespace === r.metadata.namespace && (o.spec.rules ?? []).some((rule) => (rule.http?.paths ?? []).some((p) => { const svc = service(p.backend.service?.name); return svc && matches(svc.spec.selector, podLabels); })));
  if (publicIngress && canary.trafficRouting?.nginx?.additionalIngressAnnotations?.['canary-by-header'] !== CANARY_HEADER) problem(r, `the public entry's canary must route by the header ${CANARY_HEADER} (trafficRouting.nginx.additionalIngressAnnotations canary-by-header)`);
  // Scraped with the track label, or the analysis sees nothing.
  const monitors = objects.filter((m) => m.kind === 'PodMonitor' && (m.spec.namespaceSelector?.matchNames ?? [m.metadata.namespace]).includes(d.metadata.namespace) && matches(m.spec.selector?.matchLabels, podLabels));
  if (!monitors.some((m) => m.spec.podTargetLabels?.includes(TRACK))) problem(d, `no PodMonitor scrapes its pods with podTargetLabels ${TRACK} (the canary analysis needs warble_io_track)`);
}
// Selectors that name the track would treat canary pods unlike stable ones.
const selectorsOf = (o) => {
  const out = [];
  if (o.kind === 'Service') out.push(['selector', o.spec.selector]);
  if (o.kind === 'PodDisruptionBudget' || o.kind === 'PodMonitor' || o.kind === 'ServiceMonitor') out.push(['selector', o.spec.selector?.matchLabels]);
  if (o.kind === 'NetworkPolicy') {
    out.push(['podSelector', o.spec.podSelector?.matchLabels]);
    for (const rule of [...(o.spec.ingress ?? []).flatMap((i) => i.from ?? []), ...(o.spec.egress ?? []).flatMap((e) => e.to ?? [])]) out.push(['peer podSelector', rule.podSelector?.matchLabels]);
  }
  if (o.kind === 'Deployment' || o.kind === 'Rollout') {
    out.push(['selector', o.spec.selector?.matchLabels]);
    for (const t of o.spec.template?.spec?.topologySpreadConstraints ?? []) out.push(['topologySpreadConstraint', t.labelSelector?.matchLabels]);
  }
  return out;
};
for (const o of objects) {
  if (o.metadata.namespace !== 'warble' && !rollouts.some((r) => r.metadata.namespace === o.metadata.namespace)) continue;
  for (const [where, sel] of selectorsOf(o)) if (sel && TRACK in sel) problem(o, `${where} names ${TRACK}: canary pods must be selected like stable ones (the Rollouts set that label)`);
}
// The gateway's experiment definitions: a ConfigMap mounted as the directory of EXPERIMENTS_FILE.
const WORKDIR = '/app'; // docker/Dockerfile
for (const d of apps.filter((a) => a.spec.template.metadata.labels?.['app.kubernetes.io/name'] === 'gateway')) {
  for (const c of d.spec.template.spec.containers) {
    const file = posix.resolve(WORKDIR, containerEnv(d, c).EXPERIMENTS_FILE ?? 'config/experiments.json');
    const mount = c.volumeMounts?.find((m) => m.mountPath === posix.dirname(file) || (m.subPath && m.mountPath === file));
    const volume = mount && d.spec.template.spec.volumes?.find((v) => v.name === mount.name);
    const cm = volume?.configMap && find('ConfigMap', d.metadata.namespace, volume.configMap.name);
    if (!mount || !volume?.configMap) { problem(d, `container ${c.name}: no ConfigMap is mounted at ${posix.dirname(file)} (EXPERIMENTS_FILE ${file})`); continue; }
    if (mount.subPath) { problem(d, `container ${c.name}: the experiment definitions are mounted with subPath ${mount.subPath}: a subPath mount never sees a ConfigMap update; mount the directory`); }
    if (!cm) { problem(d, `container ${c.name}: ConfigMap ${volume.configMap.name} does not exist`); continue; }
    // kustomize's content hash (10 characters of its alphabet): an edit would then be a new pod template, a release through the canary steps, instead of a reload.
    if (/-[bcdfghkmnt2-9]{10}$/.test(cm.metadata.name)) problem(cm, 'carries a content hash in its name: an edit would roll the gateway through a canary instead of being re-read (disableNameSuffixHash)');
    const key = volume.configMap.items?.find((i) => i.path === posix.basename(file))?.key ?? posix.basename(file);
    if (cm.data?.[key] === undefined) { problem(cm, `has no key ${key} (EXPERIMENTS_FILE ${file})`); continue; }
    const dist = join(here, '..', '..', 'dist', 'libs');
    try {
      const { parseDefinitions, catalogProblems } = await import(pathToFileURL(join(dist, 'platform', 'src', 'experiments', 'definitions.js')).href);
      const { EXPERIMENTS } = await import(pathToFileURL(join(dist, 'api', 'src', 'experiments.js')).href);
      const parsed = parseDefinitions(cm.data[key]);
      const faults = parsed.ok ? catalogProblems(parsed.definitions, EXPERIMENTS) : parsed.problems;
      for (const f of faults) problem(cm, `${key}: the gateway would refuse it: ${f}`);
    } catch (error) {
      problem(cm, `cannot check ${key} with the gateway's parser in ${dist} (npm run build first): ${error.message}`);
    }
  }
}

if (contract) {
  const c = await import(pathToFileURL(contract).href);
  const want = new Set([...c.ALL_TOPICS, ...c.allDeadLetterTopics()]);
  const topics = objects.filter((o) => o.kind === 'KafkaTopic');
  const have = new Set(topics.map((t) => t.spec.topicName ?? t.metadata.name));
  for (const t of want) if (!have.has(t)) problems.push(`${label}: no KafkaTopic for contract topic ${t}`);
  for (const t of have) if (!want.has(t)) problems.push(`${label}: KafkaTopic ${t} is not in the contract`);
  for (const t of topics) {
    const domain = c.ALL_TOPICS.includes(t.spec.topicName);
    if (domain && String(t.spec.config?.['retention.ms']) !== '-1') problem(t, 'domain topics keep their events forever (retention.ms -1)');
  }
}

const kinds = {};
for (const o of objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
if (problems.length) {
  for (const p of problems) console.error(`INVALID ${p}`);
  console.error(`${label}: ${problems.length} problem(s) in ${objects.length} objects`);
  process.exit(1);
}
console.log(`${label}: ${objects.length} objects valid (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')})`);
