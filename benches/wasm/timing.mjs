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

// The plain wasm ABI as the benches call it: `put` copies bytes into the module's memory;
// `call(entry, bytes, ...handle)` passes them to an export that answers a result buffer
// (length-prefixed), copies the answer out and frees both.
export function abi(exports) {
  const put = (bytes) => {
    const ptr = exports.vouch_alloc(bytes.length);
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  };
  const call = (entry, bytes, ...handle) => {
    const ptr = put(bytes);
    const result = entry(...handle, ptr, bytes.length);
    exports.vouch_free(ptr, bytes.length);
    const len = new DataView(exports.memory.buffer).getUint32(result, true);
    const out = new Uint8Array(exports.memory.buffer, result + 4, len).slice();
    exports.vouch_result_free(result);
    return out;
  };
  return { put, call };
}
