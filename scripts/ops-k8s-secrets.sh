#!/usr/bin/env bash
# Creates the Kubernetes secrets Warble references but never commits:
#   warble/warble-jwt-private       jwt-private.pem  (ES256 signing key: users only)
#   warble/warble-jwt-public        jwt-public.pem   (every app verifies tokens with it)
#   warble/warble-db-<service>      username, password (kubernetes.io/basic-auth; the app's login)
#   warble-data/warble-db-<service> the same, for CloudNativePG's managed roles
#   warble-data/warble-backup-s3    ACCESS_KEY_ID, ACCESS_SECRET_KEY (only when
#                                   BACKUP_S3_ACCESS_KEY_ID and BACKUP_S3_SECRET_ACCESS_KEY are set)
# Passwords are random (openssl rand), the key pair is new (openssl genpkey).
#
#   scripts/ops-k8s-secrets.sh --print        YAML on stdout (nothing is stored)
#   scripts/ops-k8s-secrets.sh --apply        create the secrets that do not exist yet
#                                             (existing ones are never changed: a new
#                                             password or key would lock out the running apps)
# --apply uses the current kubectl context. Rotating a secret: docs/operations.md ("Secrets").
set -euo pipefail
mode="${1:---print}"
case "$mode" in --print | --apply) ;; *) echo "usage: $0 [--print|--apply]" >&2; exit 2 ;; esac
command -v kubectl >/dev/null || { echo "kubectl not found" >&2; exit 1; }
command -v openssl >/dev/null || { echo "openssl not found" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"

emit() { # emit NAMESPACE NAME kubectl-create-secret-args...
  local ns="$1" name="$2"
  shift 2
  if [[ "$mode" == --apply ]] && kubectl get secret -n "$ns" "$name" >/dev/null 2>&1; then
    echo "ops-k8s-secrets: $ns/$name exists, left unchanged" >&2
    return 0
  fi
  local yaml
  yaml="$(kubectl create secret "$@" --namespace "$ns" "$name" --dry-run=client -o yaml)"
  yaml="$(printf '%s\n' "$yaml" | sed '/^  creationTimestamp: null$/d')"
  if [[ "$mode" == --apply ]]; then
    printf '%s\n' "$yaml" | kubectl apply -f - >&2
  else
    printf -- '---\n%s\n' "$yaml"
  fi
}

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/jwt-private.pem" 2>/dev/null
openssl pkey -in "$work/jwt-private.pem" -pubout -out "$work/jwt-public.pem" 2>/dev/null
emit warble warble-jwt-private generic --from-file=jwt-private.pem="$work/jwt-private.pem"
emit warble warble-jwt-public generic --from-file=jwt-public.pem="$work/jwt-public.pem"

for svc in users posts graph search comments; do
  password="$(openssl rand -base64 32 | tr -d '/+=\n' | cut -c1-32)"
  for ns in warble warble-data; do
    emit "$ns" "warble-db-$svc" generic --type=kubernetes.io/basic-auth \
      --from-literal=username="warble_$svc" --from-literal=password="$password"
  done
done

if [[ -n "${BACKUP_S3_ACCESS_KEY_ID:-}" && -n "${BACKUP_S3_SECRET_ACCESS_KEY:-}" ]]; then
  emit warble-data warble-backup-s3 generic \
    --from-literal=ACCESS_KEY_ID="$BACKUP_S3_ACCESS_KEY_ID" --from-literal=ACCESS_SECRET_KEY="$BACKUP_S3_SECRET_ACCESS_KEY"
else
  echo "ops-k8s-secrets: BACKUP_S3_ACCESS_KEY_ID/BACKUP_S3_SECRET_ACCESS_KEY not set: no warble-backup-s3 (needed by prod and canary)" >&2
fi
