#!/usr/bin/env bash
# Deploys an overlay of k8s/ in the order Warble needs, with the current kubectl context:
#   1. prepare: namespaces, issuers, service account, configuration, network policies
#   2. data:    Kafka (Strimzi), Postgres (CloudNativePG), Redis (a RedisCluster of
#               redis-operator; one Redis in dev); waits until Kafka, the Postgres
#               cluster and the Redis Cluster are ready
#   3. migrate: deletes the previous migration Jobs (a Job's pod template cannot be
#               changed), runs one Job per service and waits for all of them
#   4. all:     everything else (Deployments, Rollouts, Services, HPAs, PDBs,
#               Ingress, monitors), then waits for every Deployment and every
#               Rollout: a changed app goes through its canary steps and
#               analyses (docs/operations.md, "Canary in Kubernetes"), which
#               takes about a quarter of an hour; an aborted canary fails here
# A failed migration stops here: the running version keeps serving.
#
#   scripts/ops-k8s-deploy.sh dev|prod|canary [--dry-run]
# --dry-run renders the overlay and prints the kubectl commands without running them.
# Needs the operators (Argo Rollouts among them) and the secrets
# (scripts/ops-k8s-secrets.sh --apply) in place, and the kubectl plugin
# kubectl-argo-rollouts. ROLLOUT_TIMEOUT (default 30m) bounds the wait for a
# Rollout, DEPLOY_TIMEOUT (600s) every other wait.
set -euo pipefail
cd "$(dirname "$0")/.."
overlay="${1:-}"
[[ -d "k8s/overlays/$overlay" ]] || { echo "usage: $0 dev|prod|canary [--dry-run]" >&2; exit 2; }
dir="k8s/overlays/$overlay"
dry=0
[[ "${2:-}" == --dry-run ]] && dry=1
TIMEOUT="${DEPLOY_TIMEOUT:-600s}"
ROLLOUT_TIMEOUT="${ROLLOUT_TIMEOUT:-30m}"

run() {
  printf '+ %s\n' "$*" >&2
  ((dry)) || "$@"
}

kubectl kustomize "$dir" >/dev/null # fails early on a broken overlay
if ((!dry)) && ! kubectl argo rollouts version >/dev/null 2>&1; then
  echo "$0: the kubectl plugin kubectl-argo-rollouts is missing (it waits for the canaries)" >&2
  exit 1
fi
# names KIND: the metadata.name of every object of that kind in the overlay
names() { kubectl kustomize "$dir" | awk -v kind="$1" '$0 == "kind: " kind {d=1} d&&/^  name: /{print $2; d=0}'; }

echo "==> 1/4 prepare" >&2
run kubectl apply -k "$dir" -l warble.io/stage=prepare
echo "==> 2/4 data stores" >&2
run kubectl apply -k "$dir" -l warble.io/stage=data
run kubectl wait -n warble-data --for=condition=Ready kafka/warble-kafka --timeout="$TIMEOUT"
run kubectl wait -n warble-data --for=condition=Ready cluster.postgresql.cnpg.io/warble-db --timeout="$TIMEOUT"
if kubectl kustomize "$dir" | grep -q '^kind: RedisCluster$'; then
  # redis-operator reports no condition, only a state: Ready once every slot is served.
  run kubectl wait -n warble-data --for=jsonpath='{.status.state}'=Ready rediscluster.redis.redis.opstreelabs.in/warble-redis --timeout="$TIMEOUT"
fi
echo "==> 3/4 migrations" >&2
run kubectl delete job -n warble -l app.kubernetes.io/component=migration --ignore-not-found --wait=true
run kubectl apply -k "$dir" -l warble.io/stage=migrate
run kubectl wait -n warble --for=condition=Complete job -l app.kubernetes.io/component=migration --timeout="$TIMEOUT"
echo "==> 4/4 apps" >&2
run kubectl apply -k "$dir"
for deploy in $(names Deployment); do
  [[ "$deploy" == redis ]] && ns=warble-data || ns=warble
  run kubectl rollout status -n "$ns" "deployment/$deploy" --timeout="$TIMEOUT"
done
# Exits non-zero when a canary is aborted (Degraded) or does not finish in time.
for rollout in $(names Rollout); do
  run kubectl argo rollouts status -n warble "$rollout" --timeout "$ROLLOUT_TIMEOUT"
done
echo "==> $overlay deployed" >&2
