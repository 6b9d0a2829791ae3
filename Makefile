# Warble developer entry points.
#
#   make up       install, start Postgres/Redis/Kafka, build, create topics,
#                 start the six apps, seed demo data, print the URLs
#   make down     stop the apps, then Kafka (Postgres and Redis stay: they belong to the machine)
#   make test     lint + unit + integration + e2e + reliability, then a summary;
#                 every suite runs even if an earlier one failed
#   make test-images  build the container images with podman, run them, e2e against them
#   make up-cluster   the cluster topology (docs/scaling.md): two processes of every app behind
#                 HAProxy on TLS, three Kafka brokers, a Redis Cluster, a Postgres standby
#   make test-cluster the cluster's tests: smoke check, fault tests under load, e2e through HAProxy
#   make canary APP=posts [SHARE=10 DURATION=60]  a canary of the current build beside the
#                 cluster's stable replicas: compared for DURATION s, then promote or abort
#   make status | logs [APP=posts] | clean
#
# Targets run strictly in the order written (.NOTPARALLEL), even under `make -j`.
# Scripts under scripts/ load .env (created from .env.example when missing);
# variables already in the environment take precedence over the file.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.NOTPARALLEL:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# Apps, Jest and the Node scripts run on the Node 24 of the node@24 dev dependency,
# not on the system Node; npm itself may run on the system Node.
NODE := node_modules/.bin/node
RESULTS := .run/test-results
# Runs a command with .env loaded the same way the shell scripts load it.
WITH_ENV := bash -c 'source scripts/lib.sh && load_env && exec "$$@"' with-env
# Extra arguments for one Jest run: machine-readable results for the summary.
jest_json = -- --json --outputFile=$(CURDIR)/$(RESULTS)/$(1).json

.PHONY: help install node-modules system-deps kafka-install ops-deps build infra infra-up topics \
        up apps-start seed urls down test images-deps test-images logs status clean search-rebuild bench \
        bench-cpu bench-micro up-cluster test-cluster experiment-report canary

help:
	@echo "make up | down | test | test-images | up-cluster | test-cluster | canary APP=name | status | logs [APP=name] | clean"
	@echo "make install | build | infra   (steps of 'up')"
	@echo "make experiment-report NAME=search-ranking [SINCE=YYYY-MM-DD]"

# ---------------------------------------------------------------------------
# install: system commands, npm packages, Kafka jars
# ---------------------------------------------------------------------------
install: system-deps node-modules kafka-install ops-deps

# Checks postgres/redis/java/mvn/curl/...; on Debian as root installs what is missing.
system-deps:
	scripts/infra.sh deps

# npm ci only when node_modules is missing or older than package-lock.json
# (npm writes node_modules/.package-lock.json after every install).
node-modules:
	@if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
	  [[ -f package-lock.json ]] || { echo "package-lock.json is missing: run 'npm install' and commit it" >&2; exit 1; }
	  npm ci --no-audit --no-fund --prefer-offline
	else
	  echo "node_modules is up to date"
	fi
	[[ -x $(NODE) ]] || { echo "$(NODE) is missing: the 'node' (v24) dev dependency must be in package.json" >&2; exit 1; }

kafka-install:
	scripts/kafka.sh install

# Tools of the operations checks: promtool (Debian's prometheus package) and the
# manifest validator's npm packages (test/ops has its own lock file).
ops-deps:
	command -v promtool >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus; }
	if [[ ! -f test/ops/node_modules/.package-lock.json || test/ops/package-lock.json -nt test/ops/node_modules/.package-lock.json ]]; then
	  npm ci --prefix test/ops --no-audit --no-fund --prefer-offline
	fi

# ---------------------------------------------------------------------------
# build and infrastructure
# ---------------------------------------------------------------------------
build: node-modules
	npm run build

infra-up:
	scripts/infra.sh up

# Topics are pre-created (auto-creation is off on the broker); needs the build.
topics: infra-up build
	$(WITH_ENV) $(NODE) dist/scripts/create-topics.js

infra: infra-up topics

# ---------------------------------------------------------------------------
# run
# ---------------------------------------------------------------------------
up: install infra-up build topics apps-start seed urls

apps-start:
	scripts/apps.sh start

seed:
	$(WITH_ENV) $(NODE) dist/scripts/seed.js

urls:
	@$(WITH_ENV) bash -c '
	  h=127.0.0.1
	  echo
	  echo "Warble is running."
	  echo "  gateway      http://$$h:$${GATEWAY_PORT:-3000}"
	  echo "  API docs     http://$$h:$${GATEWAY_PORT:-3000}/docs"
	  echo "  health:"
	  for app in gateway users posts graph search comments; do
	    var="$${app^^}_PORT"
	    printf "    %-10s http://%s:%s/health/ready\n" "$$app" "$$h" "$${!var}"
	  done
	  echo "  logs         .run/logs/<app>.log, Kafka: .run/kafka/logs/server.log  (make logs [APP=name])"
	  echo "  stop         make down"'

# Benchmark against the running system (make up first); ARGS="--graph FILE ..." passes options.
bench: build
	scripts/bench.sh $(ARGS)

# CPU time per request at a fixed rate (docs/benchmarks.md, "CPU time per request"); the
# apps must run with the bench profile: ARGS="measure --mix feed=90 ..." or ARGS="report FILE".
bench-cpu: build
	$(WITH_ENV) $(NODE) dist/scripts/bench/cpu-per-request.js $(ARGS)

# Per-variant figures of an experiment from its events on Kafka (docs/operations.md,
# "Reading an experiment's report"): NAME=search-ranking [SINCE=2026-12-01 or an ISO time].
experiment-report: build
	$(WITH_ENV) $(NODE) dist/scripts/experiment-report.js "$(NAME)" $(if $(SINCE),--since "$(SINCE)")

# CPU ns per operation of the per-request code issues #13 and #12 changed, against the
# 1511baf versions, in one process (docs/benchmarks.md); no services: ARGS="--rounds 201".
bench-micro: build
	$(NODE) dist/scripts/bench/hot-path-micro.js $(ARGS)

# Rebuilds the search index from the Kafka topics (search is stopped meanwhile).
search-rebuild:
	scripts/apps.sh stop search
	$(WITH_ENV) env DATABASE_USER=warble_search bash -c 'DATABASE_PASSWORD="$$SEARCH_DB_PASSWORD" exec $(NODE) dist/apps/search/src/rebuild.js'
	scripts/apps.sh start search

# ---------------------------------------------------------------------------
# the cluster topology (docs/scaling.md); `make down` stops it too
# ---------------------------------------------------------------------------
CLUSTER_GATEWAY := https://127.0.0.1:$${HAPROXY_TLS_PORT:-8443}

up-cluster: export WARBLE_PROFILE := cluster
up-cluster: install build
	scripts/infra.sh deps-cluster
	scripts/infra.sh up-cluster
	$(WITH_ENV) $(NODE) dist/scripts/create-topics.js
	scripts/apps.sh start
	scripts/haproxy.sh start
	# Seeded through HAProxy, which presents the development certificate.
	$(WITH_ENV) bash -c 'GATEWAY_URL="$(CLUSTER_GATEWAY)" NODE_EXTRA_CA_CERTS="$(CURDIR)/.run/tls/dev-cert.pem" exec $(NODE) dist/scripts/seed.js'
	@$(WITH_ENV) bash -c '
	  echo
	  echo "Warble (cluster topology) is running."
	  echo "  API          $(CLUSTER_GATEWAY)   (curl --cacert .run/tls/dev-cert.pem ...)"
	  echo "  API docs     $(CLUSTER_GATEWAY)/docs"
	  echo "  Kafka        $$KAFKA_BROKERS"
	  echo "  Redis        $$REDIS_CLUSTER_NODES"
	  echo "  Postgres     127.0.0.1:$${DATABASE_PORT:-5432} (primary), 127.0.0.1:$${PG_STANDBY_PORT:-5433} (standby)"
	  echo "  apps         scripts/apps.sh status   (two replicas each)"
	  echo "  stop         make down"'

# A canary of APP (docs/operations.md, "A canary on this machine"): builds, starts one
# process of the build beside the running cluster's stable replicas, sends it SHARE percent
# of APP's traffic, compares for DURATION seconds and prints promote (exit 0) or abort
# (exit 1), stopping the canary either way. Settings: see scripts/canary.sh.
canary: build
	[[ -n "$(APP)" ]] || { echo "usage: make canary APP=<gateway|users|posts|graph|search|comments> [SHARE=10] [DURATION=60]" >&2; exit 2; }
	scripts/canary.sh "$(APP)"

# The cluster topology's tests (docs/scaling.md, "Fault tests"), under the test
# profile on top of the cluster profile: the smoke check, the fault tests under
# load through HAProxy (per fault: failed share, writes checked and lost), then
# the e2e suite once against HAProxy's TLS address. A cluster already running
# is used (its apps restarted with this profile and afterwards with their own);
# otherwise everything starts here and stops at the end.
CLUSTER_RESULTS := .run/test-results-cluster

test-cluster: export WARBLE_PROFILE := test,cluster
test-cluster: install build
	@rm -rf $(CLUSTER_RESULTS)
	mkdir -p $(CLUSTER_RESULTS)
	fail=0
	previous=""
	started=0
	if scripts/apps.sh status gateway >/dev/null 2>&1; then
	  previous="$$(scripts/apps.sh profile gateway)"
	  if [[ "$$previous" != "$$WARBLE_PROFILE" ]]; then
	    echo "==> the running apps use profile '$$previous': restarting them with '$$WARBLE_PROFILE'"
	    scripts/apps.sh stop
	  fi
	else
	  started=1
	  trap '$(MAKE) down >/dev/null 2>&1 || true' EXIT
	  trap 'exit 130' INT TERM
	fi
	$(MAKE) up-cluster WARBLE_PROFILE="$$WARBLE_PROFILE"
	edge() { # edge CMD...: a command whose HTTP calls go to HAProxy's TLS address
	  GATEWAY_URL="$(CLUSTER_GATEWAY)" NODE_EXTRA_CA_CERTS="$(CURDIR)/.run/tls/dev-cert.pem" $(WITH_ENV) "$$@"
	}
	echo "==> cluster smoke check"
	scripts/cluster-smoke.sh | tee $(CLUSTER_RESULTS)/cluster-smoke.txt || fail=1
	echo "==> fault tests under load"
	edge npm run test:cluster -- --json --outputFile=$(CURDIR)/$(CLUSTER_RESULTS)/cluster.json || fail=1
	echo "==> e2e through HAProxy (TLS)"
	edge npm run test:e2e -- --json --outputFile=$(CURDIR)/$(CLUSTER_RESULTS)/e2e-tls.json || fail=1
	if [[ $$started == 1 ]]; then
	  trap - EXIT
	  $(MAKE) down || fail=1
	elif [[ -n "$$previous" && "$$previous" != "$$WARBLE_PROFILE" ]]; then
	  echo "==> restarting the apps with profile '$$previous'"
	  scripts/apps.sh stop
	  bash -c 'source scripts/lib.sh && with_profile "$$0" scripts/apps.sh start' "$$previous" >/dev/null || fail=1
	fi
	echo
	echo "fault figures:"
	cat $(CLUSTER_RESULTS)/faults.log 2>/dev/null || echo "  none recorded (the fault tests did not run)"
	node scripts/test-summary.js --dir $(CLUSTER_RESULTS) --expect cluster,e2e-tls || fail=1
	exit $$fail

down:
	scripts/apps.sh stop
	scripts/infra.sh down

# ---------------------------------------------------------------------------
# test: every suite runs; the target fails at the end if any failed
# ---------------------------------------------------------------------------
# The suites run under the test profile (profiles/test.env over .env).
test: export WARBLE_PROFILE := test
test: install infra-up build topics
	@rm -rf $(RESULTS)
	mkdir -p $(RESULTS)
	fail=0
	suite() { # suite NAME: run one Jest suite, remember a failure, go on
	  echo "==> $$1"
	  $(WITH_ENV) npm run "test:$$1" $(call jest_json,$$1) || { echo "==> $$1 FAILED"; fail=1; }
	}
	echo "==> lint"
	if $(WITH_ENV) npm run lint; then echo 0 >$(RESULTS)/lint.status; else echo $$? >$(RESULTS)/lint.status; fail=1; fi
	suite unit
	echo "==> ops (alert rules, dashboards, compose, Kubernetes manifests)"
	scripts/ops-check.sh | tee $(RESULTS)/ops-check.txt || fail=1
	scripts/ops-validate-k8s.sh | tee $(RESULTS)/ops-k8s.txt || fail=1
	suite integration
	# e2e and reliability need the running system under the test profile. A
	# system already running with it is used and left running; one running with
	# another profile (make up's defaults) is restarted with the test profile and
	# afterwards with its own again; otherwise the apps start here and stop at the end.
	started=0
	previous=""
	if scripts/apps.sh status gateway >/dev/null 2>&1 && [[ "$$(scripts/apps.sh profile gateway)" != test ]]; then
	  previous="$$(scripts/apps.sh profile gateway)"
	  echo "==> the running apps use profile '$$previous': restarting them with the test profile"
	  scripts/apps.sh stop
	fi
	if ! scripts/apps.sh status gateway >/dev/null 2>&1; then
	  started=1
	  trap 'scripts/apps.sh stop || true' EXIT
	  trap 'exit 130' INT TERM
	  scripts/apps.sh start || { echo "==> apps did not start"; fail=1; }
	fi
	suite e2e
	suite reliability
	if [[ $$started == 1 ]]; then
	  trap - EXIT
	  scripts/apps.sh stop || fail=1
	fi
	if [[ -n "$$previous" ]]; then
	  echo "==> restarting the apps with profile '$$previous'"
	  bash -c 'source scripts/lib.sh && with_profile "$$0" scripts/apps.sh start' "$$previous" >/dev/null || fail=1
	fi
	echo
	node scripts/test-summary.js || fail=1
	exit $$fail

# ---------------------------------------------------------------------------
# test-images: the Dockerfile proven with podman, without Docker or a registry
# ---------------------------------------------------------------------------
# podman (rootful, runc) and debootstrap for the local stand-in of the base image.
images-deps:
	command -v podman >/dev/null && command -v runc >/dev/null && command -v debootstrap >/dev/null || {
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends podman runc debootstrap; }

# Base image stand-in, the six app images from docker/Dockerfile, the six containers
# on ports 3100..3105 against the local infrastructure, e2e against them, summary.
test-images: export WARBLE_PROFILE := test
test-images: images-deps node-modules infra-up topics
	scripts/test-images.sh

# ---------------------------------------------------------------------------
# inspection and cleanup
# ---------------------------------------------------------------------------
status:
	@scripts/infra.sh status || true
	@scripts/apps.sh status || true

# Follows all app logs and the Kafka log; APP=posts follows one app.
logs:
	@shopt -s nullglob
	if [[ -n "$(APP)" ]]; then files=(.run/logs/$(APP).log); else files=(.run/logs/*.log .run/kafka/logs/server.log); fi
	existing=(); for f in "$${files[@]}"; do [[ -f $$f ]] && existing+=("$$f"); done
	(( $${#existing[@]} > 0 )) || { echo "no logs yet (make up first)"; exit 0; }
	tail -n 50 -F "$${existing[@]}"

# Stops our processes first: .run holds their pid files and Kafka's data.
clean: down
	rm -rf dist .run
