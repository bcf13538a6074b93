// ONNX Runtime side of `make bench-peers` (see run.sh): runs OUT/model.onnx,
// exported by torch_peer.py from the edgeconv model, on the CPU with one
// intra-op thread, checks its logits against edgeconv's (OUT/onnx_check.json),
// and prints one JSON object with the batch-1 latency and the batch-100
// throughput (medians over interleaved rounds, after a warm-up).
//
//	node ort_peer.js OUT [--duration S] [--rounds R] [--batch N]
'use strict';

const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function parseArgs(argv) {
  const a = { out: null, duration: 3, rounds: 5, batch: 100 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--duration') a.duration = Number(argv[++i]);
    else if (k === '--rounds') a.rounds = Number(argv[++i]);
    else if (k === '--batch') a.batch = Number(argv[++i]);
    else if (!a.out) a.out = k;
    else throw new Error(`unexpected argument ${k}`);
  }
  if (!a.out) throw new Error('usage: node ort_peer.js OUT [--duration S] [--rounds R] [--batch N]');
  return a;
}

function median(xs) {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const chk = JSON.parse(fs.readFileSync(path.join(args.out, 'onnx_check.json'), 'utf8'));
  const session = await ort.InferenceSession.create(path.join(args.out, 'model.onnx'), {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const [n, c, h, w] = chk.shape;
  const size = c * h * w;

  // The check: ONNX Runtime's logits against edgeconv's.
  const got = (await session.run({ x: new ort.Tensor('float32', Float32Array.from(chk.inputs), chk.shape) })).logits.data;
  let diff = 0, scale = 0;
  for (let i = 0; i < chk.logits.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - chk.logits[i]));
    scale = Math.max(scale, Math.abs(chk.logits[i]));
  }

  // Inputs for timing: the check images, repeated to fill a batch.
  const xb = new Float32Array(args.batch * size);
  for (let i = 0; i < args.batch; i++) xb.set(chk.inputs.slice((i % n) * size, (i % n + 1) * size), i * size);
  const t1 = new ort.Tensor('float32', xb.slice(0, size), [1, c, h, w]);
  const tb = new ort.Tensor('float32', xb, [args.batch, c, h, w]);
  const tasks = [
    { name: 'infer_b1', feeds: { x: t1 }, samples: [] },
    { name: 'infer_b100_1core', feeds: { x: tb }, samples: [] },
  ];
  async function run(t, seconds, keep, minSamples) {
    const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
    for (let i = 0; i < minSamples || process.hrtime.bigint() < end; i++) {
      const t0 = process.hrtime.bigint();
      await session.run(t.feeds);
      const el = Number(process.hrtime.bigint() - t0) / 1e9;
      if (keep) t.samples.push(el);
    }
  }
  for (const t of tasks) await run(t, args.duration / 10, false, 3);
  for (let r = 0; r < args.rounds; r++) for (const t of tasks) await run(t, args.duration / args.rounds, true, 1);
  const med = Object.fromEntries(tasks.map((t) => [t.name, median(t.samples)]));
  const version = JSON.parse(fs.readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')).version;
  console.log(JSON.stringify({
    engine: 'onnxruntime-node',
    version,
    threads: 1,
    batch: args.batch,
    logits_max_abs_diff: diff,
    logits_max_abs: scale,
    infer_b1_us: med.infer_b1 * 1e6,
    infer_b100_img_s_1core: args.batch / med.infer_b100_1core,
    samples: Object.fromEntries(tasks.map((t) => [t.name, t.samples.length])),
  }, null, 2));
}

main().catch((e) => { console.error(`ort_peer: ${e.message}`); process.exit(1); });
