// Prints docker/compose.yaml with YAML anchors, aliases and merge keys (<<)
// resolved, so that dclint's schema check sees what Compose will see.
//   node test/ops/compose-resolve.mjs docker/compose.yaml > resolved.yaml
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const doc = parse(readFileSync(process.argv[2], 'utf8'), { merge: true, maxAliasCount: -1 });
// x- extension fields only carry the anchors: not needed once resolved.
for (const key of Object.keys(doc)) if (key.startsWith('x-')) delete doc[key];
process.stdout.write(stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 }));
