#!/usr/bin/env python3
"""Writes the requests that docs/performance.md times natively and in wasm (native vs wasm):
an insecureAcceptAnything scope, a reject scope, sigstoreSigned with one P-256 and with one
RSA-2048 cosign signature (keys and signatures made here with openssl), and signedBy with one
gpg signature (the first such accepted request of the parity corpus).

usage: requests.py PARITY_CORPUS_DIR > requests.jsonl
"""
import base64, hashlib, json, pathlib, subprocess, sys, tempfile

b64 = lambda b: base64.b64encode(b).decode()
corpus = pathlib.Path(sys.argv[1])
manifest = b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:' + b"a" * 64 + b'","size":7},"layers":[]}'
digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
ref = "quay.io/example/app:1.0"
payload = json.dumps({"critical": {"identity": {"docker-reference": ref},
                                   "image": {"docker-manifest-digest": digest},
                                   "type": "cosign container image signature"},
                      "optional": None}, separators=(",", ":")).encode()
out = []


def request(name, requirement, files=None, signatures=()):
    r = {"id": f"bench-{name}",
         "policy": {"default": [{"type": "reject"}],
                    "transports": {"docker": {"quay.io/example": [requirement]}}},
         "transport": "docker", "reference": ref, "manifest": b64(manifest),
         "signatures": list(signatures), "now": "2026-11-22T12:00:00Z"}
    if files:
        r["files"] = files
    out.append(json.dumps(r))


request("insecureAcceptAnything", {"type": "insecureAcceptAnything"})
request("reject", {"type": "reject"})
with tempfile.TemporaryDirectory() as d:
    for name, genkey in [("p256", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]),
                         ("rsa2048", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])]:
        key, pub, msg = f"{d}/{name}.key", f"{d}/{name}.pub", f"{d}/payload"
        subprocess.run(["openssl", *genkey, "-out", key], check=True, capture_output=True)
        subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-out", pub], check=True)
        pathlib.Path(msg).write_bytes(payload)
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key, msg], check=True,
                             capture_output=True).stdout
        request(f"sigstoreSigned-{name}",
                {"type": "sigstoreSigned", "keyPath": "/etc/pki/cosign.pub",
                 "signedIdentity": {"type": "matchRepository"}},
                files={"/etc/pki/cosign.pub": b64(pathlib.Path(pub).read_bytes())},
                signatures=[{"kind": "sigstore", "payload": b64(payload),
                             "annotations": {"dev.cosignproject.cosign/signature": b64(sig)}}])
requests = (corpus / "requests.jsonl").read_text().split("\n")
decisions = (corpus / "expected.jsonl").read_text().split("\n")
for line, decision in zip(requests, decisions):
    if not line.startswith("{") or not decision.startswith('{"id"'):
        continue
    r, x = json.loads(line), json.loads(decision)
    if (x["allowed"] and len(x["requirements"]) == 1 and x["requirements"][0]["type"] == "signedBy"
            and len(r.get("signatures", [])) == 1):
        r["id"] = "bench-signedBy-gpg"
        out.append(json.dumps(r))
        break
print("\n".join(out))
