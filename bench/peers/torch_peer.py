"""PyTorch side of `make bench-peers` (see run.sh).

    python3 torch_peer.py export OUT         # OUT/model.safetensors → OUT/model.onnx, OUT/onnx_check.json
    python3 torch_peer.py bench OUT [--threads N] [--duration S] [--rounds R] [--data DIR]

The network is built from the edgeconv model file's architecture string and
weights (TensorFlow layouts, converted here): the same layers, TensorFlow's
SAME padding (the odd pixel on the bottom/right, applied with an explicit
F.pad), dropout where the spec has keep=P, and Adam with the preset's
learning-rate schedule at batch 100. bench prints one JSON object.
"""

import argparse
import gzip
import json
import math
import os
import statistics
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_safetensors(path):
    """Returns (metadata, {name: float32 tensor}) of a safetensors file."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = blob[8 + n:]
    tensors = {}
    for name, t in header.items():
        if t["dtype"] != "F32":
            raise SystemExit(f"{path}: tensor {name} is {t['dtype']}, want F32")
        a, b = t["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(t["shape"])
    return meta, tensors


def parse_arch(arch):
    """Parses edgeconv's spec syntax (the subset the presets use)."""
    shape, layers = (28, 28, 1), []
    for part in arch.split(";"):
        f = part.split()
        if not f:
            continue
        if f[0] == "input":
            shape = tuple(int(v) for v in f[1].split("x"))
            continue
        layer = {"kind": f[0], "relu": "relu" in f, "keep": 1.0, "stride": 1, "same": True}
        for opt in f[1:]:
            if opt.startswith("keep="):
                layer["keep"] = float(opt[5:])
            elif opt == "valid":
                layer["same"] = False
            elif opt.startswith("s") and opt[1:].isdigit():
                layer["stride"] = int(opt[1:])
        if f[0] == "conv":
            layer["kh"], layer["kw"] = (int(v) for v in f[1].split("x"))
            layer["out"] = int(f[2])
        elif f[0] == "dense":
            layer["out"] = int(f[1])
        else:
            raise SystemExit(f"unknown layer {part!r}")
        layers.append(layer)
    return shape, layers


def tf_same(size, k, s):
    """TensorFlow's SAME padding: output size and (before, after) padding."""
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return out, (total // 2, total - total // 2)


class Net(nn.Module):
    """The edgeconv network in PyTorch (NCHW inside)."""

    def __init__(self, shape, layers):
        super().__init__()
        h, w, c = shape
        self.steps = []  # (kind, module index, pad, relu, dropout)
        self.mods = nn.ModuleList()
        self.flat_shape = None
        for L in layers:
            if L["kind"] == "conv":
                if L["same"]:
                    oh, (pt, pb) = tf_same(h, L["kh"], L["stride"])
                    ow, (pl, pr) = tf_same(w, L["kw"], L["stride"])
                else:
                    oh, ow = (h - L["kh"]) // L["stride"] + 1, (w - L["kw"]) // L["stride"] + 1
                    pt = pb = pl = pr = 0
                self.mods.append(nn.Conv2d(c, L["out"], (L["kh"], L["kw"]), stride=L["stride"]))
                pad = (pl, pr, pt, pb) if (pl or pr or pt or pb) else None
                h, w, c = oh, ow, L["out"]
            else:
                if self.flat_shape is None:
                    self.flat_shape = (h, w, c)
                self.mods.append(nn.Linear(h * w * c, L["out"]))
                pad = None
                h, w, c = 1, 1, L["out"]
            drop = nn.Dropout(1 - L["keep"]) if L["keep"] < 1 else None
            if drop is not None:
                self.mods.append(drop)
            self.steps.append((L["kind"], len(self.mods) - (2 if drop else 1), pad, L["relu"], drop is not None))

    def forward(self, x):
        flat = False
        for kind, i, pad, relu, drop in self.steps:
            if kind == "conv":
                if pad is not None:
                    x = F.pad(x, pad)
            elif not flat:
                x = x.flatten(1)  # CHW order: the first dense weight is permuted to match
                flat = True
            x = self.mods[i](x)
            if relu:
                x = F.relu(x)
            if drop:
                x = self.mods[i + 1](x)
        return x

    def load_edgeconv(self, tensors):
        """Copies edgeconv weights, converting TensorFlow layouts."""
        first_dense = True
        with torch.no_grad():
            for n, (kind, i, _, _, _) in enumerate(self.steps, start=1):
                wt, b = tensors[f"layer{n}.weight"], tensors[f"layer{n}.bias"]
                m = self.mods[i]
                if kind == "conv":
                    m.weight.copy_(wt.permute(3, 2, 0, 1))  # (KH,KW,Cin,Cout) → (Cout,Cin,KH,KW)
                else:
                    if first_dense and self.flat_shape is not None:
                        h, w, c = self.flat_shape  # rows in HWC order → CHW order
                        wt = wt.reshape(h, w, c, -1).permute(2, 0, 1, 3).reshape(h * w * c, -1)
                    first_dense = False
                    m.weight.copy_(wt.t())  # (In,Out) → (Out,In)
                m.bias.copy_(b)


def load_model(out):
    meta, tensors = read_safetensors(os.path.join(out, "model.safetensors"))
    shape, layers = parse_arch(meta["arch"])
    net = Net(shape, layers)
    net.load_edgeconv(tensors)
    return meta, shape, net


def nhwc_to_nchw(x, n, shape):
    h, w, c = shape
    return torch.tensor(x, dtype=torch.float32).reshape(n, h, w, c).permute(0, 3, 1, 2).contiguous()


def check_logits(out, shape, net):
    with open(os.path.join(out, "check.json")) as f:
        chk = json.load(f)
    x = nhwc_to_nchw(chk["inputs"], chk["n"], shape)
    want = torch.tensor(chk["logits"]).reshape(chk["n"], -1)
    net.eval()
    with torch.no_grad():
        got = net(x)
    return chk, x, want, float((got - want).abs().max()), float(want.abs().max())


def blas_in_use():
    """The BLAS and LAPACK libraries this process has mapped, resolved."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            p = line.split()[-1]
            base = os.path.basename(p)
            if base.startswith(("libblas", "liblapack", "libopenblas", "libmkl", "libblis")):
                libs.add(os.path.realpath(p))
    return sorted(libs)


def cmd_export(args):
    meta, shape, net = load_model(args.out)
    chk, x, want, diff, scale = check_logits(args.out, shape, net)
    print(f"torch vs edgeconv logits on {chk['n']} {chk['images']} images: max |diff| {diff:.2e} (logits up to {scale:.1f})",
          file=sys.stderr)
    net.eval()
    path = os.path.join(args.out, "model.onnx")
    torch.onnx.export(net, x[:1], path, input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "n"}, "logits": {0: "n"}}, opset_version=13)
    import onnx
    onnx.checker.check_model(onnx.load(path))
    with open(os.path.join(args.out, "onnx_check.json"), "w") as f:
        json.dump({"shape": list(x.shape), "inputs": x.flatten().tolist(), "logits": chk["logits"],
                   "images": chk["images"], "source": chk["source"]}, f)
    print(f"wrote {path} (opset 13, onnx {onnx.__version__})", file=sys.stderr)


def load_mnist_train(data):
    try:
        with gzip.open(os.path.join(data, "train-images-idx3-ubyte.gz")) as f:
            img = f.read()
        with gzip.open(os.path.join(data, "train-labels-idx1-ubyte.gz")) as f:
            lbl = f.read()
    except OSError:
        return None
    n, rows, cols = struct.unpack(">III", img[4:16])
    x = torch.frombuffer(bytearray(img[16:]), dtype=torch.uint8).reshape(n, 1, rows, cols)
    y = torch.frombuffer(bytearray(lbl[8:]), dtype=torch.uint8).long()
    return x, y


def cmd_bench(args):
    torch.manual_seed(1)
    torch.set_num_interop_threads(1)
    meta, shape, net = load_model(args.out)
    h, w, c = shape
    _, _, _, diff, _ = check_logits(args.out, shape, net)
    mnist = load_mnist_train(args.data)
    if mnist is None:
        images = torch.randint(0, 256, (1000, c, h, w), dtype=torch.uint8)
        labels = torch.randint(0, 10, (1000,))
        data = "random"
    else:
        images, labels = mnist
        data = "mnist"
    batch = args.batch
    x1 = images[:1].float() / 255
    xb = images[:batch].float() / 255
    opt = torch.optim.Adam(net.parameters(), lr=0.003, betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(1)
    it = [0]

    def infer(x):
        def op():
            with torch.inference_mode():
                net(x)
        return op

    def train_step():
        idx = torch.randint(0, images.shape[0], (batch,), generator=gen)
        x, y = images[idx].float() / 255, labels[idx]
        for g in opt.param_groups:
            g["lr"] = 0.0001 + 0.003 * math.exp(-it[0] / 2000)
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        it[0] += 1

    tasks = [  # name, threads, training mode, op
        ["infer_b1", 1, False, infer(x1), []],
        ["infer_b100_1core", 1, False, infer(xb), []],
        ["train_step", args.threads, True, train_step, []],
    ]

    def run(task, seconds, keep, min_samples):
        name, threads, training, op, samples = task
        torch.set_num_threads(threads)
        net.train(training)
        t_end = time.perf_counter() + seconds
        n = 0
        while n < min_samples or time.perf_counter() < t_end:
            t0 = time.perf_counter()
            op()
            el = time.perf_counter() - t0
            if keep:
                samples.append(el)
            n += 1

    for t in tasks:
        run(t, args.duration / 10, False, 3)
    for _ in range(args.rounds):
        for t in tasks:
            run(t, args.duration / args.rounds, True, 1)
    med = {t[0]: statistics.median(t[4]) for t in tasks}
    res = {
        "engine": "pytorch",
        "version": torch.__version__,
        "blas": blas_in_use(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "threads_train": args.threads,
        "batch": batch,
        "train_data": data,
        "logits_max_abs_diff": diff,
        "infer_b1_us": med["infer_b1"] * 1e6,
        "infer_b100_img_s_1core": batch / med["infer_b100_1core"],
        "train_img_s": batch / med["train_step"],
        "train_s_per_1000_iter": 1000 * med["train_step"],
        "samples": {t[0]: len(t[4]) for t in tasks},
    }
    json.dump(res, sys.stdout, indent=2)
    print()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export")
    e.add_argument("out")
    b = sub.add_parser("bench")
    b.add_argument("out")
    b.add_argument("--threads", type=int, default=os.cpu_count())
    b.add_argument("--duration", type=float, default=3.0, help="seconds per measurement")
    b.add_argument("--rounds", type=int, default=5)
    b.add_argument("--batch", type=int, default=100)
    b.add_argument("--data", default="data/mnist")
    args = p.parse_args()
    {"export": cmd_export, "bench": cmd_bench}[args.cmd](args)


if __name__ == "__main__":
    main()
