package cloudformation

import (
	"reflect"
	"regexp"
	"testing"
)

func TestBuckets(t *testing.T) {
	s := parseFile(t, "testdata/storage.template.json", "Docs-Stack", Options{})
	if len(s.Buckets) != 3 {
		t.Fatalf("got %d buckets, want 3", len(s.Buckets))
	}
	long, docs, named := s.Buckets[0], s.Buckets[1], s.Buckets[2]
	want := Bucket{LogicalID: "DocumentsBucket9EC9DEB9", Name: docs.Name, ARN: "arn:aws:s3:::" + docs.Name, Versioned: true}
	if docs != want {
		t.Errorf("bucket:\n got %+v\nwant %+v", docs, want)
	}
	wantNamed := Bucket{LogicalID: "NamedBucket", Name: "named-000000000000", ARN: "arn:aws:s3:::named-000000000000"}
	if named != wantNamed {
		t.Errorf("named bucket (Suspended is unversioned):\n got %+v\nwant %+v", named, wantNamed)
	}
	checks := []struct{ what, got, pattern string }{
		{"generated name", docs.Name, `^docs-stack-documentsbucket9ec9deb9-[a-z0-9]{12}$`},
		{"long generated name", long.Name, `^docs-stack-averylonglogicalidforabucketthatoverflo-[a-z0-9]{12}$`},
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.pattern).MatchString(c.got) {
			t.Errorf("%s = %q, want a match for %s", c.what, c.got, c.pattern)
		}
	}
	if len(long.Name) > 63 {
		t.Errorf("generated bucket name %q is %d chars, over S3's 63", long.Name, len(long.Name))
	}
	again := parseFile(t, "testdata/storage.template.json", "Docs-Stack", Options{})
	if again.Buckets[1].Name != docs.Name {
		t.Errorf("bucket name changed between loads: %q then %q", docs.Name, again.Buckets[1].Name)
	}
}

func TestKeys(t *testing.T) {
	s := parseFile(t, "testdata/storage.template.json", "Docs-Stack", Options{Region: "eu-west-1", AccountID: "123456789012"})
	if len(s.Keys) != 2 {
		t.Fatalf("got %d keys, want 2", len(s.Keys))
	}
	disabled, signing := s.Keys[0], s.Keys[1]
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	if !uuid.MatchString(signing.ID) {
		t.Errorf("key ID %q is not a lower-case UUID", signing.ID)
	}
	want := Key{LogicalID: "SigningKey5E6F7A8B", ID: signing.ID,
		ARN:     "arn:aws:kms:eu-west-1:123456789012:key/" + signing.ID,
		KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY", Description: "Signs documents in Docs-Stack", Enabled: true}
	if signing != want {
		t.Errorf("key:\n got %+v\nwant %+v", signing, want)
	}
	wantDisabled := Key{LogicalID: "DisabledKey", ID: disabled.ID, ARN: "arn:aws:kms:eu-west-1:123456789012:key/" + disabled.ID,
		KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "ENCRYPT_DECRYPT"}
	if disabled != wantDisabled {
		t.Errorf("defaults:\n got %+v\nwant %+v", disabled, wantDisabled)
	}
	if disabled.ID == signing.ID {
		t.Errorf("two keys share the ID %s", signing.ID)
	}
	other := parseFile(t, "testdata/storage.template.json", "Other", Options{})
	if other.Keys[1].ID == signing.ID {
		t.Errorf("stacks Docs-Stack and Other share the key ID %s", signing.ID)
	}
	again := parseFile(t, "testdata/storage.template.json", "Docs-Stack", Options{})
	if again.Keys[1].ID != signing.ID {
		t.Errorf("key ID changed between loads: %s then %s", signing.ID, again.Keys[1].ID)
	}
	wantNotes := []string{
		"KMS key DisabledKey is disabled in the template (Enabled: false); the local KMS serves it enabled",
		"KMS key DisabledKey is multi-Region; the local KMS serves it as a single-Region key with a UUID key ID",
	}
	if !reflect.DeepEqual(s.Notes, wantNotes) {
		t.Errorf("Notes = %q, want %q", s.Notes, wantNotes)
	}
}

func TestStorageOutputs(t *testing.T) {
	s := parseFile(t, "testdata/storage.template.json", "Docs-Stack", Options{Region: "eu-central-1"})
	out := outputMap(s)
	name, key := s.Buckets[1].Name, s.Keys[1]
	want := map[string]string{
		"DocumentBucketName":           name,
		"DocumentBucketArn":            "arn:aws:s3:::" + name,
		"DocumentBucketDomain":         name + ".s3.amazonaws.com",
		"DocumentBucketRegionalDomain": name + ".s3.eu-central-1.amazonaws.com",
		"DocumentBucketWebsite":        "http://" + name + ".s3-website.eu-central-1.amazonaws.com",
		"DocumentObjects":              "arn:aws:s3:::" + name + "/documents/*",
		"SigningKeyArn":                key.ARN,
		"SigningKeyId":                 key.ID,
		"SigningKeyIdAtt":              key.ID,
		"AliasName":                    out["AliasName"], // not emulated: checked for shape below
	}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("outputs:\n got %q\nwant %q", out, want)
	}
	wantNotEmulated := []string{"AWS::KMS::Alias", "AWS::S3::BucketPolicy"}
	if !reflect.DeepEqual(s.NotEmulated, wantNotEmulated) {
		t.Errorf("NotEmulated = %q, want %q", s.NotEmulated, wantNotEmulated)
	}
	cn := parseFile(t, "testdata/storage.template.json", "Docs-Stack", Options{Region: "cn-north-1"})
	if got := outputMap(cn)["DocumentBucketArn"]; got != "arn:aws-cn:s3:::"+cn.Buckets[1].Name {
		t.Errorf("bucket ARN in cn-north-1 = %q, want the aws-cn partition", got)
	}
	us := parseFile(t, "testdata/storage.template.json", "Docs-Stack", Options{})
	if got, want := outputMap(us)["DocumentBucketWebsite"], "http://"+name+".s3-website-us-east-1.amazonaws.com"; got != want {
		t.Errorf("website URL in us-east-1 = %q, want %q", got, want)
	}
}

func TestBucketVersioningStatus(t *testing.T) {
	tmpl := `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "On"}}}}}`
	_, err := ParseTemplate("bad.template.json", []byte(tmpl), "S", Options{})
	if err == nil || !regexp.MustCompile(`Resources\.B\.Properties\.VersioningConfiguration\.Status.*"On": want Enabled or Suspended`).MatchString(err.Error()) {
		t.Errorf("err = %v, want the bad Status named", err)
	}
}
