"""Prints the side-by-side table of `make bench-peers` from OUT/rounds/*.json
(written by run.sh: edgeconv bench --json, torch_peer.py bench and
ort_peer.js, in alternating rounds) and writes OUT/peers.json.

Every figure is the median over rounds of each round's median. The ratio is
edgeconv's speed relative to the peer: above 1 edgeconv is faster.
"""

import glob
import json
import os
import statistics
import sys


def load(out, engine):
    runs = []
    for p in sorted(glob.glob(os.path.join(out, "rounds", f"{engine}-*.json"))):
        with open(p) as f:
            runs.append(json.load(f))
    return runs


def med(runs, key):
    vals = [r[key] for r in runs if r.get(key)]
    return statistics.median(vals) if vals else None


def main():
    out = sys.argv[1]
    ours, torch, ort = load(out, "ours"), load(out, "torch"), load(out, "ort")
    if not ours:
        raise SystemExit(f"table: no edgeconv results in {out}/rounds")
    # (label, key, unit, higher is better, format)
    rows = [
        ("inference latency, batch 1, 1 core", "infer_b1_us", "µs/image", False, "{:.1f}"),
        ("inference throughput, batch 100, 1 core", "infer_b100_img_s_1core", "images/s", True, "{:.0f}"),
        ("training, batch 100, %d cores, per 1,000 iterations" % ours[0]["cores"], "train_s_per_1000_iter", "s", False, "{:.2f}"),
    ]
    peers = [("PyTorch", torch), ("ONNX Runtime", ort)]
    result = {"rounds": len(ours), "rows": []}
    head = ["measurement", "unit", "edgeconv"]
    for name, _ in peers:
        head += [name, "ratio"]
    table = [head]
    for label, key, unit, higher, fmt in rows:
        o = med(ours, key)
        line = [label, unit, fmt.format(o)]
        row = {"measurement": label, "unit": unit, "edgeconv": o}
        for name, runs in peers:
            t = med(runs, key)
            if t is None or o is None:
                line += ["—", "—"]
                row[name] = row[name + " ratio"] = None
                continue
            ratio = o / t if higher else t / o
            line += [fmt.format(t), "{:.2f}x".format(ratio)]
            row[name], row[name + " ratio"] = t, ratio
        table.append(line)
        result["rows"].append(row)
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for k, r in enumerate(table):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        print("  ".join(cells))
        if k == 0:
            print("  ".join("-" * w for w in widths))
    print()
    o = ours[0]
    try:
        with open(os.path.join(out, "onnx_check.json")) as f:
            chk = json.load(f)
        print(f"weights: {chk['source']}; logits checked on {chk['shape'][0]} {chk['images']} images")
        result["weights"] = chk["source"]
    except OSError:
        pass
    print(f"edgeconv: {o['model']} ({o['arch']}), {o['go']} {o['goarch']}, {o['cores']} cores, "
          f"peak {med(ours, 'peak_gflops_core'):.1f} GFLOP/s per core (median of rounds), training on {o['train_data']} data")
    if torch:
        t = torch[0]
        print(f"PyTorch {t['version']}: BLAS {', '.join(os.path.join(*b.split('/')[-2:]) for b in t['blas']) or 'none mapped'}, "
              f"oneDNN {'on' if t['mkldnn'] else 'off'}, {t['threads_train']} threads for training, 1 for inference, "
              f"training on {t['train_data']} data; logits vs edgeconv max |diff| {t['logits_max_abs_diff']:.1e}")
    if ort:
        r = ort[0]
        print(f"ONNX Runtime {r['version']} (onnxruntime-node, CPU, 1 thread): logits vs edgeconv max |diff| "
              f"{r['logits_max_abs_diff']:.1e} (logits up to {r['logits_max_abs']:.1f}); no training")
    print(f"ratio: edgeconv's speed over the peer's (above 1: edgeconv faster); medians of {len(ours)} alternating rounds")
    result.update(edgeconv=ours, pytorch=torch, onnxruntime=ort)
    with open(os.path.join(out, "peers.json"), "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
