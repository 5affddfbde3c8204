// The kubelet's own KEP-2535 code (KubeletEnsureSecretPulledImages) as a JSON Lines oracle for
// vouch: package k8s.io/kubernetes/pkg/kubelet/images/pullmanager with its filesystem record
// store, and the credential keyring of k8s.io/kubernetes/pkg/credentialprovider. Kubernetes comes
// only as a pinned module (see ../v1.3x/go.mod); this file and ops.go are version-independent,
// and ../v1.3x/adapter.go bridges the API differences of each release. build.sh assembles them.
//
// One JSON request per line on stdin, one JSON answer per line on stdout. Every request runs in a
// fresh temporary kubelet root directory (removed afterwards), with a fresh record accessor (the
// filesystem one, not the memory cache the kubelet puts in front of it) and pull manager. Byte
// strings are standard base64. The ops:
//
//	{"op":"kubelet_pull", "policy", "allowlist":[...], "image", "image_ref",
//	 "pulled_record": b64|null, "intent_exists": bool, "intent_record": b64|null,
//	 "pod_secrets":[{"uid","namespace","name","credential_hash"}],
//	 "pod_service_account": {"uid","namespace","name"}|null,
//	 "pod_credentials_error": "<text>" (optional: the pod's credential lookup fails)}
//	  -> {"policy_error"} when NewImagePullCredentialVerificationPolicy fails, else
//	     {"must_pull", "error", "result", "record": b64|null}
//	  pulled_record is written as given at pulled/sha256-<hex sha256(image_ref)> (after the
//	  accessor is created, so 1.35+ does not migrate it first); the manager is created; then the
//	  intent for image: intent_record's bytes at pulling/sha256-<hex sha256(image)> when given,
//	  else one written by the accessor when intent_exists. MustAttemptImagePull follows. "error"
//	  is its error (1.35+: only the credential lookup's); "result" the label of
//	  kubelet_imagemanager_image_mustpull_checks_total that it incremented ("" when none: 1.34, or
//	  an empty image_ref); "record" the record file afterwards, null when absent or byte-identical
//	  to pulled_record. 1.34 builds the pod's keyring before the check, so there
//	  pod_credentials_error answers must_pull true with that error and the check is not called.
//	{"op":"record_pulled", "image", "image_ref", "pulled_record": b64|null,
//	 "credential": {"kind":"node"} | {"kind":"secret","uid","namespace","name","credential_hash"}
//	   | {"kind":"service_account","uid","namespace","name"} | {"kind":"none"} | null}
//	  -> {"record": b64|null, "intent_exists": bool}
//	  The kubelet's successful pull: RecordPullIntent(image), then RecordImagePulled with the
//	  credential (null and "node": nodePodsAccessible; "none": nil credentials, as the start-up
//	  conversion of intents writes). "record" is the record file afterwards (null when absent),
//	  "intent_exists" whether the intent file remains (it does when the record write fails).
//	{"op":"keyring", "image", "secrets":[{"uid","namespace","name","type","data":{key: b64}}]}
//	  -> {"error", "repository", "credentials":[{"uid","namespace","name","credential_hash",
//	     "username","password","email"}], "found": bool}
//	  credentialprovider/secrets.MakeDockerKeyring (gate KubeletEnsureSecretPulledImages on), then
//	  Lookup of the repository the image manager looks up: ParseImageName of the image with the
//	  default tag applied. Credentials in lookup order; no source gives empty uid/namespace/name.
//	{"op":"record_codec", "kind":"pulled"|"intent", "bytes": b64, "key"}
//	  -> {"decoded", "exists", "error", "reencoded": b64|null}
//	  The bytes are written under the key's file name and read back through the accessor
//	  (GetImagePulledRecord / ImagePullIntentExists): "exists" and "error" are what it returns,
//	  "decoded" whether it gave an object (for intents: that exists), "reencoded" the file after
//	  writing that object back with WriteImagePulledRecord / WriteImagePullIntent (what 1.35+'s
//	  start-up migration writes).
//	{"op":"allowlist", "policy", "allowlist":[...], "image", "pulled_by_kubelet"}
//	  -> {"policy_error", "require_verification"}
//	{"op":"bench", "request": <a kubelet_pull request>, "rounds": N}
//	  -> {"must_pull", "ns_per_op"}
//	  Sets the request's store and pull manager up once, then times N calls of
//	  MustAttemptImagePull (the record file read and decoded each time, as the kubelet's file
//	  store does) and gives the mean in nanoseconds (benches/src/bin/node-compare.rs).
//	{"op":"userns_validate", "pod": <a v1 Pod>, "feature_gates": {name: bool},
//	 "pod_security": {"level", "version"} (optional)}
//	  -> {"errors": [{"field","type","detail","message"}], "pod_security": {"allowed",
//	     "reasons", "details"}, "pod_security_without_userns": {...}}
//	  The API server's creation of the pod (userns.go): every validation error, and Pod Security
//	  Admission's verdict at the level and version, also with spec.hostUsers removed. Gates the
//	  release lacks are ignored; each request sets the gates it names (others off).
//	{"op":"version"} -> {"kubelet": "1.3x", "kubernetes": "<module version>"}
//
// Anything else, or a request that cannot be read, gets {"error": "..."}. Unknown request fields
// are ignored. lastUpdatedTime comes from the clock. --version prints the release.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/go-logr/logr"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/klog/v2"
)

type request struct {
	Op string `json:"op"`

	// The fields of all the ops (see the package comment).
	Policy              string          `json:"policy"`
	Allowlist           []string        `json:"allowlist"`
	Image               string          `json:"image"`
	ImageRef            string          `json:"image_ref"`
	PulledRecord        *string         `json:"pulled_record"`
	IntentExists        bool            `json:"intent_exists"`
	IntentRecord        *string         `json:"intent_record"`
	PodSecrets          []podSecret     `json:"pod_secrets"`
	PodServiceAccount   *serviceAccount `json:"pod_service_account"`
	PodCredentialsError *string         `json:"pod_credentials_error"`
	Credential          *credential     `json:"credential"`
	PulledByKubelet     bool            `json:"pulled_by_kubelet"`
	Secrets             []keyringSecret `json:"secrets"`
	Kind                string          `json:"kind"`
	Bytes               *string         `json:"bytes"`
	Key                 string          `json:"key"`
}

type podSecret struct {
	UID            string `json:"uid"`
	Namespace      string `json:"namespace"`
	Name           string `json:"name"`
	CredentialHash string `json:"credential_hash"`
}

type serviceAccount struct {
	UID       string `json:"uid"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

type credential struct {
	Kind           string `json:"kind"`
	UID            string `json:"uid"`
	Namespace      string `json:"namespace"`
	Name           string `json:"name"`
	CredentialHash string `json:"credential_hash"`
}

type keyringSecret struct {
	UID       string            `json:"uid"`
	Namespace string            `json:"namespace"`
	Name      string            `json:"name"`
	Type      string            `json:"type"`
	Data      map[string]string `json:"data"`
}

type errorAnswer struct {
	Error string `json:"error"`
}

// ctx carries a discarding logger: the kubelet code logs its decisions, and the answers must be
// the only output.
var ctx = klog.NewContext(context.Background(), logr.Discard())

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--version" {
		fmt.Printf("kubelet %s (k8s.io/kubernetes %s)\n", kubeletMinor, kubernetesModuleVersion())
		return
	}
	if os.Getenv("VOUCH_KUBELET_ORACLE_LOG") == "" {
		klog.SetLogger(logr.Discard())
	}
	// The credential hash and the credential source are only filled with the gate on (it is off
	// by default in 1.34).
	if err := utilfeature.DefaultMutableFeatureGate.Set("KubeletEnsureSecretPulledImages=true"); err != nil {
		fmt.Fprintln(os.Stderr, "kubelet oracle: enabling KubeletEnsureSecretPulledImages:", err)
		os.Exit(2)
	}

	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	for {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			answer := handle(line)
			b, merr := json.Marshal(answer)
			if merr != nil {
				b, _ = json.Marshal(errorAnswer{Error: "encoding the answer: " + merr.Error()})
			}
			out.Write(b)
			out.WriteByte('\n')
			out.Flush()
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "kubelet oracle: reading stdin:", err)
			os.Exit(1)
		}
	}
}

func handle(line []byte) (answer any) {
	defer func() {
		if r := recover(); r != nil {
			answer = errorAnswer{Error: fmt.Sprintf("panic: %v", r)}
		}
	}()
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return errorAnswer{Error: "bad request: " + err.Error()}
	}
	var err error
	switch req.Op {
	case "kubelet_pull":
		answer, err = opKubeletPull(&req)
	case "record_pulled":
		answer, err = opRecordPulled(&req)
	case "keyring":
		answer, err = opKeyring(&req)
	case "record_codec":
		answer, err = opRecordCodec(&req)
	case "allowlist":
		answer, err = opAllowlist(&req)
	case "bench":
		answer, err = opBench(line)
	case "userns_validate":
		answer, err = opUsernsValidate(line)
	case "version":
		answer = map[string]string{"kubelet": kubeletMinor, "kubernetes": kubernetesModuleVersion()}
	default:
		err = fmt.Errorf("unknown op %q", req.Op)
	}
	if err != nil {
		return errorAnswer{Error: err.Error()}
	}
	return answer
}
