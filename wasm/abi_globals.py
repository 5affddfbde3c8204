#!/usr/bin/env python3
"""Adds the ABI version globals to the plain module: two immutable i32 globals holding the
values, exported as `vouch_abi_version_major` and `vouch_abi_version_minor` (wasm/ABI.md).

Rust can only export a static as the address of its bytes in memory; a host should read the
version before calling anything, without knowing the memory layout, so the values are written
as real globals here. The module imports nothing, so the new globals take the last indices and
no existing index moves.

usage: abi_globals.py IN.wasm OUT.wasm MAJOR MINOR
"""
import sys


def leb_u(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def leb_s(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def read_u(b, i):
    n = shift = 0
    while True:
        byte = b[i]
        i += 1
        n |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return n, i


def main():
    src, dst, major, minor = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    b = open(src, "rb").read()
    if b[:8] != b"\0asm\x01\0\0\0":
        sys.exit(f"{src}: not a wasm module")
    sections = []
    i = 8
    while i < len(b):
        sid = b[i]
        size, j = read_u(b, i + 1)
        sections.append([sid, b[j:j + size]])
        i = j + size
    ids = [s[0] for s in sections]
    if 2 in ids:
        sys.exit("the module imports something; the plain ABI promises it imports nothing")
    if 6 not in ids or 7 not in ids:
        sys.exit("the module has no global or export section")
    globals_section = sections[ids.index(6)]
    count, j = read_u(globals_section[1], 0)
    body = globals_section[1][j:]
    names = [("vouch_abi_version_major", major), ("vouch_abi_version_minor", minor)]
    for _, value in names:
        # i32, immutable, init: i32.const value; end
        body += bytes([0x7F, 0x00, 0x41]) + leb_s(value) + bytes([0x0B])
    globals_section[1] = leb_u(count + len(names)) + body
    exports_section = sections[ids.index(7)]
    exports, j = read_u(exports_section[1], 0)
    body = exports_section[1][j:]
    for n, (name, _) in enumerate(names):
        raw = name.encode()
        if raw in exports_section[1]:
            sys.exit(f"the module already exports {name}")
        body += leb_u(len(raw)) + raw + bytes([0x03]) + leb_u(count + n)
    exports_section[1] = leb_u(exports + len(names)) + body
    out = bytearray(b[:8])
    for sid, content in sections:
        out.append(sid)
        out += leb_u(len(content)) + content
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main()
