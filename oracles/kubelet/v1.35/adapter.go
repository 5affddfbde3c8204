// The 1.35 API of the pull manager: contexts on the manager, and the check looks the pod's
// credentials up lazily through a GetPodCredentials function.
package main

import (
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	psaapi "k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	kubeletconfig "k8s.io/kubernetes/pkg/kubelet/apis/config"
	"k8s.io/kubernetes/pkg/kubelet/images/pullmanager"
)

const kubeletMinor = "1.35"

func newFSAccessor(root string) (pullmanager.PullRecordsAccessor, error) {
	return pullmanager.NewFSPullRecordsAccessor(root)
}

func writeIntent(acc pullmanager.PullRecordsAccessor, image string) error {
	return acc.WriteImagePullIntent(image)
}

func writeRecord(acc pullmanager.PullRecordsAccessor, record *kubeletconfig.ImagePulledRecord) error {
	return acc.WriteImagePulledRecord(record)
}

func mustAttempt(m *pullmanager.PullManager, image, imageRef string, secrets []kubeletconfig.ImagePullSecret, sa *kubeletconfig.ImagePullServiceAccount, credErr error) (bool, error) {
	return m.MustAttemptImagePull(ctx, image, imageRef, func() ([]kubeletconfig.ImagePullSecret, *kubeletconfig.ImagePullServiceAccount, error) {
		if credErr != nil {
			return nil, nil, credErr
		}
		return secrets, sa, nil
	})
}

func recordPullIntent(m *pullmanager.PullManager, image string) error {
	return m.RecordPullIntent(image)
}

func recordImagePulled(m *pullmanager.PullManager, image, imageRef string, creds *kubeletconfig.ImagePullCredentials) {
	m.RecordImagePulled(ctx, image, imageRef, creds)
}

// setUsernsGates: 1.35 has UserNamespacesHostNetworkSupport (alpha); the Pod Security Standards
// gate of 1.33 and 1.34 is gone (the relaxations belong to policy version 1.35).
func setUsernsGates(gates map[string]bool) error {
	return utilfeature.DefaultMutableFeatureGate.SetFromMap(map[string]bool{
		"UserNamespacesHostNetworkSupport": gates["UserNamespacesHostNetworkSupport"],
	})
}

// newPodSecurityEvaluator as the 1.35 podsecurity plugin creates it: the default checks, emulating
// the API server's own release.
func newPodSecurityEvaluator(map[string]bool) (policy.Evaluator, error) {
	emulation := psaapi.MajorMinorVersion(1, 35)
	return policy.NewEvaluator(policy.DefaultChecks(), &emulation)
}
