package main

import (
	"context"

	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
	"k8s.io/kubernetes/pkg/credentialprovider"
	kubecontainer "k8s.io/kubernetes/pkg/kubelet/container"
)

var _ kubecontainer.ImageService = stubImageService{}

func (stubImageService) PullImage(context.Context, kubecontainer.ImageSpec, []credentialprovider.TrackedAuthConfig, *runtimeapi.PodSandboxConfig) (string, *credentialprovider.TrackedAuthConfig, error) {
	return "", nil, nil
}

func (stubImageService) GetImageRef(context.Context, kubecontainer.ImageSpec) (string, error) {
	return "", nil
}

func (stubImageService) ListImages(context.Context) ([]kubecontainer.Image, error) { return nil, nil }

func (stubImageService) RemoveImage(context.Context, kubecontainer.ImageSpec) error { return nil }

func (stubImageService) ImageStats(context.Context) (*kubecontainer.ImageStats, error) {
	return &kubecontainer.ImageStats{}, nil
}

func (stubImageService) ImageFsInfo(context.Context) (*runtimeapi.ImageFsInfoResponse, error) {
	return &runtimeapi.ImageFsInfoResponse{}, nil
}

func (stubImageService) GetImageSize(context.Context, kubecontainer.ImageSpec) (uint64, error) {
	return 0, nil
}
