# Document-signing workflow on AWS Step Functions, CDK in Go.
# `make help` lists the targets; `make demo` runs the whole mission locally.

SHELL := /bin/bash
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

CDK          := npx --no-install cdk
TIMEOUT      ?= 168h
DEMO_TIMEOUT ?= 8s
CDK_OUT      ?= cdk.out
STATICCHECK  := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GO_TEST_FLAGS ?= -race -count=1 -timeout 30m

.PHONY: help deps build synth deploy diff destroy test lint fuzz local demo bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-9s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

deps: node_modules/.package-lock.json ## install the pinned npm tools (npm ci)

build: ## compile every Go package and the signctl CLI into bin/
	go build ./...
	go build -o bin/signctl ./cmd/signctl

synth: deps ## synthesize the CloudFormation template into cdk.out (TIMEOUT=168h)
	$(CDK) synth -q -c timeout=$(TIMEOUT) -o $(CDK_OUT)

deploy: deps ## deploy DocumentSigningStack to AWS; writes cdk-outputs.json
	$(CDK) deploy DocumentSigningStack -c timeout=$(TIMEOUT) --require-approval never --outputs-file cdk-outputs.json

diff: deps ## show what a deploy would change
	$(CDK) diff DocumentSigningStack -c timeout=$(TIMEOUT)

# A run waiting for a signer would keep the state machine DELETING until its
# timeout, and cdk destroy with it: stop the running executions first.
destroy: deps ## stop the state machine's running executions, then delete the stack from AWS
	scripts/stop-executions DocumentSigningStack
	$(CDK) destroy DocumentSigningStack --force

test: deps ## run every test (Go unit, integration, CDK, end-to-end, browser)
	go test $(GO_TEST_FLAGS) ./...

FUZZTIME ?= 5s
fuzz: ## run every Go fuzz target for FUZZTIME each (CI: 5s; longer: make fuzz FUZZTIME=5m)
	scripts/fuzz $(FUZZTIME)

lint: ## gofmt, go vet, staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...
	go run $(STATICCHECK) ./...

local: build synth ## run the local stack (Step Functions, Lambda, DynamoDB, S3, KMS) on 127.0.0.1:4566
	bin/signctl local --cdk-out $(CDK_OUT)

demo: build ## play the mission end to end on the local stack, then stop it
	$(MAKE) synth TIMEOUT=$(DEMO_TIMEOUT) CDK_OUT=cdk.out.demo
	bin/signctl demo --cdk-out cdk.out.demo

# bench times a warm `make test` first, unless MAKE_TEST_TIME gives that figure.
bench: build deps ## end-to-end, cold-start and micro benchmarks; writes BENCHMARKS.md (MAKE_TEST_TIME=…)
	go build -o bin/benchreport ./cmd/benchreport
	@set -eo pipefail; took="$(MAKE_TEST_TIME)"; \
	if [ -z "$$took" ]; then \
	  echo "bench: timing a warm make test"; mkdir -p .local; start=$$(date +%s); \
	  $(MAKE) --no-print-directory test > .local/bench-make-test.log 2>&1 || { tail -20 .local/bench-make-test.log; exit 1; }; \
	  s=$$(( $$(date +%s) - start )); took="$$((s / 60))m$$((s % 60))s"; \
	fi; \
	bin/benchreport --signctl bin/signctl --out BENCHMARKS.md --make-test-time "$$took"
