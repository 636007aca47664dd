package cloudformation

// Table is an AWS::DynamoDB::Table (or AWS::DynamoDB::GlobalTable) as the
// local stack creates it.
type Table struct {
	LogicalID string
	Type      string
	Name      string
	ARN       string
	// StreamARN is set when the template enables a stream (not emulated).
	StreamARN            string
	KeySchema            []KeyElement
	AttributeDefinitions []AttributeDefinition
	// BillingMode is "PROVISIONED" (CloudFormation's default) or "PAY_PER_REQUEST".
	BillingMode string
	// ProvisionedThroughput is nil when the template gives none (on-demand
	// tables, or a global table's auto scaling settings).
	ProvisionedThroughput  *Throughput
	GlobalSecondaryIndexes []SecondaryIndex
	LocalSecondaryIndexes  []SecondaryIndex
	// TTL is the TimeToLiveSpecification, nil if the template has none.
	TTL *TTL
	// PointInTimeRecovery reports PointInTimeRecoveryEnabled (for a global
	// table, of the replica in this region).
	PointInTimeRecovery bool
}

// KeyElement is one entry of a key schema; KeyType is "HASH" or "RANGE".
type KeyElement struct {
	AttributeName string
	KeyType       string
}

// AttributeDefinition declares a key attribute; AttributeType is "S", "N" or "B".
type AttributeDefinition struct {
	AttributeName string
	AttributeType string
}

// SecondaryIndex is a global or local secondary index.
type SecondaryIndex struct {
	IndexName             string
	KeySchema             []KeyElement
	Projection            Projection
	ProvisionedThroughput *Throughput
}

// Projection says which attributes an index copies; ProjectionType is
// "ALL", "KEYS_ONLY" or "INCLUDE".
type Projection struct {
	ProjectionType   string
	NonKeyAttributes []string
}

// Throughput is provisioned capacity.
type Throughput struct {
	ReadCapacityUnits  int64
	WriteCapacityUnits int64
}

// TTL is a table's time-to-live setting.
type TTL struct {
	AttributeName string
	Enabled       bool
}

// cfnTable holds the properties of both table types that the view reads.
type cfnTable struct {
	KeySchema               []KeyElement
	AttributeDefinitions    []AttributeDefinition
	BillingMode             string
	ProvisionedThroughput   *cfnThroughput
	GlobalSecondaryIndexes  []cfnIndex
	LocalSecondaryIndexes   []cfnIndex
	TimeToLiveSpecification *struct {
		AttributeName string
		Enabled       flexBool
	}
	PointInTimeRecoverySpecification *cfnPITR
	StreamSpecification              *struct{ StreamViewType string }
	Replicas                         []struct {
		Region                           string
		PointInTimeRecoverySpecification *cfnPITR
	}
}

type cfnPITR struct{ PointInTimeRecoveryEnabled flexBool }

type cfnIndex struct {
	IndexName             string
	KeySchema             []KeyElement
	Projection            Projection
	ProvisionedThroughput *cfnThroughput
}

type cfnThroughput struct{ ReadCapacityUnits, WriteCapacityUnits flexInt }

func (t *cfnThroughput) view() *Throughput {
	if t == nil {
		return nil
	}
	return &Throughput{ReadCapacityUnits: int64(t.ReadCapacityUnits), WriteCapacityUnits: int64(t.WriteCapacityUnits)}
}

func indexViews(in []cfnIndex) []SecondaryIndex {
	var out []SecondaryIndex
	for _, ix := range in {
		out = append(out, SecondaryIndex{
			IndexName: ix.IndexName, KeySchema: ix.KeySchema,
			Projection: ix.Projection, ProvisionedThroughput: ix.ProvisionedThroughput.view(),
		})
	}
	return out
}

func (r *resolver) table(id string) (Table, error) {
	var p cfnTable
	_, path, err := r.properties(id, &p)
	if err != nil {
		return Table{}, err
	}
	if len(p.KeySchema) == 0 {
		return Table{}, r.errorf(path+".KeySchema", ErrMalformed, "missing")
	}
	name, err := r.physicalName(id, path)
	if err != nil {
		return Table{}, err
	}
	arn, _ := r.attribute(id, "Arn", path)
	t := Table{
		LogicalID: id, Type: r.t.resources[id].Type, Name: name, ARN: arn.(string),
		KeySchema: p.KeySchema, AttributeDefinitions: p.AttributeDefinitions,
		BillingMode:            p.BillingMode,
		ProvisionedThroughput:  p.ProvisionedThroughput.view(),
		GlobalSecondaryIndexes: indexViews(p.GlobalSecondaryIndexes),
		LocalSecondaryIndexes:  indexViews(p.LocalSecondaryIndexes),
		PointInTimeRecovery:    r.pitr(p),
	}
	if t.BillingMode == "" {
		t.BillingMode = "PROVISIONED"
	}
	if s := p.TimeToLiveSpecification; s != nil {
		t.TTL = &TTL{AttributeName: s.AttributeName, Enabled: bool(s.Enabled)}
	}
	if p.StreamSpecification != nil {
		t.StreamARN = t.ARN + "/stream/" + streamLabel
	}
	return t, nil
}

// pitr reads point-in-time recovery from the table, or from a global
// table's replica in this region (else its first replica).
func (r *resolver) pitr(p cfnTable) bool {
	spec := p.PointInTimeRecoverySpecification
	for i, rep := range p.Replicas {
		if rep.Region == r.env.region || (i == 0 && spec == nil) {
			spec = rep.PointInTimeRecoverySpecification
		}
	}
	return spec != nil && bool(spec.PointInTimeRecoveryEnabled)
}
