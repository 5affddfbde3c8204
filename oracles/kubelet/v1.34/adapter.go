// The 1.34 API of the pull manager: no context or logger arguments, and the check takes the
// pod's credentials as values.
package main

import (
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/pod-security-admission/policy"
	kubeletconfig "k8s.io/kubernetes/pkg/kubelet/apis/config"
	"k8s.io/kubernetes/pkg/kubelet/images/pullmanager"
)

const kubeletMinor = "1.34"

func newFSAccessor(root string) (pullmanager.PullRecordsAccessor, error) {
	return pullmanager.NewFSPullRecordsAccessor(root)
}

func writeIntent(acc pullmanager.PullRecordsAccessor, image string) error {
	return acc.WriteImagePullIntent(image)
}

func writeRecord(acc pullmanager.PullRecordsAccessor, record *kubeletconfig.ImagePulledRecord) error {
	return acc.WriteImagePulledRecord(record)
}

// mustAttempt: 1.34 builds the pod's keyring before the check (images/image_manager.go), so a
// failing credential lookup fails the container's image step with that error and the check is
// never made.
func mustAttempt(m *pullmanager.PullManager, image, imageRef string, secrets []kubeletconfig.ImagePullSecret, sa *kubeletconfig.ImagePullServiceAccount, credErr error) (bool, error) {
	if credErr != nil {
		return true, credErr
	}
	return m.MustAttemptImagePull(image, imageRef, secrets, sa), nil
}

func recordPullIntent(m *pullmanager.PullManager, image string) error {
	return m.RecordPullIntent(image)
}

func recordImagePulled(m *pullmanager.PullManager, image, imageRef string, creds *kubeletconfig.ImagePullCredentials) {
	m.RecordImagePulled(image, imageRef, creds)
}

// setUsernsGates: 1.34 has UserNamespacesPodSecurityStandards (alpha); host networking with
// user namespaces came in 1.35.
func setUsernsGates(gates map[string]bool) error {
	return utilfeature.DefaultMutableFeatureGate.SetFromMap(map[string]bool{
		"UserNamespacesPodSecurityStandards": gates["UserNamespacesPodSecurityStandards"],
	})
}

// newPodSecurityEvaluator as the 1.34 podsecurity plugin: the default checks, and the
// user-namespace relaxations switched by the gate (a package-wide setting in this release).
func newPodSecurityEvaluator(gates map[string]bool) (policy.Evaluator, error) {
	policy.RelaxPolicyForUserNamespacePods(gates["UserNamespacesPodSecurityStandards"])
	return policy.NewEvaluator(policy.DefaultChecks())
}
