package cloudformation

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// NotEmulated lists, sorted and once each, the resource types in any stack
// that nothing local serves.
func (a *Assembly) NotEmulated() []string {
	return a.union(func(s *Stack) []string { return s.NotEmulated })
}

// Notes lists, sorted and once each, the notes of every stack (Stack.Notes).
func (a *Assembly) Notes() []string {
	return a.union(func(s *Stack) []string { return s.Notes })
}

func (a *Assembly) union(of func(*Stack) []string) []string {
	seen := map[string]bool{}
	for _, s := range a.Stacks {
		for _, v := range of(s) {
			seen[v] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// Outputs maps stack name → output key → value, the shape of
// `cdk deploy --outputs-file`. Every stack has an entry, maybe empty.
func (a *Assembly) Outputs() map[string]map[string]string {
	out := make(map[string]map[string]string, len(a.Stacks))
	for _, s := range a.Stacks {
		m := make(map[string]string, len(s.Outputs))
		for _, o := range s.Outputs {
			m[o.Key] = o.Value
		}
		out[s.Name] = m
	}
	return out
}

// WriteOutputsFile writes Outputs as JSON to path, atomically (a reader never
// sees a partial file), indented like the CDK CLI's.
func (a *Assembly) WriteOutputsFile(path string) error {
	data, err := json.MarshalIndent(a.Outputs(), "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write outputs file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write outputs file: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write outputs file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write outputs file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write outputs file: %w", err)
	}
	return nil
}
