#!/usr/bin/env bash
# Offline checks of the monitoring and container configuration (no engine,
# no cluster, no network):
#   - Prometheus rules: `promtool check rules` and the unit tests
#     (`promtool test rules`, one case per alert firing and one staying quiet);
#   - Prometheus config for docker/compose.yaml: `promtool check config`;
#   - Grafana: provisioning files parse, the dashboard JSON parses, panel ids
#     are unique, and every PromQL query of the dashboard is valid PromQL
#     (checked by promtool as a recording rule, variables substituted);
#   - the Kubernetes copies of rules and dashboard are in sync (ops-sync-monitoring.sh --check);
#   - docker/compose.yaml against the Compose Specification schema (dclint),
#     as written and with its YAML anchors resolved.
# Needs: promtool (Debian package prometheus), Node 24 (node_modules/.bin/node),
# test/ops/node_modules (installed here with `npm ci --prefix test/ops` if missing).
# Prints one line per check and "ops-check: N passed, N failed"; exit 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
NODE="$ROOT/node_modules/.bin/node"
MON=docker/monitoring
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
check() { # check NAME CMD...: run, report, count
  local name="$1" out
  shift
  if out="$("$@" 2>&1)"; then
    passed=$((passed + 1))
    printf 'ok    %s\n' "$name"
  else
    failed=$((failed + 1))
    printf 'FAIL  %s\n' "$name"
    printf '%s\n' "$out" | sed 's/^/      /'
  fi
}

command -v promtool >/dev/null 2>&1 || { echo "ops-check: promtool not found: apt-get install -y prometheus (only its promtool is used)" >&2; exit 1; }
[[ -x "$NODE" ]] || { echo "ops-check: $NODE not found: run 'make install' (npm ci)" >&2; exit 1; }
if [[ ! -d test/ops/node_modules ]]; then
  npm ci --prefix test/ops --no-audit --no-fund >&2 || { echo "ops-check: npm ci --prefix test/ops failed" >&2; exit 1; }
fi

# --- Prometheus -------------------------------------------------------------------
check "promtool check rules $MON/prometheus/rules/warble.yml" promtool check rules "$MON/prometheus/rules/warble.yml"
check "promtool test rules $MON/prometheus/tests/warble.test.yml" promtool test rules "$MON/prometheus/tests/warble.test.yml"
# The config names the rules by their path inside the container; check it
# against the files of this checkout.
sed "s#/etc/prometheus/rules/\*\.yml#$ROOT/$MON/prometheus/rules/*.yml#" "$MON/prometheus/prometheus.yml" >"$TMP/prometheus.yml"
check_config() { promtool check config "$TMP/prometheus.yml" && grep -q 'SUCCESS' <(promtool check config "$TMP/prometheus.yml" 2>&1) && ! grep -q ' 0 rule files found' <(promtool check config "$TMP/prometheus.yml" 2>&1); }
check "promtool check config $MON/prometheus/prometheus.yml (with its rule files)" check_config

# --- Grafana ------------------------------------------------------------------------
check "Grafana provisioning YAML parses" "$NODE" --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { parse } from "./test/ops/node_modules/yaml/dist/index.js";
  for (const f of process.argv.slice(1)) {
    const doc = parse(readFileSync(f, "utf8"));
    if (doc?.apiVersion !== 1) throw new Error(`${f}: apiVersion 1 expected`);
  }' "$MON/grafana/provisioning/datasources/prometheus.yml" "$MON/grafana/provisioning/dashboards/warble.yml"

# Dashboard: JSON, structure, and every query as a promtool-checked recording rule.
dashboard_check() {
  "$NODE" --input-type=module -e '
    import { readFileSync, writeFileSync } from "node:fs";
    const [file, out] = process.argv.slice(1);
    const d = JSON.parse(readFileSync(file, "utf8"));
    const fail = (m) => { console.error(m); process.exit(1); };
    if (!d.uid || !d.title || !Array.isArray(d.panels)) fail("uid, title and panels are required");
    const ids = new Set();
    const rules = [];
    for (const p of d.panels) {
      if (ids.has(p.id)) fail(`panel id ${p.id} is used twice`);
      ids.add(p.id);
      if (p.type === "row") continue;
      if (!p.title || !p.gridPos) fail(`panel ${p.id} needs a title and a gridPos`);
      if (!p.targets?.length) fail(`panel "${p.title}" has no query`);
      for (const t of p.targets) {
        if (!t.expr) fail(`panel "${p.title}" has a query without expr`);
        const expr = t.expr.replaceAll("$__rate_interval", "1m").replaceAll("$service", ".+").replaceAll("$namespace", "warble");
        if (/\$\w/.test(expr.replace(/"\$\d"/g, ""))) fail(`panel "${p.title}": unknown variable in ${t.expr}`);
        rules.push({ record: `dashboard:panel_${p.id}_${t.refId}`, expr });
      }
    }
    writeFileSync(out, JSON.stringify({ groups: [{ name: "dashboard", rules }] }));
    console.log(`${d.panels.length} panels, ${rules.length} queries`);
  ' "$1" "$TMP/dashboard-queries.json" && promtool check rules "$TMP/dashboard-queries.json"
}
check "Grafana dashboard $MON/grafana/dashboards/warble-overview.json (JSON, panels, PromQL)" dashboard_check "$MON/grafana/dashboards/warble-overview.json"

check "k8s copies of rules and dashboard in sync" scripts/ops-sync-monitoring.sh --check

# --- Compose ------------------------------------------------------------------------
# Style rules are off; build+image together is how Compose names what it builds.
dclint() {
  "$NODE" test/ops/node_modules/.bin/dclint "$1" --color false -q \
    --disable-rule no-build-and-image service-keys-order services-alphabetical-order top-level-properties-order
}
check "docker/compose.yaml: Compose Specification schema (dclint)" dclint docker/compose.yaml
"$NODE" test/ops/compose-resolve.mjs docker/compose.yaml >"$TMP/compose.resolved.yaml"
check "docker/compose.yaml with anchors resolved: schema (dclint)" dclint "$TMP/compose.resolved.yaml"
compose_refs() { # every mounted file or directory exists, every depends_on target is a service
  "$NODE" --input-type=module -e '
    import { readFileSync, existsSync } from "node:fs";
    import { resolve, dirname } from "node:path";
    import { parse } from "./test/ops/node_modules/yaml/dist/index.js";
    const file = process.argv[1];
    const c = parse(readFileSync(file, "utf8"), { merge: true, maxAliasCount: -1 });
    const problems = [];
    for (const [name, s] of Object.entries(c.services)) {
      for (const v of s.volumes ?? []) {
        const src = String(v).split(":")[0];
        if (src.startsWith(".") && !existsSync(resolve(dirname(file), src))) problems.push(`${name}: ${src} does not exist`);
        if (!src.startsWith(".") && !src.startsWith("/") && !(src in (c.volumes ?? {}))) problems.push(`${name}: volume ${src} is not declared`);
      }
      for (const dep of Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {})) if (!c.services[dep]) problems.push(`${name}: depends on unknown service ${dep}`);
      if (s.build && !existsSync(resolve(dirname(file), s.build.context, s.build.dockerfile))) problems.push(`${name}: Dockerfile not found`);
    }
    if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
  ' docker/compose.yaml
}
check "docker/compose.yaml: mounts, volumes, depends_on and Dockerfile exist" compose_refs

echo "ops-check: $passed passed, $failed failed"
((failed == 0))
