package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/component-base/metrics/legacyregistry"
	"k8s.io/kubernetes/pkg/credentialprovider"
	"k8s.io/kubernetes/pkg/credentialprovider/secrets"
	kubeletconfig "k8s.io/kubernetes/pkg/kubelet/apis/config"
	"k8s.io/kubernetes/pkg/kubelet/images/pullmanager"
	"k8s.io/kubernetes/pkg/util/parsers"
)

// lockStripes is the number of lock stripes of the manager (the kubelet passes
// maxParallelPulls); it has no effect on the decisions.
const lockStripes = 10

// mustPullMetric is the counter the 1.35+ check increments once per decision (none in 1.34).
const mustPullMetric = "kubelet_imagemanager_image_mustpull_checks_total"

// Answers. The field order is the order of the protocol.

type pullAnswer struct {
	MustPull bool    `json:"must_pull"`
	Error    string  `json:"error"`
	Result   string  `json:"result"`
	Record   *string `json:"record"`
}

type policyErrorAnswer struct {
	PolicyError string `json:"policy_error"`
}

type recordPulledAnswer struct {
	Record       *string `json:"record"`
	IntentExists bool    `json:"intent_exists"`
}

type keyringCredential struct {
	UID            string `json:"uid"`
	Namespace      string `json:"namespace"`
	Name           string `json:"name"`
	CredentialHash string `json:"credential_hash"`
	Username       string `json:"username"`
	Password       string `json:"password"`
	Email          string `json:"email"`
}

type keyringAnswer struct {
	Error       string              `json:"error"`
	Repository  string              `json:"repository"`
	Credentials []keyringCredential `json:"credentials"`
	Found       bool                `json:"found"`
}

type codecAnswer struct {
	Decoded   bool    `json:"decoded"`
	Exists    bool    `json:"exists"`
	Error     string  `json:"error"`
	Reencoded *string `json:"reencoded"`
}

type allowlistAnswer struct {
	PolicyError         string `json:"policy_error"`
	RequireVerification bool   `json:"require_verification"`
}

// stubImageService is the container runtime of the manager: it knows no images, so the
// start-up conversion of intents into records (PullManager.initialize) never happens.
type stubImageService struct{}

// The record store layout (pullmanager/fs_pullrecords.go): <root>/image_manager/pulling/ holds
// the intents, <root>/image_manager/pulled/ the records, each in a file named "sha256-" and the
// lowercase hex SHA-256 of the key (the raw pod image for intents, the image ref for records).
func pulledPath(root, imageRef string) string {
	return filepath.Join(root, "image_manager", "pulled", fileName(imageRef))
}

func intentPath(root, image string) string {
	return filepath.Join(root, "image_manager", "pulling", fileName(image))
}

func fileName(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "sha256-" + hex.EncodeToString(sum[:])
}

func decodeB64(field string, s *string) ([]byte, error) {
	if s == nil {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(*s)
	if err != nil {
		return nil, fmt.Errorf("%s: bad base64: %w", field, err)
	}
	return b, nil
}

func encodeB64(b []byte) *string {
	s := base64.StdEncoding.EncodeToString(b)
	return &s
}

// readFile gives the file's bytes, or nil when it does not exist.
func readFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

func writeRaw(path string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(path, content, 0o600)
}

// newStore creates a fresh kubelet root with the filesystem accessor (not the memory-cached one
// the kubelet puts in front of it, so that every read goes to the files). The accessor is created
// before any file is written: 1.35+ would otherwise rewrite v1alpha1 files as v1beta1 at creation
// (its start-up migration), and the answers are about the check alone. record_codec shows that
// rewrite ("reencoded").
func newStore() (root string, acc pullmanager.PullRecordsAccessor, cleanup func(), err error) {
	root, err = os.MkdirTemp("", "kubelet-oracle-")
	if err != nil {
		return "", nil, nil, err
	}
	cleanup = func() { os.RemoveAll(root) }
	acc, err = newFSAccessor(root)
	if err != nil {
		cleanup()
		return "", nil, nil, fmt.Errorf("creating the record accessor: %w", err)
	}
	return root, acc, cleanup, nil
}

func opKubeletPull(req *request) (any, error) {
	policy, err := pullmanager.NewImagePullCredentialVerificationPolicy(
		kubeletconfig.ImagePullCredentialsVerificationPolicy(req.Policy), req.Allowlist)
	if err != nil {
		return policyErrorAnswer{PolicyError: err.Error()}, nil
	}
	recordIn, err := decodeB64("pulled_record", req.PulledRecord)
	if err != nil {
		return nil, err
	}
	intentIn, err := decodeB64("intent_record", req.IntentRecord)
	if err != nil {
		return nil, err
	}

	root, acc, cleanup, err := newStore()
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if req.PulledRecord != nil {
		if err := writeRaw(pulledPath(root, req.ImageRef), recordIn); err != nil {
			return nil, err
		}
	}
	manager, err := pullmanager.NewImagePullManager(ctx, acc, policy, stubImageService{}, lockStripes)
	if err != nil {
		return nil, fmt.Errorf("creating the pull manager: %w", err)
	}
	// The intent is written after the manager exists, so that only the file (not the manager's
	// in-memory intent counter) tells that the kubelet pulled the image.
	switch {
	case req.IntentRecord != nil:
		if err := writeRaw(intentPath(root, req.Image), intentIn); err != nil {
			return nil, err
		}
	case req.IntentExists:
		if err := writeIntent(acc, req.Image); err != nil {
			return nil, fmt.Errorf("writing the intent: %w", err)
		}
	}

	var secrets []kubeletconfig.ImagePullSecret
	for _, s := range req.PodSecrets {
		secrets = append(secrets, kubeletconfig.ImagePullSecret{
			UID: s.UID, Namespace: s.Namespace, Name: s.Name, CredentialHash: s.CredentialHash,
		})
	}
	var sa *kubeletconfig.ImagePullServiceAccount
	if req.PodServiceAccount != nil {
		sa = &kubeletconfig.ImagePullServiceAccount{
			UID: req.PodServiceAccount.UID, Namespace: req.PodServiceAccount.Namespace, Name: req.PodServiceAccount.Name,
		}
	}
	var credErr error
	if req.PodCredentialsError != nil {
		credErr = errors.New(*req.PodCredentialsError)
	}

	before, err := mustPullCounts()
	if err != nil {
		return nil, err
	}
	mustPull, checkErr := mustAttempt(manager, req.Image, req.ImageRef, secrets, sa, credErr)
	after, err := mustPullCounts()
	if err != nil {
		return nil, err
	}

	answer := pullAnswer{MustPull: mustPull}
	if checkErr != nil {
		answer.Error = checkErr.Error()
	}
	for label, n := range after {
		if n > before[label] {
			answer.Result = label
		}
	}
	recordOut, err := readFile(pulledPath(root, req.ImageRef))
	if err != nil {
		return nil, err
	}
	if recordOut != nil && (req.PulledRecord == nil || !bytes.Equal(recordOut, recordIn)) {
		answer.Record = encodeB64(recordOut)
	}
	return answer, nil
}

// mustPullCounts reads the check counter from the legacy registry, by its "result" label.
func mustPullCounts() (map[string]float64, error) {
	families, err := legacyregistry.DefaultGatherer.Gather()
	if err != nil {
		return nil, fmt.Errorf("gathering the metrics: %w", err)
	}
	counts := map[string]float64{}
	for _, family := range families {
		if family.GetName() != mustPullMetric {
			continue
		}
		for _, m := range family.GetMetric() {
			counts[resultLabel(m)] += m.GetCounter().GetValue()
		}
	}
	return counts, nil
}

func resultLabel(m *dto.Metric) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == "result" {
			return l.GetValue()
		}
	}
	return ""
}

func opRecordPulled(req *request) (any, error) {
	recordIn, err := decodeB64("pulled_record", req.PulledRecord)
	if err != nil {
		return nil, err
	}
	var creds *kubeletconfig.ImagePullCredentials
	switch c := req.Credential; {
	case c == nil || c.Kind == "node":
		creds = &kubeletconfig.ImagePullCredentials{NodePodsAccessible: true}
	case c.Kind == "secret":
		creds = &kubeletconfig.ImagePullCredentials{KubernetesSecrets: []kubeletconfig.ImagePullSecret{{
			UID: c.UID, Namespace: c.Namespace, Name: c.Name, CredentialHash: c.CredentialHash,
		}}}
	case c.Kind == "service_account":
		creds = &kubeletconfig.ImagePullCredentials{KubernetesServiceAccounts: []kubeletconfig.ImagePullServiceAccount{{
			UID: c.UID, Namespace: c.Namespace, Name: c.Name,
		}}}
	case c.Kind == "none":
		// Pulled under unknown circumstances (the start-up conversion of intents): a record
		// without credentials.
		creds = nil
	default:
		return nil, fmt.Errorf("unknown credential kind %q", c.Kind)
	}

	root, acc, cleanup, err := newStore()
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if req.PulledRecord != nil {
		if err := writeRaw(pulledPath(root, req.ImageRef), recordIn); err != nil {
			return nil, err
		}
	}
	manager, err := pullmanager.NewImagePullManager(ctx, acc, pullmanager.NeverVerifyPreloadedPullPolicy(), stubImageService{}, lockStripes)
	if err != nil {
		return nil, fmt.Errorf("creating the pull manager: %w", err)
	}
	// The kubelet's pull (images/image_manager.go pullImage): the intent before the pull, the
	// record after it succeeded (which removes the intent once the record is written).
	if err := recordPullIntent(manager, req.Image); err != nil {
		return nil, fmt.Errorf("recording the pull intent: %w", err)
	}
	recordImagePulled(manager, req.Image, req.ImageRef, creds)

	answer := recordPulledAnswer{}
	recordOut, err := readFile(pulledPath(root, req.ImageRef))
	if err != nil {
		return nil, err
	}
	if recordOut != nil {
		answer.Record = encodeB64(recordOut)
	}
	if _, err := os.Stat(intentPath(root, req.Image)); err == nil {
		answer.IntentExists = true
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return answer, nil
}

// lookupRepository is the key the kubelet's image manager looks pull credentials up with: the
// image gets the default tag when it has neither tag nor digest (failing as ErrInvalidImageName
// when it does not parse), and the repository of the result is the lookup key
// (images/image_manager.go: applyDefaultImageTag, then makeLookupPullCredentialsFunc).
func lookupRepository(image string) (string, error) {
	_, tag, digest, err := parsers.ParseImageName(image)
	if err != nil {
		return "", err
	}
	withTag := image
	if digest == "" && tag != "" && !strings.HasSuffix(image, ":"+tag) {
		withTag = image + ":" + tag
	}
	repository, _, _, err := parsers.ParseImageName(withTag)
	return repository, err
}

func opKeyring(req *request) (any, error) {
	podSecrets := []v1.Secret{}
	for i, s := range req.Secrets {
		secret := v1.Secret{Type: v1.SecretType(s.Type), Data: map[string][]byte{}}
		secret.UID, secret.Namespace, secret.Name = types.UID(s.UID), s.Namespace, s.Name
		for k, v := range s.Data {
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return nil, fmt.Errorf("secrets[%d].data[%q]: bad base64: %w", i, k, err)
			}
			secret.Data[k] = b
		}
		podSecrets = append(podSecrets, secret)
	}
	answer := keyringAnswer{Credentials: []keyringCredential{}}
	repository, err := lookupRepository(req.Image)
	if err != nil {
		answer.Error = err.Error()
		return answer, nil
	}
	answer.Repository = repository
	keyring, err := secrets.MakeDockerKeyring(podSecrets, credentialprovider.UnionDockerKeyring{})
	if err != nil {
		answer.Error = err.Error()
		return answer, nil
	}
	creds, found := keyring.Lookup(repository)
	answer.Found = found
	for _, c := range creds {
		out := keyringCredential{
			CredentialHash: c.AuthConfigHash,
			Username:       c.Username,
			Password:       c.Password,
			Email:          c.Email,
		}
		if c.Source != nil {
			switch {
			case c.Source.Secret != nil:
				out.UID, out.Namespace, out.Name = c.Source.Secret.UID, c.Source.Secret.Namespace, c.Source.Secret.Name
			case c.Source.ServiceAccount != nil:
				out.UID, out.Namespace, out.Name = c.Source.ServiceAccount.UID, c.Source.ServiceAccount.Namespace, c.Source.ServiceAccount.Name
			}
		}
		answer.Credentials = append(answer.Credentials, out)
	}
	return answer, nil
}

func opRecordCodec(req *request) (any, error) {
	if req.Bytes == nil {
		return nil, errors.New("record_codec: bytes is missing")
	}
	content, err := decodeB64("bytes", req.Bytes)
	if err != nil {
		return nil, err
	}
	root, acc, cleanup, err := newStore()
	if err != nil {
		return nil, err
	}
	defer cleanup()

	answer := codecAnswer{}
	switch req.Kind {
	case "pulled":
		path := pulledPath(root, req.Key)
		if err := writeRaw(path, content); err != nil {
			return nil, err
		}
		record, exists, err := acc.GetImagePulledRecord(req.Key)
		answer.Exists = exists
		if err != nil {
			answer.Error = err.Error()
		}
		if err == nil && record != nil {
			answer.Decoded = true
			if err := writeRecord(acc, record); err != nil {
				return nil, fmt.Errorf("writing the record back: %w", err)
			}
			after, err := readFile(path)
			if err != nil {
				return nil, err
			}
			answer.Reencoded = encodeB64(after)
		}
	case "intent":
		path := intentPath(root, req.Key)
		if err := writeRaw(path, content); err != nil {
			return nil, err
		}
		exists, err := acc.ImagePullIntentExists(req.Key)
		answer.Exists = exists
		if err != nil {
			answer.Error = err.Error()
		}
		// The decoded intent holds only its image, which equals the key when it exists.
		if err == nil && exists {
			answer.Decoded = true
			if err := writeIntent(acc, req.Key); err != nil {
				return nil, fmt.Errorf("writing the intent back: %w", err)
			}
			after, err := readFile(path)
			if err != nil {
				return nil, err
			}
			answer.Reencoded = encodeB64(after)
		}
	default:
		return nil, fmt.Errorf("record_codec: unknown kind %q", req.Kind)
	}
	return answer, nil
}

func opAllowlist(req *request) (any, error) {
	policy, err := pullmanager.NewImagePullCredentialVerificationPolicy(
		kubeletconfig.ImagePullCredentialsVerificationPolicy(req.Policy), req.Allowlist)
	if err != nil {
		return allowlistAnswer{PolicyError: err.Error()}, nil
	}
	return allowlistAnswer{RequireVerification: policy.RequireCredentialVerificationForImage(req.Image, req.PulledByKubelet)}, nil
}

func kubernetesModuleVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, dep := range info.Deps {
		if dep.Path == "k8s.io/kubernetes" {
			return dep.Version
		}
	}
	return "unknown"
}

type benchAnswer struct {
	MustPull bool    `json:"must_pull"`
	NsPerOp  float64 `json:"ns_per_op"`
}

// opBench times MustAttemptImagePull on one kubelet_pull request's store.
func opBench(line []byte) (any, error) {
	var outer struct {
		Request json.RawMessage `json:"request"`
		Rounds  int             `json:"rounds"`
	}
	if err := json.Unmarshal(line, &outer); err != nil {
		return nil, err
	}
	var req request
	if err := json.Unmarshal(outer.Request, &req); err != nil {
		return nil, err
	}
	if outer.Rounds <= 0 {
		outer.Rounds = 1000
	}
	policy, err := pullmanager.NewImagePullCredentialVerificationPolicy(
		kubeletconfig.ImagePullCredentialsVerificationPolicy(req.Policy), req.Allowlist)
	if err != nil {
		return nil, err
	}
	recordIn, err := decodeB64("pulled_record", req.PulledRecord)
	if err != nil {
		return nil, err
	}
	root, acc, cleanup, err := newStore()
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if req.PulledRecord != nil {
		if err := writeRaw(pulledPath(root, req.ImageRef), recordIn); err != nil {
			return nil, err
		}
	}
	manager, err := pullmanager.NewImagePullManager(ctx, acc, policy, stubImageService{}, lockStripes)
	if err != nil {
		return nil, err
	}
	var secrets []kubeletconfig.ImagePullSecret
	for _, s := range req.PodSecrets {
		secrets = append(secrets, kubeletconfig.ImagePullSecret{
			UID: s.UID, Namespace: s.Namespace, Name: s.Name, CredentialHash: s.CredentialHash,
		})
	}
	var mustPull bool
	start := time.Now()
	for i := 0; i < outer.Rounds; i++ {
		mustPull, err = mustAttempt(manager, req.Image, req.ImageRef, secrets, nil, nil)
		if err != nil {
			return nil, err
		}
	}
	elapsed := time.Since(start)
	return benchAnswer{MustPull: mustPull, NsPerOp: float64(elapsed.Nanoseconds()) / float64(outer.Rounds)}, nil
}
