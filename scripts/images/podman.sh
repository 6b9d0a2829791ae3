# shellcheck shell=bash
# Podman settings shared by scripts/test-images.sh and scripts/images/base-image.sh.
# Source it after scripts/lib.sh; it only defines variables and functions.
#
# Rootful podman on runc. Every build and run passes its resource limits
# explicitly: podman's defaults for rootful containers (nofile 1048576, nproc
# 4194304) are above the hard limits of this kind of machine (nofile 20000),
# and runc then fails with
#   error setting rlimits for ready process: error setting rlimit type 7: operation not permitted
# The limits below stay within the caller's hard limits. Flags rather than a
# containers.conf: podman 4.3 (Debian 12) has no containers.conf.d drop-ins,
# and CONTAINERS_CONF would replace the machine's whole configuration.

# hard_limit OPTION CAP: the caller's hard limit for `ulimit -H OPTION`, at most CAP.
hard_limit() {
  local value
  value="$(ulimit -H "$1")"
  if [[ "$value" == unlimited ]] || ((value > $2)); then value="$2"; fi
  printf '%s\n' "$value"
}

IMAGES_NOFILE="${TEST_IMAGES_NOFILE:-$(hard_limit -n 1048576)}"
IMAGES_NPROC="${TEST_IMAGES_NPROC:-$(hard_limit -u 32768)}"
# runc explicitly: podman would prefer crun if it were ever installed.
PODMAN=(podman --runtime "${TEST_IMAGES_RUNTIME:-runc}")
PODMAN_ULIMITS=(--ulimit "nofile=$IMAGES_NOFILE:$IMAGES_NOFILE" --ulimit "nproc=$IMAGES_NPROC:$IMAGES_NPROC")

# The name docker/Dockerfile builds FROM (its NODE_IMAGE default); the local
# stand-in is tagged with it so that the unchanged Dockerfile resolves it
# without a registry (builds also run with --pull=never).
NODE_IMAGE_NAME="$(sed -n 's/^ARG NODE_IMAGE=//p' "$WARBLE_ROOT/docker/Dockerfile" | head -n 1)"

# Where the Debian root file systems are kept between runs and clones.
IMAGES_CACHE="${WARBLE_IMAGES_CACHE:-$WARBLE_CACHE/images}"

require_podman() {
  [[ "$(id -u)" == 0 ]] || die "podman runs rootful here: run as root (make test-images)"
  require_cmd podman debootstrap runc flock sha256sum tar
  [[ -n "$NODE_IMAGE_NAME" ]] || die "docker/Dockerfile has no 'ARG NODE_IMAGE=' default"
}
