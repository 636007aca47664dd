package cloudformation

import "fmt"

// Key is an AWS::KMS::Key with CloudFormation's defaults filled in.
type Key struct {
	LogicalID string
	// ID is the key ID (what Ref returns): a UUID derived from the stack
	// name and logical ID, so a restart keeps the key and its material.
	ID  string
	ARN string // arn:<partition>:kms:<region>:<account>:key/<ID>
	// KeySpec defaults to SYMMETRIC_DEFAULT and KeyUsage to ENCRYPT_DECRYPT,
	// as in CloudFormation.
	KeySpec     string
	KeyUsage    string
	Description string
	// Enabled is false only when the template says so.
	Enabled bool
}

type cfnKey struct {
	KeySpec, KeyUsage, Description string
	Enabled                        *flexBool
	MultiRegion                    flexBool
}

// key reads a KMS key; what the local KMS does not honour becomes a note.
func (r *resolver) key(id string) (Key, []string, error) {
	var p cfnKey
	_, path, err := r.properties(id, &p)
	if err != nil {
		return Key{}, nil, err
	}
	keyID, err := r.physicalName(id, path)
	if err != nil {
		return Key{}, nil, err
	}
	k := Key{
		LogicalID: id, ID: keyID, ARN: r.keyARN(keyID),
		KeySpec: p.KeySpec, KeyUsage: p.KeyUsage, Description: p.Description,
		Enabled: p.Enabled == nil || bool(*p.Enabled),
	}
	if k.KeySpec == "" {
		k.KeySpec = "SYMMETRIC_DEFAULT"
	}
	if k.KeyUsage == "" {
		k.KeyUsage = "ENCRYPT_DECRYPT"
	}
	var notes []string
	if !k.Enabled {
		notes = append(notes, fmt.Sprintf("KMS key %s is disabled in the template (Enabled: false); the local KMS serves it enabled", id))
	}
	if p.MultiRegion {
		notes = append(notes, fmt.Sprintf("KMS key %s is multi-Region; the local KMS serves it as a single-Region key with a UUID key ID", id))
	}
	return k, notes, nil
}

func (r *resolver) keyARN(id string) string {
	return r.env.arn("kms", r.env.region, "key/"+id)
}
