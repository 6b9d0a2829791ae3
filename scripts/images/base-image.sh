#!/usr/bin/env bash
# Builds the local stand-in for docker/Dockerfile's base image and tags it with
# the name the Dockerfile uses (docker.io/library/node:24-bookworm-slim), so
# that the unchanged Dockerfile builds without a registry. Part of
# `make test-images`; safe to run alone and to repeat.
#
#   1. Debian root file system: `debootstrap --variant=minbase bookworm`,
#      trimmed (apt lists and archives, docs, man pages, locales) and kept as a
#      tarball in $WARBLE_CACHE/images (default ~/.cache/warble/images), shared
#      by every clone. It is made again when missing, when its recipe (suite,
#      variant, architecture, mirror, trim steps) changes, or when older than
#      TEST_IMAGES_ROOTFS_MAX_AGE_DAYS (default 30: picks up Debian updates).
#   2. `podman import` of that tarball as localhost/warble/debian-rootfs:<digest>
#      (once per tarball).
#   3. `podman build` of scripts/images/node-base.Containerfile on top of it:
#      the project's Node 24 binary (node_modules/.bin/node, from the `node`
#      dev dependency), the machine's npm, the CA certificates of
#      /etc/ssl/certs and /usr/local/share/ca-certificates. Podman's layer cache
#      makes this a no-op when nothing changed, and then the image id, and with
#      it the cache of every app build, stays the same.
#
# Settings (environment): TEST_IMAGES_DEBIAN_MIRROR (default
# http://deb.debian.org/debian), TEST_IMAGES_ROOTFS_MAX_AGE_DAYS (30),
# TEST_IMAGES_NPM_DIR (default: the npm package of the `npm` on PATH),
# WARBLE_IMAGES_CACHE (default $WARBLE_CACHE/images).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=scripts/images/podman.sh
source "$WARBLE_ROOT/scripts/images/podman.sh"
_log_tag=base-image
load_env

SUITE=bookworm
VARIANT=minbase
MIRROR="${TEST_IMAGES_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
MAX_AGE_DAYS="${TEST_IMAGES_ROOTFS_MAX_AGE_DAYS:-30}"
# Bump when the rootfs steps below change: it renames the cached tarball.
ROOTFS_RECIPE=1
ROOTFS_REPO=localhost/warble/debian-rootfs
NODE_BIN="$WARBLE_ROOT/node_modules/.bin/node"
CONTEXT="$WARBLE_RUN/test-images/base-context"

require_podman
[[ -x "$NODE_BIN" ]] || die "$NODE_BIN not found: run 'make install' (the node@24 dev dependency provides it)"
mkdir -p "$IMAGES_CACHE"

# --- 1. Debian root file system (cached tarball) ---------------------------------
arch="$(dpkg --print-architecture)"
recipe_key="$(printf '%s\n' "$SUITE" "$VARIANT" "$arch" "$MIRROR" "$ROOTFS_RECIPE" | sha256sum | cut -c1-12)"
rootfs_tar="$IMAGES_CACHE/rootfs-$SUITE-$VARIANT-$arch-$recipe_key.tar"

make_rootfs() {
  local tmp
  tmp="$(mktemp -d "$IMAGES_CACHE/debootstrap.XXXXXX")"
  log "debootstrap --variant=$VARIANT $SUITE from $MIRROR (about 20-60 s, once per ${MAX_AGE_DAYS} days)"
  if ! debootstrap --variant="$VARIANT" --arch="$arch" "$SUITE" "$tmp/rootfs" "$MIRROR" >"$tmp/debootstrap.log" 2>&1; then
    tail -n 30 "$tmp/debootstrap.log" >&2
    rm -rf "$tmp"
    die "debootstrap failed (log above)"
  fi
  # What a slim image leaves out; nothing here is needed to run Node.
  rm -rf "$tmp/rootfs"/var/cache/apt/archives/*.deb "$tmp/rootfs"/var/cache/apt/*.bin \
    "$tmp/rootfs"/var/lib/apt/lists/* "$tmp/rootfs"/var/log/*.log "$tmp/rootfs"/var/log/apt/* \
    "$tmp/rootfs"/usr/share/doc/* "$tmp/rootfs"/usr/share/man/* "$tmp/rootfs"/usr/share/info/* \
    "$tmp/rootfs"/usr/share/locale/*
  tar --numeric-owner --xattrs -C "$tmp/rootfs" -cf "$tmp/rootfs.tar" .
  sha256sum "$tmp/rootfs.tar" | cut -d' ' -f1 >"$tmp/rootfs.tar.sha256"
  mv "$tmp/rootfs.tar.sha256" "$rootfs_tar.sha256"
  mv "$tmp/rootfs.tar" "$rootfs_tar"
  rm -rf "$tmp"
  ok "root file system cached in $rootfs_tar ($(du -h "$rootfs_tar" | cut -f1))"
}

# One builder at a time per machine (two clones may run this together).
exec 9>"$IMAGES_CACHE/.lock"
flock 9

if [[ ! -s "$rootfs_tar" || ! -s "$rootfs_tar.sha256" ]]; then
  make_rootfs
elif [[ -n "$(find "$rootfs_tar" -mtime +"$MAX_AGE_DAYS" -print)" ]]; then
  log "cached root file system is older than $MAX_AGE_DAYS days: making it again"
  make_rootfs
else
  log "cached root file system: $rootfs_tar"
fi
# Tarballs of older recipes are of no use any more.
find "$IMAGES_CACHE" -maxdepth 1 -name "rootfs-*.tar*" ! -name "$(basename "$rootfs_tar")*" -delete

# --- 2. rootfs image ----------------------------------------------------------------
rootfs_image="$ROOTFS_REPO:$SUITE-$VARIANT-$(cut -c1-16 "$rootfs_tar.sha256")"
if ! "${PODMAN[@]}" image exists "$rootfs_image"; then
  log "importing the root file system as $rootfs_image"
  "${PODMAN[@]}" import --quiet --message "debootstrap --variant=$VARIANT $SUITE" "$rootfs_tar" "$rootfs_image" >/dev/null
  # Older imports: removed when nothing is built on them any more (errors ignored).
  "${PODMAN[@]}" images --format '{{.Repository}}:{{.Tag}}' "$ROOTFS_REPO" | grep -vxF "$rootfs_image" \
    | xargs -r "${PODMAN[@]}" rmi >/dev/null 2>&1 || true
fi

# --- 3. the stand-in node image -----------------------------------------------------------
npm_dir="${TEST_IMAGES_NPM_DIR:-}"
if [[ -z "$npm_dir" ]]; then
  require_cmd npm
  # .../lib/node_modules/npm/bin/npm-cli.js -> .../lib/node_modules/npm
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
fi
[[ -f "$npm_dir/bin/npm-cli.js" && -f "$npm_dir/package.json" ]] || die "no npm package in $npm_dir (set TEST_IMAGES_NPM_DIR)"
node_version="$("$NODE_BIN" -p process.versions.node)"
npm_version="$("$NODE_BIN" -p "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8')).version" "$npm_dir/package.json")"
[[ "${node_version%%.*}" == 24 ]] || die "$NODE_BIN is Node $node_version; the base image must be Node 24"

rm -rf "$CONTEXT"
mkdir -p "$CONTEXT/certs/local"
# The layer cache compares file contents and modes, not times or paths: a fresh
# clone with the same Node, npm and certificates reuses the cached image.
node_real="$(readlink -f "$NODE_BIN")"
ln "$node_real" "$CONTEXT/node" 2>/dev/null || cp "$node_real" "$CONTEXT/node"
cp -a "$npm_dir" "$CONTEXT/npm"
umask_old="$(umask)"
umask 022
[[ -s /etc/ssl/certs/ca-certificates.crt ]] || die "/etc/ssl/certs/ca-certificates.crt is missing"
shopt -s nullglob
local_cas=(/usr/local/share/ca-certificates/*.crt)
shopt -u nullglob
# The machine's bundle normally holds the local CAs already (update-ca-certificates);
# appending them again is harmless and covers a bundle that was not refreshed.
cat /etc/ssl/certs/ca-certificates.crt "${local_cas[@]}" >"$CONTEXT/certs/ca-certificates.crt"
((${#local_cas[@]} == 0)) || cp "${local_cas[@]}" "$CONTEXT/certs/local/"
chmod 0644 "$CONTEXT"/certs/ca-certificates.crt "$CONTEXT"/certs/local/* 2>/dev/null || true
# npm uses its own CA list, not the system one: point it at the bundle (global
# npmrc = <prefix>/etc/npmrc, prefix /usr/local as in the official image). No
# NODE_EXTRA_CA_CERTS: the app images inherit the base's environment.
printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$CONTEXT/npmrc"
umask "$umask_old"

log "building $NODE_IMAGE_NAME (stand-in: Debian $SUITE $VARIANT, Node $node_version, npm $npm_version)"
"${PODMAN[@]}" build --quiet --pull=never "${PODMAN_ULIMITS[@]}" --network host \
  -f "$WARBLE_ROOT/scripts/images/node-base.Containerfile" \
  --build-arg "ROOTFS_IMAGE=$rootfs_image" --build-arg "NODE_VERSION=$node_version" \
  --label "io.warble.stand-in=$NODE_IMAGE_NAME" \
  --label "io.warble.rootfs=$rootfs_image" \
  --label "io.warble.npm-version=$npm_version" \
  -t "$NODE_IMAGE_NAME" "$CONTEXT" >/dev/null
rm -rf "$CONTEXT"
ok "$NODE_IMAGE_NAME is the local stand-in ($("${PODMAN[@]}" image inspect --format '{{.Id}}' "$NODE_IMAGE_NAME" | cut -c1-12))"
