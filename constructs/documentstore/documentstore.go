// Package documentstore defines the bucket that holds the documents to sign:
// versioned, so a run can pin the exact bytes it signs; encrypted; reachable
// over TLS only; never public.
package documentstore

import (
	"cmp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/hitl-go/docsign/internal/contract"
)

// StoreProps configures a Store.
type StoreProps struct {
	// RemovalPolicy of the bucket; default destroy, which CloudFormation
	// carries out only once the bucket is empty (every version deleted).
	RemovalPolicy awscdk.RemovalPolicy
}

// Store is the document bucket.
type Store struct {
	constructs.Construct
	// Bucket holds documents/<documentId>, every version kept.
	Bucket awss3.Bucket
}

// NewStore defines the document bucket.
func NewStore(scope constructs.Construct, id *string, props *StoreProps) *Store {
	if props == nil {
		props = &StoreProps{}
	}
	this := constructs.NewConstruct(scope, id)
	bucket := awss3.NewBucket(this, jsii.String("Bucket"), &awss3.BucketProps{
		Versioned: jsii.Bool(true),
		// SSE-KMS with the AWS managed key (aws/s3), a bucket key to keep
		// KMS requests few: no key of the account's own to manage.
		Encryption:       awss3.BucketEncryption_KMS_MANAGED,
		BucketKeyEnabled: jsii.Bool(true),
		// Pinned versions must outlive every run that may sign them, so no
		// version ever expires; only abandoned multipart uploads are cleared.
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("abort-incomplete-uploads"),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(7)),
		}},
		EnforceSSL:        jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		RemovalPolicy:     cmp.Or(props.RemovalPolicy, awscdk.RemovalPolicy_DESTROY),
	})
	return &Store{Construct: this, Bucket: bucket}
}

// documents is the ARN pattern of every document's object.
func (s *Store) documents() *string {
	return s.Bucket.ArnForObjects(jsii.String(contract.DocumentKeyPrefix + "*"))
}

// GrantPin lets grantee read the current version of documents
// (s3:GetObject on documents/*) and tell a missing one (see grantList).
func (s *Store) GrantPin(grantee awsiam.IGrantable) {
	s.grant(grantee, "s3:GetObject")
	s.grantList(grantee)
}

// GrantReadVersion lets grantee read a given version of documents
// (s3:GetObjectVersion on documents/*), to check a pinned version, and tell
// a missing one (see grantList).
func (s *Store) GrantReadVersion(grantee awsiam.IGrantable) {
	s.GrantReadVersionUnlisted(grantee)
	s.grantList(grantee)
}

// GrantReadVersionUnlisted lets grantee read a given version of documents
// (s3:GetObjectVersion on documents/*, which HeadObject of a version needs
// too; S3 has no metadata-only action) without s3:ListBucket: for a reader
// to whom a missing version is no different from a failed read, and who must
// not list the document ids.
func (s *Store) GrantReadVersionUnlisted(grantee awsiam.IGrantable) {
	s.grant(grantee, "s3:GetObjectVersion")
}

// GrantUpload lets grantee store documents (s3:PutObject on documents/*);
// each upload is a new version, so it never changes what a run pinned.
func (s *Store) GrantUpload(grantee awsiam.IGrantable) {
	s.grant(grantee, "s3:PutObject")
}

// grantList grants s3:ListBucket on the bucket: without it S3 answers a
// read of a missing object with 403 AccessDenied rather than 404, and the
// functions could not tell DocumentNotFound or DocumentChanged from a
// failure to retry. A condition on s3:prefix would not apply to that
// check, and the bucket holds documents only.
func (s *Store) grantList(grantee awsiam.IGrantable) {
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("s3:ListBucket"),
		ResourceArns: jsii.Strings(*s.Bucket.BucketArn()),
	})
}

func (s *Store) grant(grantee awsiam.IGrantable, actions ...string) awsiam.Grant {
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings(actions...),
		ResourceArns: jsii.Strings(*s.documents()),
	})
}
