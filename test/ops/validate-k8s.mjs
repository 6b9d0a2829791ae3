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
//    - Strimzi: JSON schemas generated from Strimzi's own CRD generator
//      (schemas/kafka.strimzi.io, scripts/ops-crd-schemas.sh); CloudNativePG and
//      the Barman Cloud plugin: hand-written minimal schemas (schemas/*.cnpg.io).
//    An object of any other kind is an error.
// 2. Consistency: no duplicate objects; Services, HPAs, PDBs and Ingresses
//    point at things that exist in the same rendering; every Warble Deployment
//    has the probes, resources and hardening that the operations issue asks
//    for; with --contract, the KafkaTopics equal the contract's topics and
//    dead-letter topics.
// Exit 1 on any problem.
import { readFileSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import Ajv from 'ajv';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let contract;
if (args[0] === '--contract') { contract = args[1]; args.splice(0, 2); }
const [label, ...files] = args;
if (!label || files.length === 0) {
  console.error('usage: validate-k8s.mjs [--contract topics.js] LABEL FILE.yaml...');
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
