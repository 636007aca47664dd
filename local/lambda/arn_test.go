package lambda

import (
	"errors"
	"testing"
)

func TestParseFunctionRef(t *testing.T) {
	tests := []struct {
		in      string
		want    functionRef
		wantErr bool
	}{
		{in: "fn", want: functionRef{Name: "fn"}},
		{in: "fn:$LATEST", want: functionRef{Name: "fn", Qualifier: "$LATEST"}},
		{in: "my_fn-2:live", want: functionRef{Name: "my_fn-2", Qualifier: "live"}},
		{in: "123456789012:function:fn", want: functionRef{Account: "123456789012", Name: "fn"}},
		{in: "123456789012:function:fn:7", want: functionRef{Account: "123456789012", Name: "fn", Qualifier: "7"}},
		{in: "arn:aws:lambda:us-east-1:000000000000:function:fn",
			want: functionRef{Partition: "aws", Region: "us-east-1", Account: "000000000000", Name: "fn"}},
		{in: "arn:aws-cn:lambda:cn-north-1:000000000000:function:fn:$LATEST",
			want: functionRef{Partition: "aws-cn", Region: "cn-north-1", Account: "000000000000", Name: "fn", Qualifier: "$LATEST"}},
		{in: "arn:aws-us-gov:lambda:us-gov-west-1:000000000000:function:fn",
			want: functionRef{Partition: "aws-us-gov", Region: "us-gov-west-1", Account: "000000000000", Name: "fn"}},
		{in: "", wantErr: true},
		{in: "fn:", wantErr: true},
		{in: "fn:a:b", wantErr: true},
		{in: "has space", wantErr: true},
		{in: "12345:function:fn", wantErr: true},
		{in: ":function:fn", wantErr: true},
		{in: "arn:aws:lambda:us-east-1::function:fn", wantErr: true},
		{in: "arn:aws:s3:us-east-1:000000000000:function:fn", wantErr: true},
		{in: "arn:aws:lambda:us-east-1:000000000000:layer:fn", wantErr: true},
		{in: "arn:aws:lambda:nowhere:000000000000:function:fn", wantErr: true},
		{in: "arn:aws:lambda:us-east-1:000000000000:function:fn:1:2", wantErr: true},
		{in: "a234567890123456789012345678901234567890123456789012345678901234x", wantErr: true}, // 65 chars
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseFunctionRef(tt.in)
			var verr *ValidationError
			if tt.wantErr {
				if !errors.As(err, &verr) {
					t.Errorf("parseFunctionRef(%q) = %+v, %v; want a ValidationError", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("parseFunctionRef(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}
