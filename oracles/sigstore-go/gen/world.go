package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"

	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	prototrustroot "github.com/sigstore/protobuf-specs/gen/pb-go/trustroot/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// base is the fixed time every case is placed around, so that runs differ only in their keys.
var base = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// authority is a certificate with its private key.
type authority struct {
	cert *x509.Certificate
	key  crypto.Signer
}

// world is the sigstore every case is made in: a Fulcio CA, a CT log, a Rekor log and a
// timestamping authority, each also as an untrusted twin for the cases that need another.
type world struct {
	fulcioRoot, fulcioInter           authority
	otherFulcioRoot, otherFulcioInter authority
	fulcioServerAuthInter             authority // an intermediate without the code-signing EKU

	ct, ct2, otherCT                          *ecdsa.PrivateKey
	rekor, rekor2, otherRekor                 *ecdsa.PrivateKey
	tsaRoot, tsaInter, tsaLeaf                authority
	tsaLeafNonCritical                        authority // EKU timestamping, not critical
	tsaLeafExpired                            authority // valid for a year ending a month before base
	tsaLeaf384                                authority // a P-384 leaf
	otherTSARoot, otherTSAInter, otherTSALeaf authority
	ct384, rekor384                           *ecdsa.PrivateKey
	ctRSA, rekorRSA                           *rsa.PrivateKey
	rekorEd25519                              ed25519.PrivateKey
	fulcioInterNotCA                          authority // an intermediate without basic constraints
	fulcioInterExpired                        authority // valid until a month before base

	managed   map[string][]crypto.Signer // by kind: p256, p384, rsa, ed25519
	leafPools map[string][]crypto.Signer // RSA leaf keys, reused (key generation is slow)
}

func mustKey(curve elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func mustRSA() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

func mustEd25519() ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err)
	}
	return n.Add(n, big.NewInt(1))
}

func createCert(tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) *x509.Certificate {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return cert
}

func newRoot(cn string) authority {
	key := mustKey(elliptic.P256())
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"vouch.test"}},
		NotBefore:             base.AddDate(-1, 0, 0),
		NotAfter:              base.AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return authority{createCert(tmpl, tmpl, key.Public(), key), key}
}

func newIntermediate(cn string, parent authority, eku x509.ExtKeyUsage) authority {
	key := mustKey(elliptic.P256())
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"vouch.test"}},
		NotBefore:             base.AddDate(-1, 0, 0),
		NotAfter:              base.AddDate(4, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{eku},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return authority{createCert(tmpl, parent.cert, key.Public(), parent.key), key}
}

var oidEKU = asn1.ObjectIdentifier{2, 5, 29, 37}
var oidTimeStamping = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}

func newTSALeaf(parent authority, curve elliptic.Curve, critical bool, notBefore, notAfter time.Time) authority {
	key := mustKey(curve)
	ekuValue, err := asn1.Marshal([]asn1.ObjectIdentifier{oidTimeStamping})
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "vouch.test TSA", Organization: []string{"vouch.test"}},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{
			{Id: oidEKU, Critical: critical, Value: ekuValue},
		},
	}
	return authority{createCert(tmpl, parent.cert, key.Public(), parent.key), key}
}

func newWorld() *world {
	w := &world{}
	w.fulcioRoot = newRoot("vouch.test fulcio root")
	w.fulcioInter = newIntermediate("vouch.test fulcio intermediate", w.fulcioRoot, x509.ExtKeyUsageCodeSigning)
	w.fulcioServerAuthInter = newIntermediate("vouch.test fulcio server intermediate", w.fulcioRoot, x509.ExtKeyUsageServerAuth)
	{
		key := mustKey(elliptic.P256())
		tmpl := &x509.Certificate{
			SerialNumber: serial(),
			Subject:      pkix.Name{CommonName: "vouch.test fulcio intermediate (not a CA)", Organization: []string{"vouch.test"}},
			NotBefore:    base.AddDate(-1, 0, 0),
			NotAfter:     base.AddDate(4, 0, 0),
			KeyUsage:     x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		}
		w.fulcioInterNotCA = authority{createCert(tmpl, w.fulcioRoot.cert, key.Public(), w.fulcioRoot.key), key}
		key = mustKey(elliptic.P256())
		tmpl = &x509.Certificate{
			SerialNumber:          serial(),
			Subject:               pkix.Name{CommonName: "vouch.test fulcio intermediate (expired)", Organization: []string{"vouch.test"}},
			NotBefore:             base.AddDate(-1, 0, 0),
			NotAfter:              base.AddDate(0, -1, 0),
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
			ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
			BasicConstraintsValid: true,
			IsCA:                  true,
		}
		w.fulcioInterExpired = authority{createCert(tmpl, w.fulcioRoot.cert, key.Public(), w.fulcioRoot.key), key}
	}
	w.ct384, w.rekor384 = mustKey(elliptic.P384()), mustKey(elliptic.P384())
	w.ctRSA, w.rekorRSA = mustRSA(), mustRSA()
	w.rekorEd25519 = mustEd25519()
	w.otherFulcioRoot = newRoot("vouch.test other fulcio root")
	w.otherFulcioInter = newIntermediate("vouch.test other fulcio intermediate", w.otherFulcioRoot, x509.ExtKeyUsageCodeSigning)
	w.ct, w.ct2, w.otherCT = mustKey(elliptic.P256()), mustKey(elliptic.P256()), mustKey(elliptic.P256())
	w.rekor, w.rekor2, w.otherRekor = mustKey(elliptic.P256()), mustKey(elliptic.P256()), mustKey(elliptic.P256())
	w.tsaRoot = newRoot("vouch.test tsa root")
	w.tsaInter = newIntermediate("vouch.test tsa intermediate", w.tsaRoot, x509.ExtKeyUsageTimeStamping)
	w.tsaLeaf = newTSALeaf(w.tsaInter, elliptic.P256(), true, base.AddDate(-1, 0, 0), base.AddDate(3, 0, 0))
	w.tsaLeafNonCritical = newTSALeaf(w.tsaInter, elliptic.P256(), false, base.AddDate(-1, 0, 0), base.AddDate(3, 0, 0))
	w.tsaLeafExpired = newTSALeaf(w.tsaInter, elliptic.P256(), true, base.AddDate(-1, -1, 0), base.AddDate(0, -1, 0))
	w.tsaLeaf384 = newTSALeaf(w.tsaInter, elliptic.P384(), true, base.AddDate(-1, 0, 0), base.AddDate(3, 0, 0))
	w.otherTSARoot = newRoot("vouch.test other tsa root")
	w.otherTSAInter = newIntermediate("vouch.test other tsa intermediate", w.otherTSARoot, x509.ExtKeyUsageTimeStamping)
	w.otherTSALeaf = newTSALeaf(w.otherTSAInter, elliptic.P256(), true, base.AddDate(-1, 0, 0), base.AddDate(3, 0, 0))
	w.managed = map[string][]crypto.Signer{
		"p256":    {mustKey(elliptic.P256()), mustKey(elliptic.P256()), mustKey(elliptic.P256())},
		"p384":    {mustKey(elliptic.P384()), mustKey(elliptic.P384())},
		"rsa":     {mustRSA(), mustRSA()},
		"ed25519": {mustEd25519(), mustEd25519()},
	}
	w.leafPools = map[string][]crypto.Signer{"rsa": {mustRSA(), mustRSA()}}
	return w
}

// logID is a transparency log's ID: the SHA-256 of its PKIX public key.
func logID(pub crypto.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(der)
	return sum[:]
}

func pkixPEM(pub crypto.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func certPEM(cert *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
}

// sign signs msg as sigstore's default verifier for the key checks it: ECDSA over the
// curve's hash, RSA PKCS #1 v1.5 over SHA-256, pure Ed25519.
func sign(key crypto.Signer, msg []byte) []byte {
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		sig, err := ecdsa.SignASN1(rand.Reader, k, digestFor(k.Curve, msg))
		if err != nil {
			panic(err)
		}
		return sig
	case *rsa.PrivateKey:
		d := sha256.Sum256(msg)
		sig, err := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, d[:])
		if err != nil {
			panic(err)
		}
		return sig
	case ed25519.PrivateKey:
		return ed25519.Sign(k, msg)
	}
	panic(fmt.Sprintf("unknown key %T", key))
}

func digestFor(curve elliptic.Curve, msg []byte) []byte {
	switch curve {
	case elliptic.P384():
		d := sha512.Sum384(msg)
		return d[:]
	default:
		d := sha256.Sum256(msg)
		return d[:]
	}
}

// signDigest signs a digest made with h.
func signDigest(key crypto.Signer, digest []byte, h crypto.Hash) []byte {
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		sig, err := ecdsa.SignASN1(rand.Reader, k, digest)
		if err != nil {
			panic(err)
		}
		return sig
	case *rsa.PrivateKey:
		sig, err := rsa.SignPKCS1v15(rand.Reader, k, h, digest)
		if err != nil {
			panic(err)
		}
		return sig
	}
	panic(fmt.Sprintf("cannot sign a digest with %T", key))
}

// window is a validFor: nil ends are absent.
type window struct {
	start, end *time.Time
}

func at(t time.Time) *time.Time { return &t }

func (w window) proto() *protocommon.TimeRange {
	if w.start == nil && w.end == nil {
		return nil
	}
	r := &protocommon.TimeRange{}
	if w.start != nil {
		r.Start = timestamppb.New(*w.start)
	}
	if w.end != nil {
		r.End = timestamppb.New(*w.end)
	}
	return r
}

type logSpec struct {
	pub     crypto.PublicKey
	id      []byte // nil: the key's ID
	valid   window
	baseURL string
}

type caSpec struct {
	chain []*x509.Certificate // leaf (TSA) or intermediates first, root last
	valid window
	uri   string
}

type rootSpec struct {
	cas, tsas     []caSpec
	tlogs, ctlogs []logSpec
}

func defaultLogWindow() window { return window{start: at(base.AddDate(0, -6, 0))} }

// defaultRoot trusts the world's Fulcio CA, CT log, Rekor log and TSA.
func (w *world) defaultRoot() rootSpec {
	return rootSpec{
		cas: []caSpec{{
			chain: []*x509.Certificate{w.fulcioInter.cert, w.fulcioRoot.cert},
			valid: window{start: at(base.AddDate(0, -6, 0))},
			uri:   "https://fulcio.vouch.test",
		}},
		tsas: []caSpec{{
			chain: []*x509.Certificate{w.tsaLeaf.cert, w.tsaInter.cert, w.tsaRoot.cert},
			valid: window{start: at(base.AddDate(0, -6, 0))},
			uri:   "https://tsa.vouch.test",
		}},
		tlogs:  []logSpec{{pub: w.rekor.Public(), valid: defaultLogWindow(), baseURL: "https://rekor.vouch.test"}},
		ctlogs: []logSpec{{pub: w.ct.Public(), valid: defaultLogWindow(), baseURL: "https://ctfe.vouch.test"}},
	}
}

func keyDetails(pub crypto.PublicKey) protocommon.PublicKeyDetails {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P384() {
			return protocommon.PublicKeyDetails_PKIX_ECDSA_P384_SHA_384
		}
		return protocommon.PublicKeyDetails_PKIX_ECDSA_P256_SHA_256
	case *rsa.PublicKey:
		return protocommon.PublicKeyDetails_PKIX_RSA_PKCS1V15_2048_SHA256
	case ed25519.PublicKey:
		return protocommon.PublicKeyDetails_PKIX_ED25519
	}
	panic(fmt.Sprintf("unknown key %T", pub))
}

func (l logSpec) proto() *prototrustroot.TransparencyLogInstance {
	der, err := x509.MarshalPKIXPublicKey(l.pub)
	if err != nil {
		panic(err)
	}
	id := l.id
	if id == nil {
		id = logID(l.pub)
	}
	return &prototrustroot.TransparencyLogInstance{
		BaseUrl:       l.baseURL,
		HashAlgorithm: protocommon.HashAlgorithm_SHA2_256,
		PublicKey: &protocommon.PublicKey{
			RawBytes:   der,
			KeyDetails: keyDetails(l.pub),
			ValidFor:   l.valid.proto(),
		},
		LogId: &protocommon.LogId{KeyId: id},
	}
}

func (c caSpec) proto() *prototrustroot.CertificateAuthority {
	chain := &protocommon.X509CertificateChain{}
	for _, cert := range c.chain {
		chain.Certificates = append(chain.Certificates, &protocommon.X509Certificate{RawBytes: cert.Raw})
	}
	root := c.chain[len(c.chain)-1]
	return &prototrustroot.CertificateAuthority{
		Subject:   &protocommon.DistinguishedName{Organization: "vouch.test", CommonName: root.Subject.CommonName},
		Uri:       c.uri,
		CertChain: chain,
		ValidFor:  c.valid.proto(),
	}
}

// json is the trusted_root.json of the spec.
func (r rootSpec) json() json.RawMessage {
	tr := &prototrustroot.TrustedRoot{MediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1"}
	for _, l := range r.tlogs {
		tr.Tlogs = append(tr.Tlogs, l.proto())
	}
	for _, l := range r.ctlogs {
		tr.Ctlogs = append(tr.Ctlogs, l.proto())
	}
	for _, c := range r.cas {
		tr.CertificateAuthorities = append(tr.CertificateAuthorities, c.proto())
	}
	for _, c := range r.tsas {
		tr.TimestampAuthorities = append(tr.TimestampAuthorities, c.proto())
	}
	out, err := protojson.Marshal(tr)
	if err != nil {
		panic(err)
	}
	return out
}
