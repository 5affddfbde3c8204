// How the wasm benches time a call: the median of `rounds` rounds, each the mean (in ns) of
// enough calls to last about 20 ms (estimated from one call).
export function time(f, rounds) {
  let start = process.hrtime.bigint();
  f();
  const once = Number(process.hrtime.bigint() - start) || 1;
  const calls = Math.max(1, Math.min(100000, Math.floor(20e6 / once)));
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) f();
    samples.push(Number(process.hrtime.bigint() - start) / calls);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}
