// Keyless decisions in one wasm module under Node (V8), beside the native figures of
// `signature-compare` and core's `decision_time` example (docs/performance.md): for each request
// of REQUESTS.jsonl (`keyless-requests`), the decision with the verification cache off (the
// bench-only export, the shipped code) and a cached repeat through the plain ABI's compiled
// evaluator (`vouch_evaluator_evaluate`: the image half's JSON in, the decision's JSON out, as a
// host pays them). The module is vouch-wasm built with the feature `bench`.
//
//   node benches/wasm/keyless-time.mjs BENCH.wasm REQUESTS.jsonl [ROUNDS]
import { readFileSync } from 'node:fs';
import { abi, time as timeWith } from './timing.mjs';

const [wasmPath, requestsPath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 11);
const time = (f) => timeWith(f, rounds);
const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
const enc = new TextEncoder();
const dec = new TextDecoder();

const { put, call } = abi(exports);

const policyFields = new Set(['policy', 'policy_text', 'policy_base64', 'files']);
const cases = readFileSync(requestsPath, 'utf8').split('\n').filter((l) => l !== '').map((line) => {
  const request = JSON.parse(line);
  const policy = {};
  const image = {};
  for (const [k, v] of Object.entries(request)) (policyFields.has(k) ? policy : image)[k] = v;
  const bytes = enc.encode(line);
  const ptr = put(bytes);
  const uncached = exports.vouch_bench_uncached_new(ptr, bytes.length);
  exports.vouch_free(ptr, bytes.length);
  const policyBytes = enc.encode(JSON.stringify(policy));
  const p = put(policyBytes);
  const evaluator = exports.vouch_evaluator_new(p, policyBytes.length);
  exports.vouch_free(p, policyBytes.length);
  const imageBytes = enc.encode(JSON.stringify(image));
  if (!uncached || exports.vouch_bench_uncached_decide(uncached) !== 1) {
    throw new Error(`${request.id}: the decision must allow`);
  }
  const answer = JSON.parse(dec.decode(call(exports.vouch_evaluator_evaluate, imageBytes, evaluator)));
  if (answer.allowed !== true) throw new Error(`${request.id}: the compiled decision must allow`);
  return { id: request.id, uncached, evaluator, imageBytes };
});
// Two seconds of warm-up, so that V8 has tiered the module up before anything is timed.
const warmUntil = process.hrtime.bigint() + 2_000_000_000n;
while (process.hrtime.bigint() < warmUntil) {
  for (const c of cases) {
    exports.vouch_bench_uncached_decide(c.uncached);
    call(exports.vouch_evaluator_evaluate, c.imageBytes, c.evaluator);
  }
}
console.log('| request | decision, cache off | cached repeat (JSON in and out) |');
console.log('| --- | ---: | ---: |');
for (const c of cases) {
  const d = time(() => exports.vouch_bench_uncached_decide(c.uncached));
  const r = time(() => call(exports.vouch_evaluator_evaluate, c.imageBytes, c.evaluator));
  console.log(`| ${c.id} | ${(d / 1000).toFixed(1)} µs | ${(r / 1000).toFixed(2)} µs |`);
}
