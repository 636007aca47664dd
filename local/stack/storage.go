package stack

import (
	"fmt"
	"path/filepath"

	"github.com/hitl-go/docsign/local/kms"
	"github.com/hitl-go/docsign/local/s3"
)

// startS3 serves every stack's buckets, their objects under DataDir/s3
// (in memory with InMemory).
func (s *Stack) startS3() error {
	var buckets []s3.Bucket
	for _, st := range s.assembly.Stacks {
		for _, b := range st.Buckets {
			buckets = append(buckets, s3.Bucket{LogicalID: st.Name + "/" + b.LogicalID, Name: b.Name, Versioned: b.Versioned})
		}
	}
	svc, err := s3.New(s3.Options{Buckets: buckets, Dir: s.serviceDir("s3")})
	if err != nil {
		return fmt.Errorf("S3: %w", err)
	}
	s.s3 = svc
	return nil
}

// startKMS serves every stack's keys, their private keys under DataDir/kms
// (in memory with InMemory: signatures then do not verify after a restart).
//
// A key the local KMS cannot serve (it signs with ECC_NIST_P256 keys only)
// is left out with a note rather than refused: templates commonly hold
// symmetric keys for encryption at rest (S3, SNS, DynamoDB), which nothing
// local calls, and the whole stack should not fail to start for them. A call
// naming such a key gets NotFoundException.
func (s *Stack) startKMS() error {
	var keys []kms.Key
	for _, st := range s.assembly.Stacks {
		for _, k := range st.Keys {
			if !kms.Serves(k.KeySpec, k.KeyUsage) {
				s.notes = append(s.notes, fmt.Sprintf("KMS key %s/%s (%s, %s) is not served: the local KMS serves ECC_NIST_P256 SIGN_VERIFY keys only",
					st.Name, k.LogicalID, k.KeySpec, k.KeyUsage))
				continue
			}
			keys = append(keys, kms.Key{LogicalID: st.Name + "/" + k.LogicalID, ARN: k.ARN,
				KeySpec: k.KeySpec, KeyUsage: k.KeyUsage, Description: k.Description})
		}
	}
	svc, err := kms.New(kms.Options{Keys: keys, Dir: s.serviceDir("kms"), Logger: s.logger("[kms] ")})
	if err != nil {
		return fmt.Errorf("KMS: %w", err)
	}
	s.kms = svc
	return nil
}

// serviceDir is where a service keeps its data: DataDir/<name>, or "" (in
// memory) with InMemory.
func (s *Stack) serviceDir(name string) string {
	if s.opts.InMemory {
		return ""
	}
	return filepath.Join(s.opts.DataDir, name)
}
