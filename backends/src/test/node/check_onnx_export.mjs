// Independent check of prefopt's ONNX export with another runtime (onnxruntime-node) and Optimum's input names.
//
// For each sequence of expected.json (float64 logits from backends/src/test/python/reference_logits.py), runs the
// whole sequence with an empty cache, then its last token again through the cache of the others, and compares the
// log-softmax of every position with the float64 reference. Exits 1 when any differs by more than 1e-3 (2e-2 for a
// float16 export, config.json torch_dtype float16: weights, caches and logits rounded to float16, see OnnxExportTest).
//
// Usage: npm install --ignore-scripts onnxruntime-node@1.20.1   (CPU binaries ship in the package)
//        node check_onnx_export.mjs EXPORT_DIR EXPECTED_JSON
import { createRequire } from 'module';
import { readFileSync } from 'fs';
const require = createRequire(process.cwd() + '/');
const ort = require('onnxruntime-node');

const [dir, expectedPath] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
const session = await ort.InferenceSession.create(dir + '/model.onnx');
const layers = session.inputNames.filter(n => /^past_key_values\.\d+\.key$/.test(n)).length;
const config = JSON.parse(readFileSync(dir + '/config.json', 'utf8'));
const kvHeads = config.num_key_value_heads, headDim = config.head_dim;
const half = config.torch_dtype === 'float16';
const tolerance = half ? 2e-2 : 1e-3;

// IEEE binary16 bits to a number (onnxruntime-node hands float16 tensors over as Uint16Array)
function fromHalf(h) {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}
const floats = t => t.type === 'float16' ? Array.from(t.data, fromHalf) : Array.from(t.data);

function logSoftmax(xs) {
  const m = Math.max(...xs);
  const lse = m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
  return xs.map(x => x - lse);
}
const ints = (a, dims) => new ort.Tensor('int64', BigInt64Array.from(a.map(BigInt)), dims);

async function run(ids, past, pastLen) {
  const t = ids.length;
  const feeds = {
    input_ids: ints(ids, [1, t]),
    attention_mask: ints(new Array(pastLen + t).fill(1), [1, pastLen + t]),
    position_ids: ints(ids.map((_, i) => pastLen + i), [1, t]),
  };
  for (let l = 0; l < layers; l++) {
    for (const kv of ['key', 'value']) {
      feeds[`past_key_values.${l}.${kv}`] = past ? past[`present.${l}.${kv}`]
        : half ? new ort.Tensor('float16', new Uint16Array(0), [1, kvHeads, 0, headDim])
          : new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    }
  }
  return session.run(feeds);
}

let worst = 0;
for (let s = 0; s < expected.sequences.length; s++) {
  const seq = expected.sequences[s];
  const vocab = expected.logits[s][0].length;
  const full = await run(seq, null, 0);
  const cached = await run(seq.slice(-1), await run(seq.slice(0, -1), null, 0), seq.length - 1);
  const fullLogits = floats(full.logits), cachedLogits = floats(cached.logits);
  for (let t = 0; t < seq.length; t++) {
    const want = logSoftmax(expected.logits[s][t]);
    const got = [logSoftmax(fullLogits.slice(t * vocab, (t + 1) * vocab))];
    if (t === seq.length - 1) got.push(logSoftmax(cachedLogits.slice(0, vocab)));
    for (const g of got) for (let j = 0; j < vocab; j++) worst = Math.max(worst, Math.abs(g[j] - want[j]));
  }
}
console.log(`${dir}: ${layers} layers, ${expected.sequences.length} sequences, max |log-prob - float64 reference| = ${worst.toExponential(2)}`);
process.exit(worst <= tolerance ? 0 : 1);
