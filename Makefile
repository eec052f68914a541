# Galactic — common tasks. Every target installs what it needs first.
.PHONY: setup build image test typecheck demo dev bench proto clean

# The project's Node.js (.node-version), installed by hack/setup.sh, first on PATH.
GALACTIC_CACHE ?= $(HOME)/.cache/galactic
export PATH := $(GALACTIC_CACHE)/node-v$(shell cat .node-version)-linux-x64/bin:$(PATH)

setup:
	@bash hack/setup.sh

build: setup
	@npm run --silent build

typecheck: setup
	@npx tsc --noEmit -p .

## image: dist/galactic-image.tar, an OCI archive of galactic:<version> (ctr -n k8s.io images import)
image: build
	@node --import tsx hack/image/build.ts

## test: all tests (unit, broker, API server, real-kernel data path)
test: setup
	@npx tsc --noEmit -p .
	@npm test --silent

## demo: the seed's three-PoP example end to end on this machine
demo: build
	@node --import tsx hack/demo.ts

## dev: long-running local environment (Ctrl-C tears it down)
dev: build
	@node --import tsx hack/dev.ts

bench: build
	@for b in bench/*.ts; do echo "== $$b"; node --import tsx $$b; done

proto:
	@node hack/gen-proto.mjs

clean:
	rm -rf dist
