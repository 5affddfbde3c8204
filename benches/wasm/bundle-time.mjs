// Times sigstore bundle verifications in the plain wasm module (`vouch_bundle_verify`: the
// whole JSON request, read and verified), one request per line of a JSON Lines file.
//
//   node benches/wasm/bundle-time.mjs wasm/dist/vouch.wasm /tmp/bundle-bench.jsonl
//
// Each line carries a "name"; the request is the rest. Prints a Markdown row per line.
import { readFileSync } from "node:fs";
import { abi, time } from "./timing.mjs";

const [wasmPath, requestsPath] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
const exports = instance.exports;
const { call } = abi(exports);
for (const line of readFileSync(requestsPath, "utf8").split("\n")) {
  if (!line.trim()) continue;
  const request = JSON.parse(line);
  const name = request.name;
  delete request.name;
  const bytes = new TextEncoder().encode(JSON.stringify(request));
  const answer = JSON.parse(new TextDecoder().decode(call(exports.vouch_bundle_verify, bytes)));
  if (!answer.verified) throw new Error(`${name}: not verified: ${answer.error}`);
  const ns = time(() => call(exports.vouch_bundle_verify, bytes), 11);
  console.log(`| ${name} | ${(ns / 1000).toFixed(1)} µs |`);
}
