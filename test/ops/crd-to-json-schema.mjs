// Converts the openAPIV3Schema of a CustomResourceDefinition version into a
// JSON Schema for ajv, the way kubeconform's openapi2jsonschema does in strict
// mode: objects that list their properties reject unknown ones (unless the CRD
// says x-kubernetes-preserve-unknown-fields), int-or-string becomes
// integer|string, nullable adds null. Descriptions are dropped to keep the
// vendored files small; nothing that validates is dropped.
//   node crd-to-json-schema.mjs CRD.yaml VERSION OUT.json
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

export function convert(node) {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'example' || key.startsWith('x-kubernetes-')) continue;
    if (key === 'nullable') continue;
    out[key] = key === 'properties' || key === 'patternProperties' || key === 'definitions'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]))
      : convert(value);
  }
  if (node['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node.nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  const isObject = out.type === 'object' || (out.properties && !out.type);
  if (isObject && out.properties && out.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

export function crdToSchema(crd, version) {
  const v = crd.spec.versions.find((entry) => entry.name === version);
  if (!v) throw new Error(`${crd.metadata.name}: no version ${version}`);
  const schema = convert(v.schema.openAPIV3Schema);
  schema.properties = { ...schema.properties, apiVersion: { const: `${crd.spec.group}/${version}` }, kind: { const: crd.spec.names.kind } };
  schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
  return {
    $comment: `Generated from the CRD ${crd.metadata.name} (${version}) by test/ops/crd-to-json-schema.mjs; regenerate with scripts/ops-crd-schemas.sh.`,
    ...schema,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [file, version, outFile] = process.argv.slice(2);
  const crd = parse(readFileSync(file, 'utf8'));
  writeFileSync(outFile, JSON.stringify(crdToSchema(crd, version)) + '\n');
}
