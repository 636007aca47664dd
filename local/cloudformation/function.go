package cloudformation

import (
	"path/filepath"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
)

// assetPathMetadataKey is where CDK records a resource's staged asset.
const assetPathMetadataKey = "aws:asset:path"

// Function is an AWS::Lambda::Function with CloudFormation's defaults filled in.
type Function struct {
	LogicalID     string
	Name          string
	ARN           string
	Runtime       string
	Handler       string
	Description   string
	Timeout       time.Duration // default 3 s
	MemorySize    int           // MB, default 128
	Architectures []string      // default ["x86_64"]
	// Environment is Environment.Variables, resolved.
	Environment map[string]string
	// LogFormat is LoggingConfig.LogFormat: "Text" (default) or "JSON".
	LogFormat string
	// LogGroup is LoggingConfig.LogGroup, default "/aws/lambda/<Name>".
	LogGroup string
	// ApplicationLogLevel and SystemLogLevel apply to JSON logs ("INFO" by
	// default); they are "" for Text logs.
	ApplicationLogLevel string
	SystemLogLevel      string
	// TracingMode is TracingConfig.Mode: "PassThrough" (default) or "Active".
	TracingMode string
	RoleARN     string
	// ReservedConcurrency is ReservedConcurrentExecutions, nil if unset.
	ReservedConcurrency *int
	// GoPackage is the Metadata entry contract.MetadataGoPackage, "" if absent.
	GoPackage string
	// AssetPath is CDK's staged code asset (Metadata "aws:asset:path"), a
	// directory or a .zip file, made absolute against the assembly
	// directory; "" if absent. The local stack builds functions from
	// GoPackage instead.
	AssetPath string
}

type cfnFunction struct {
	Runtime, Handler, Role       string
	Description                  string
	Timeout, MemorySize          *flexInt
	ReservedConcurrentExecutions *flexInt
	Architectures                []string
	Environment                  *struct{ Variables map[string]flexString }
	LoggingConfig                *struct{ LogFormat, LogGroup, ApplicationLogLevel, SystemLogLevel string }
	TracingConfig                *struct{ Mode string }
}

func (r *resolver) function(id string) (Function, error) {
	var p cfnFunction
	_, path, err := r.properties(id, &p)
	if err != nil {
		return Function{}, err
	}
	name, err := r.physicalName(id, path)
	if err != nil {
		return Function{}, err
	}
	f := Function{
		LogicalID: id, Name: name, ARN: r.functionARN(name),
		Runtime: p.Runtime, Handler: p.Handler, Description: p.Description, RoleARN: p.Role,
		Timeout:       time.Duration(intOr(p.Timeout, 3)) * time.Second,
		MemorySize:    intOr(p.MemorySize, 128),
		Architectures: p.Architectures,
		Environment:   map[string]string{},
		LogFormat:     "Text",
		LogGroup:      "/aws/lambda/" + name,
		TracingMode:   "PassThrough",
	}
	if tc := p.TracingConfig; tc != nil && tc.Mode != "" {
		if tc.Mode != "Active" && tc.Mode != "PassThrough" {
			return Function{}, r.errorf(path+".TracingConfig.Mode", ErrMalformed, "%q: want Active or PassThrough", tc.Mode)
		}
		f.TracingMode = tc.Mode
	}
	if len(f.Architectures) == 0 {
		f.Architectures = []string{"x86_64"}
	}
	if p.Environment != nil {
		f.Environment = stringMap(p.Environment.Variables)
	}
	if p.ReservedConcurrentExecutions != nil {
		n := int(*p.ReservedConcurrentExecutions)
		f.ReservedConcurrency = &n
	}
	if lc := p.LoggingConfig; lc != nil {
		f.applyLogging(lc.LogFormat, lc.LogGroup, lc.ApplicationLogLevel, lc.SystemLogLevel)
	}
	meta := r.t.resources[id].Metadata
	f.GoPackage, _ = meta[contract.MetadataGoPackage].(string)
	if asset, _ := meta[assetPathMetadataKey].(string); asset != "" {
		if !filepath.IsAbs(asset) && r.in.assetDir != "" {
			asset = filepath.Join(r.in.assetDir, asset)
		}
		f.AssetPath = asset
	}
	return f, nil
}

func (f *Function) applyLogging(format, group, appLevel, sysLevel string) {
	if format != "" {
		f.LogFormat = format
	}
	if group != "" {
		f.LogGroup = group
	}
	if f.LogFormat != "JSON" {
		return
	}
	f.ApplicationLogLevel, f.SystemLogLevel = "INFO", "INFO"
	if appLevel != "" {
		f.ApplicationLogLevel = appLevel
	}
	if sysLevel != "" {
		f.SystemLogLevel = sysLevel
	}
}

// functionARNs is the set of the ARNs of the template's functions (those
// whose Condition holds), what an API integration may name.
func (r *resolver) functionARNs() (map[string]bool, error) {
	arns := map[string]bool{}
	for id, res := range r.t.resources {
		if res.Type != typeFunction {
			continue
		}
		if yes, err := r.createdIf(id); err != nil || !yes {
			if err != nil {
				return nil, err
			}
			continue
		}
		name, err := r.physicalName(id, "Resources."+id)
		if err != nil {
			return nil, err
		}
		arns[r.functionARN(name)] = true
	}
	return arns, nil
}
