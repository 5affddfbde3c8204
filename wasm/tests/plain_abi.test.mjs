// Drives the plain wasm module (wasm/dist/vouch.wasm) through Node's bare WebAssembly API, as a
// host without JS glue would, and checks that it answers exactly as the `vouch` CLI does.
//
//   VOUCH_WASM=wasm/dist/vouch.wasm VOUCH_BIN=target/release/vouch \
//   VOUCH_LINES=docs/examples/references.txt node --test wasm/tests/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const wasmPath = process.env.VOUCH_WASM ?? 'wasm/dist/vouch.wasm';
const module = new WebAssembly.Module(readFileSync(wasmPath));
const { exports } = new WebAssembly.Instance(module, {});

function parseReference(line) {
  const input = new TextEncoder().encode(line);
  const ptr = exports.vouch_alloc(input.length);
  assert.notEqual(ptr, 0, 'vouch_alloc failed');
  new Uint8Array(exports.memory.buffer, ptr, input.length).set(input);
  const result = exports.vouch_reference_parse(ptr, input.length);
  exports.vouch_free(ptr, input.length);
  assert.notEqual(result, 0, 'vouch_reference_parse returned null');
  const len = new DataView(exports.memory.buffer).getUint32(result, true);
  const bytes = new Uint8Array(exports.memory.buffer, result + 4, len).slice();
  exports.vouch_result_free(result);
  return new TextDecoder().decode(bytes);
}

test('the module imports nothing and exports the documented ABI', () => {
  assert.deepEqual(WebAssembly.Module.imports(module), []);
  const names = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const name of ['memory', 'vouch_abi_version', 'vouch_alloc', 'vouch_free',
    'vouch_reference_parse', 'vouch_result_free']) {
    assert.ok(names.includes(name), `missing export ${name}`);
  }
  assert.equal(exports.vouch_abi_version(), 1);
});

test('answers follow the JSON contract', () => {
  const ok = JSON.parse(parseReference('busybox'));
  assert.equal(ok.ok, true);
  assert.equal(ok.string, 'docker.io/library/busybox');
  assert.equal(ok.familiar, 'busybox');
  const bad = JSON.parse(parseReference('Foo/bar'));
  assert.equal(bad.ok, false);
  assert.equal(bad.error_kind, 'name_contains_uppercase');
  const dist = JSON.parse(parseReference('{"reference":"Foo/bar","dialect":"distribution"}'));
  assert.equal(dist.domain, 'Foo');
  const invalid = JSON.parse(parseReference('{"reference":"a","typo":1}'));
  assert.equal(invalid.error_kind, 'invalid_request');
});

test('memory does not grow over many calls (every region is freed)', () => {
  parseReference('warm-up');
  const before = exports.memory.buffer.byteLength;
  for (let i = 0; i < 20000; i++) parseReference(`quay.io/ns/img${i}:tag`);
  assert.equal(exports.memory.buffer.byteLength, before);
});

test('byte-identical to the CLI on the example lines', { skip: !process.env.VOUCH_BIN }, () => {
  const linesFile = process.env.VOUCH_LINES ?? 'docs/examples/references.txt';
  const text = readFileSync(linesFile, 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const cli = execFileSync(process.env.VOUCH_BIN, ['ref'], { input: text }).toString();
  const viaWasm = lines.map((l) => parseReference(l) + '\n').join('');
  assert.equal(viaWasm, cli);
});
