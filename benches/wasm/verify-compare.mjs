// In one wasm module and one host (Node, V8): a cosign decision with the verification cache off
// beside the bare RustCrypto verify of the same signature, for each sigstoreSigned request of
// REQUESTS.jsonl (benches/wasm/requests.py). The module is vouch-wasm built with the bench-only
// feature `bench` (docs/performance.md gives the commands); the decision runs the shipped code.
// Each figure: the median of ROUNDS rounds, each the mean of enough calls to last ~20 ms.
//
//   node benches/wasm/verify-compare.mjs BENCH.wasm REQUESTS.jsonl [ROUNDS]
import { readFileSync } from 'node:fs';
import { time as timeWith } from './timing.mjs';

const [wasmPath, requestsPath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 11);
const time = (f) => timeWith(f, rounds);
const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
const enc = new TextEncoder();

function handle(entry, text) {
  const bytes = enc.encode(text);
  const ptr = exports.vouch_alloc(bytes.length);
  new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
  const h = entry(ptr, bytes.length);
  exports.vouch_free(ptr, bytes.length);
  return h;
}


const cases = readFileSync(requestsPath, 'utf8').split('\n').filter((l) => l.includes('sigstoreSigned'));
const pairs = cases.map((line) => {
  const decide = handle(exports.vouch_bench_uncached_new, line);
  const bare = handle(exports.vouch_bench_bare_new, line);
  if (!decide || !bare) throw new Error(`no handle for ${JSON.parse(line).id}`);
  if (exports.vouch_bench_uncached_decide(decide) !== 1) throw new Error('the decision must allow');
  if (exports.vouch_bench_bare_verify(bare) !== 1) throw new Error('the bare verify must verify');
  return { id: JSON.parse(line).id, decide, bare };
});
// Two seconds of warm-up, so that V8 has tiered the module up before anything is timed.
const warmUntil = process.hrtime.bigint() + 2_000_000_000n;
while (process.hrtime.bigint() < warmUntil) {
  for (const p of pairs) { exports.vouch_bench_uncached_decide(p.decide); exports.vouch_bench_bare_verify(p.bare); }
}
console.log('| request | decision, cache off | bare verify | decision ÷ bare |');
console.log('| --- | ---: | ---: | ---: |');
for (const p of pairs) {
  const d = time(() => exports.vouch_bench_uncached_decide(p.decide));
  const b = time(() => exports.vouch_bench_bare_verify(p.bare));
  console.log(`| ${p.id} | ${(d / 1000).toFixed(1)} µs | ${(b / 1000).toFixed(1)} µs | ${(d / b).toFixed(3)}× |`);
}
