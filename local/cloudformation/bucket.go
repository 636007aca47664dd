package cloudformation

import "slices"

// Bucket is an AWS::S3::Bucket as the local stack serves it.
type Bucket struct {
	LogicalID string
	// Name is BucketName, else a generated "<stack>-<logicalid>-<suffix>",
	// lower-cased and at most 63 characters, as CloudFormation names buckets.
	Name string
	ARN  string // arn:<partition>:s3:::<Name>
	// Versioned reports VersioningConfiguration.Status Enabled ("Suspended",
	// or none, is an unversioned bucket).
	Versioned bool
}

type cfnBucket struct {
	VersioningConfiguration *struct{ Status string }
}

func (r *resolver) bucket(id string) (Bucket, error) {
	var p cfnBucket
	_, path, err := r.properties(id, &p)
	if err != nil {
		return Bucket{}, err
	}
	name, err := r.physicalName(id, path)
	if err != nil {
		return Bucket{}, err
	}
	b := Bucket{LogicalID: id, Name: name, ARN: r.bucketARN(name)}
	if v := p.VersioningConfiguration; v != nil {
		switch v.Status {
		case "Enabled":
			b.Versioned = true
		case "Suspended":
		default:
			return Bucket{}, r.errorf(path+".VersioningConfiguration.Status", ErrMalformed, "%q: want Enabled or Suspended", v.Status)
		}
	}
	return b, nil
}

func (r *resolver) bucketARN(name string) string {
	return "arn:" + r.env.partition() + ":s3:::" + name
}

// websiteDashRegions are the regions whose website endpoints are
// "s3-website-<region>" rather than "s3-website.<region>" (Amazon S3
// website endpoints, in the S3 user guide).
var websiteDashRegions = []string{
	"us-east-1", "us-west-1", "us-west-2", "ap-southeast-1", "ap-southeast-2",
	"ap-northeast-1", "eu-west-1", "sa-east-1", "us-gov-west-1",
}

// bucketAttribute answers the attributes CloudFormation documents for a
// bucket, with AWS's host names: the local endpoint serves buckets by path.
func (r *resolver) bucketAttribute(name, attr string) (string, bool) {
	region, suffix := r.env.region, r.env.urlSuffix()
	switch attr {
	case "Arn":
		return r.bucketARN(name), true
	case "DomainName":
		return name + ".s3." + suffix, true
	case "RegionalDomainName":
		return name + ".s3." + region + "." + suffix, true
	case "DualStackDomainName":
		return name + ".s3.dualstack." + region + "." + suffix, true
	case "WebsiteURL":
		sep := "."
		if slices.Contains(websiteDashRegions, region) {
			sep = "-"
		}
		return "http://" + name + ".s3-website" + sep + region + "." + suffix, true
	}
	return "", false
}
