package dynamodb

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/local/cloudformation"
)

// createTableInput translates a template table into a CreateTable request.
func createTableInput(t cloudformation.Table) *ddb.CreateTableInput {
	provisioned := t.BillingMode != string(types.BillingModePayPerRequest)
	in := &ddb.CreateTableInput{
		TableName:   aws.String(t.Name),
		KeySchema:   keySchema(t.KeySchema),
		BillingMode: types.BillingMode(t.BillingMode),
	}
	for _, a := range t.AttributeDefinitions {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
			AttributeName: aws.String(a.AttributeName),
			AttributeType: types.ScalarAttributeType(a.AttributeType),
		})
	}
	if provisioned {
		in.ProvisionedThroughput = throughput(t.ProvisionedThroughput)
	}
	for _, ix := range t.GlobalSecondaryIndexes {
		g := types.GlobalSecondaryIndex{
			IndexName:  aws.String(ix.IndexName),
			KeySchema:  keySchema(ix.KeySchema),
			Projection: projection(ix.Projection),
		}
		if provisioned {
			g.ProvisionedThroughput = throughput(ix.ProvisionedThroughput)
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, g)
	}
	for _, ix := range t.LocalSecondaryIndexes {
		in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, types.LocalSecondaryIndex{
			IndexName:  aws.String(ix.IndexName),
			KeySchema:  keySchema(ix.KeySchema),
			Projection: projection(ix.Projection),
		})
	}
	return in
}

func keySchema(ks []cloudformation.KeyElement) []types.KeySchemaElement {
	out := make([]types.KeySchemaElement, 0, len(ks))
	for _, k := range ks {
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(k.AttributeName), KeyType: types.KeyType(k.KeyType)})
	}
	return out
}

func projection(p cloudformation.Projection) *types.Projection {
	return &types.Projection{ProjectionType: types.ProjectionType(p.ProjectionType), NonKeyAttributes: p.NonKeyAttributes}
}

func throughput(t *cloudformation.Throughput) *types.ProvisionedThroughput {
	if t == nil {
		return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(defaultCapacity), WriteCapacityUnits: aws.Int64(defaultCapacity)}
	}
	return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(t.ReadCapacityUnits), WriteCapacityUnits: aws.Int64(t.WriteCapacityUnits)}
}
