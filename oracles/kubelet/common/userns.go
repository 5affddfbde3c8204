// KEP-127 (user namespaces) as the API server of the same release decides it: the op
// "userns_validate" (see main.go's package comment).
//
// A pod is created the way the API server creates one: decoded as a v1.Pod, defaulted
// (SetObjectDefaults_Pod), converted to the internal type, stripped of disabled fields
// (DropDisabledPodFields, as the pod strategy's PrepareForCreate does), and validated by
// ValidatePodCreate with the options the pod strategy's Validate computes. Every error is
// answered; the caller picks the ones it models. Pod Security Admission's evaluator (with the
// default checks, created as the podsecurity admission plugin creates it) judges the defaulted
// v1 pod at the given level and version, once as it is and once with spec.hostUsers removed, so
// that the caller sees which refusals user namespaces lift.
package main

import (
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	api "k8s.io/kubernetes/pkg/apis/core"
	podutil "k8s.io/kubernetes/pkg/api/pod"
	k8sv1 "k8s.io/kubernetes/pkg/apis/core/v1"
	"k8s.io/kubernetes/pkg/apis/core/validation"
	psaapi "k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

type fieldErrorAnswer struct {
	Field   string `json:"field"`
	Type    string `json:"type"`
	Detail  string `json:"detail"`
	Message string `json:"message"`
}

type podSecurityAnswer struct {
	Allowed bool     `json:"allowed"`
	Reasons []string `json:"reasons"`
	Details []string `json:"details"`
}

type usernsAnswer struct {
	Errors []fieldErrorAnswer `json:"errors"`
	// Absent without "pod_security" in the request.
	PodSecurity            *podSecurityAnswer `json:"pod_security,omitempty"`
	PodSecurityWithoutUser *podSecurityAnswer `json:"pod_security_without_userns,omitempty"`
}

type usernsRequest struct {
	Pod          json.RawMessage `json:"pod"`
	FeatureGates map[string]bool `json:"feature_gates"`
	PodSecurity  *struct {
		Level   string `json:"level"`
		Version string `json:"version"`
	} `json:"pod_security"`
}

func opUsernsValidate(line []byte) (any, error) {
	var req usernsRequest
	if err := json.Unmarshal(line, &req); err != nil {
		return nil, fmt.Errorf("bad request: %w", err)
	}
	var pod corev1.Pod
	if err := json.Unmarshal(req.Pod, &pod); err != nil {
		return nil, fmt.Errorf("pod: %w", err)
	}
	// Gates this release does not have are off, as they are for its API server.
	if err := setUsernsGates(req.FeatureGates); err != nil {
		return nil, err
	}

	k8sv1.SetObjectDefaults_Pod(&pod)
	var internal api.Pod
	if err := k8sv1.Convert_v1_Pod_To_core_Pod(&pod, &internal, nil); err != nil {
		return nil, fmt.Errorf("converting the pod: %w", err)
	}
	podutil.DropDisabledPodFields(&internal, nil)
	opts := podutil.GetValidationOptionsFromPodSpecAndMeta(&internal.Spec, nil, &internal.ObjectMeta, nil)
	opts.ResourceIsPod = true
	answer := usernsAnswer{Errors: []fieldErrorAnswer{}}
	for _, e := range validation.ValidatePodCreate(&internal, opts) {
		answer.Errors = append(answer.Errors, fieldErrorAnswer{
			Field: e.Field, Type: string(e.Type), Detail: e.Detail, Message: e.Error(),
		})
	}

	if req.PodSecurity != nil {
		level, err := psaapi.ParseLevel(req.PodSecurity.Level)
		if err != nil {
			return nil, err
		}
		version, err := psaapi.ParseVersion(req.PodSecurity.Version)
		if err != nil {
			return nil, err
		}
		evaluator, err := newPodSecurityEvaluator(req.FeatureGates)
		if err != nil {
			return nil, err
		}
		judge := func(p *corev1.Pod) *podSecurityAnswer {
			agg := policy.AggregateCheckResults(evaluator.EvaluatePod(
				psaapi.LevelVersion{Level: level, Version: version}, &p.ObjectMeta, &p.Spec))
			return &podSecurityAnswer{
				Allowed: agg.Allowed,
				Reasons: append([]string{}, agg.ForbiddenReasons...),
				Details: append([]string{}, agg.ForbiddenDetails...),
			}
		}
		answer.PodSecurity = judge(&pod)
		without := pod.DeepCopy()
		without.Spec.HostUsers = nil
		answer.PodSecurityWithoutUser = judge(without)
	}
	return answer, nil
}
