// Command vouch-pull-check embeds libvouch through cgo the way a container runtime such as
// CRI-O would: it reads the node's containers-policy.json and the key files it names once,
// compiles them into one evaluator, and then decides every pull with that evaluator, from
// several goroutines at once.
//
// Each line of standard input is the image half of an evaluation request
// (docs/interchange.md without policy and files): what the runtime knows when it pulls, namely
// the transport, the reference, the manifest and the signatures. Each line of standard output
// is the decision, in input order, byte-identical to what `vouch eval` writes for the whole
// request. The compile report goes to standard error.
//
//	PKG_CONFIG_PATH=<prefix>/lib/pkgconfig go build -o vouch-pull-check .
//	vouch-pull-check --policy /etc/containers/policy.json < pulls.jsonl
package main

/*
#cgo pkg-config: --static vouch
#include <stdlib.h>
#include "vouch.h"
*/
import "C"

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"sync"
	"unsafe"
)

// Evaluator is a compiled policy. It is safe for concurrent use; Close releases it.
type Evaluator struct {
	handle *C.vouch_evaluator
}

// statusError turns a vouch_status into an error carrying the library's message.
func statusError(status C.vouch_status) error {
	buf := make([]byte, 256)
	var n C.size_t
	if C.vouch_status_message(C.uint32_t(status), (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &n) != C.VOUCH_STATUS_OK {
		return fmt.Errorf("vouch status %d", status)
	}
	return fmt.Errorf("vouch status %d: %s", status, buf[:n])
}

// input gives C a pointer to b's bytes (Go memory without Go pointers may be passed to C for
// the duration of a call) and its length.
func input(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// call runs one buffer-convention function, growing the buffer to the size vouch asks for.
func call(f func(out *C.uint8_t, capacity C.size_t, outLen *C.size_t) C.vouch_status) ([]byte, error) {
	buf := make([]byte, 8192)
	for {
		var n C.size_t
		status := f((*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &n)
		switch status {
		case C.VOUCH_STATUS_OK:
			return buf[:n], nil
		case C.VOUCH_STATUS_BUFFER_TOO_SMALL:
			buf = make([]byte, int(n))
		default:
			return nil, statusError(status)
		}
	}
}

// NewEvaluator compiles the policy half of a request: {"policy_base64": ..., "files": {...}}.
func NewEvaluator(policyHalf []byte) (*Evaluator, error) {
	var handle *C.vouch_evaluator
	ptr, n := input(policyHalf)
	if status := C.vouch_evaluator_new(ptr, n, &handle); status != C.VOUCH_STATUS_OK {
		return nil, statusError(status)
	}
	runtime.KeepAlive(policyHalf)
	return &Evaluator{handle: handle}, nil
}

// Report is what compiling found: whether the policy was accepted, the files it names.
type Report struct {
	Accepted     bool     `json:"accepted"`
	ErrorKind    string   `json:"error_kind"`
	Error        string   `json:"error"`
	FilesNeeded  []string `json:"files_needed"`
	FilesMissing []string `json:"files_missing"`
}

// Report returns the compile report.
func (e *Evaluator) Report() (Report, []byte, error) {
	var report Report
	raw, err := call(func(out *C.uint8_t, capacity C.size_t, outLen *C.size_t) C.vouch_status {
		return C.vouch_evaluator_report(e.handle, out, capacity, outLen)
	})
	if err != nil {
		return report, nil, err
	}
	err = json.Unmarshal(raw, &report)
	return report, raw, err
}

// Evaluate decides the image half of a request and returns the decision JSON.
func (e *Evaluator) Evaluate(imageHalf []byte) ([]byte, error) {
	ptr, n := input(imageHalf)
	decision, err := call(func(out *C.uint8_t, capacity C.size_t, outLen *C.size_t) C.vouch_status {
		return C.vouch_evaluator_evaluate(e.handle, ptr, n, out, capacity, outLen)
	})
	runtime.KeepAlive(imageHalf)
	return decision, err
}

// Close releases the evaluator; no call may be using it.
func (e *Evaluator) Close() {
	C.vouch_evaluator_free(e.handle)
	e.handle = nil
}

// compileNodePolicy reads the policy file, then every file it names, and compiles them. A
// named file that does not exist is left out: vouch then treats it as missing, as
// containers/image would, and the report lists it.
func compileNodePolicy(path string) (*Evaluator, error) {
	policy, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	half := map[string]interface{}{"policy_base64": base64.StdEncoding.EncodeToString(policy)}
	first, err := NewEvaluator(mustJSON(half))
	if err != nil {
		return nil, err
	}
	report, _, err := first.Report()
	first.Close()
	if err != nil {
		return nil, err
	}
	files := map[string]string{}
	for _, name := range report.FilesNeeded {
		data, err := os.ReadFile(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		files[name] = base64.StdEncoding.EncodeToString(data)
	}
	half["files"] = files
	return NewEvaluator(mustJSON(half))
}

func mustJSON(v interface{}) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func main() {
	policyPath := flag.String("policy", "/etc/containers/policy.json", "the containers-policy.json(5) file")
	workers := flag.Int("workers", 4, "pulls decided at once")
	flag.Parse()

	evaluator, err := compileNodePolicy(*policyPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vouch-pull-check:", err)
		os.Exit(1)
	}
	defer evaluator.Close()
	report, raw, err := evaluator.Report()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vouch-pull-check:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "policy compiled: %s\n", raw)
	if !report.Accepted {
		fmt.Fprintln(os.Stderr, "vouch-pull-check: the policy was rejected; every pull will be denied:", report.Error)
	}

	var pulls [][]byte
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 96<<20)
	for scanner.Scan() {
		pulls = append(pulls, append([]byte(nil), scanner.Bytes()...))
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "vouch-pull-check:", err)
		os.Exit(1)
	}

	decisions := make([][]byte, len(pulls))
	failures := make([]error, len(pulls))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				decisions[i], failures[i] = evaluator.Evaluate(pulls[i])
			}
		}()
	}
	for i := range pulls {
		next <- i
	}
	close(next)
	wg.Wait()

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for i, decision := range decisions {
		if failures[i] != nil {
			fmt.Fprintln(os.Stderr, "vouch-pull-check:", failures[i])
			out.Flush()
			os.Exit(1)
		}
		out.Write(decision)
		out.WriteByte('\n')
	}
}
