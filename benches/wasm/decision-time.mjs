// Decision time in the plain wasm module under Node (V8), to compare with the native figures of
// `decision-time` (benches/src/bin/decision-time.rs), which times the same requests the same way:
// for each request, the median of ROUNDS timings, each the mean of enough calls to last ~20 ms;
// one-shot (vouch_evaluate_json) and with a compiled policy (vouch_evaluator_evaluate). The
// copies into and out of the module's memory are counted: a host pays them.
//
//   node benches/wasm/decision-time.mjs wasm/dist/vouch.wasm REQUESTS.jsonl [ROUNDS]
import { readFileSync } from 'node:fs';
import { abi, time as timeWith } from './timing.mjs';

const [wasmPath, requestsPath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 11);
const time = (f) => Math.round(timeWith(f, rounds));
const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
const enc = new TextEncoder();

const { put, call } = abi(exports);


const policyFields = new Set(['policy', 'policy_text', 'policy_base64', 'files']);
const lines = readFileSync(requestsPath, 'utf8').split('\n').filter((l) => l !== '');
// Warm up for two seconds, so that V8 has tiered the module up (Liftoff to TurboFan) before
// anything is timed.
const warmUntil = process.hrtime.bigint() + 2_000_000_000n;
while (process.hrtime.bigint() < warmUntil) {
  for (const line of lines) call(exports.vouch_evaluate_json, enc.encode(line));
}
for (const line of lines) {
  const request = JSON.parse(line);
  const policy = {};
  const image = {};
  for (const [k, v] of Object.entries(request)) (policyFields.has(k) ? policy : image)[k] = v;
  const whole = enc.encode(line);
  const imageBytes = enc.encode(JSON.stringify(image));
  const policyBytes = enc.encode(JSON.stringify(policy));
  const ptr = put(policyBytes);
  const evaluator = exports.vouch_evaluator_new(ptr, policyBytes.length);
  exports.vouch_free(ptr, policyBytes.length);
  const oneShot = time(() => call(exports.vouch_evaluate_json, whole));
  const compiled = time(() => call(exports.vouch_evaluator_evaluate, imageBytes, evaluator));
  exports.vouch_evaluator_free(evaluator);
  console.log(JSON.stringify({ id: request.id, one_shot_ns: oneShot, compiled_ns: compiled }));
}
