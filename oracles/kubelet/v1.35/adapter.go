// The 1.35 API of the pull manager: contexts on the manager, and the check looks the pod's
// credentials up lazily through a GetPodCredentials function.
package main

import (
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
