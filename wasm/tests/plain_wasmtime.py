#!/usr/bin/env python3
"""Drives the plain module (wasm/dist/vouch.wasm) from a non-JavaScript host, wasmtime (the
PyPI package), as wazero or wasmtime embedders would: reads the ABI version globals, then
decides the parity corpus one-shot and through the evaluator handle, and answers its node,
admission and plan lines. Every answer must be byte-identical to the core's.

usage: plain_wasmtime.py MODULE CORPUS_DIR
"""
import pathlib
import sys

import wasmtime


def main():
    module_path, corpus = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    module = wasmtime.Module.from_file(engine, str(module_path))
    assert list(module.imports) == [], "the plain module must import nothing"
    instance = wasmtime.Instance(store, module, [])
    ex = instance.exports(store)
    memory = ex["memory"]
    major = ex["vouch_abi_version_major"].value(store)
    minor = ex["vouch_abi_version_minor"].value(store)
    assert (major, minor) == (0, 5), (major, minor)
    assert ex["vouch_abi_version"](store) == (major << 16) | minor

    def put(data):
        ptr = ex["vouch_alloc"](store, len(data))
        assert ptr != 0 or len(data) == 0
        memory.write(store, data, ptr)
        return ptr

    def take(result):
        assert result != 0, "the module returned a null result"
        size = int.from_bytes(memory.read(store, result, result + 4), "little")
        data = memory.read(store, result + 4, result + 4 + size)
        ex["vouch_result_free"](store, result)
        return bytes(data)

    def call(entry, data, *handle):
        ptr = put(data)
        result = entry(store, *handle, ptr, len(data))
        ex["vouch_free"](store, ptr, len(data))
        return take(result)

    def lines(name):
        return (corpus / name).read_bytes().split(b"\n")[:-1]

    requests, expected = lines("requests.jsonl"), lines("expected.jsonl")
    assert len(requests) == len(expected) >= 500
    differ = [i for i, r in enumerate(requests) if call(ex["vouch_evaluate_json"], r) != expected[i]]
    assert not differ, f"{len(differ)} one-shot decisions differ, first at line {differ[0] + 1}"

    policies, images, split = lines("policies.jsonl"), lines("images.jsonl"), lines("split-expected.jsonl")
    split_differ = 0
    for policy, image, want in zip(policies, images, split):
        ptr = put(policy)
        handle = ex["vouch_evaluator_new"](store, ptr, len(policy))
        ex["vouch_free"](store, ptr, len(policy))
        assert handle != 0
        take(ex["vouch_evaluator_report"](store, handle))
        if call(ex["vouch_evaluator_evaluate"], image, handle) != want:
            split_differ += 1
        ex["vouch_evaluator_free"](store, handle)
    assert split_differ == 0, f"{split_differ} evaluator decisions differ"

    # Node decisions and admission reviews, one call each.
    one_line = 0
    for entry, name in (("vouch_node_decide", "node"), ("vouch_admit", "admit"), ("vouch_admit_plan", "plan")):
        asked, wanted = lines(f"{name}-requests.jsonl"), lines(f"{name}-expected.jsonl")
        assert len(asked) == len(wanted) >= 100
        bad = [i for i, r in enumerate(asked) if call(ex[entry], r) != wanted[i]]
        assert not bad, f"{len(bad)} {name} answers differ, first at line {bad[0] + 1}"
        one_line += len(asked)
    print(f"wasmtime: "
          f"ABI {major}.{minor}; {len(requests)} one-shot and {len(policies)} evaluator decisions, "
          f"{one_line} node, admission and plan answers byte-identical to the core's")


if __name__ == "__main__":
    main()
