package cloudformation

import (
	"strings"
)

// streamLabel stands in for the creation time AWS puts in a stream ARN.
const streamLabel = "1970-01-01T00:00:00.000"

// resourceRef is what Ref returns for a resource: the ARN for a state
// machine, topic or subscription, the physical name for everything else
// (for a KMS key its key ID, for an HTTP API, integration or route its ID).
func (r *resolver) resourceRef(id, path string) (any, error) {
	name, err := r.physicalName(id, path)
	if err != nil {
		return nil, err
	}
	switch r.t.resources[id].Type {
	case typeStateMachine:
		return r.stateMachineARN(name), nil
	case typeTopic:
		return r.topicARN(name), nil
	case typeSubscription:
		key := "Resources." + id
		if err := r.enter(key+".TopicArn", path); err != nil {
			return nil, err
		}
		defer r.leave(key + ".TopicArn")
		topic, err := r.optionalString(r.t.resources[id].Properties, "TopicArn", key+".Properties")
		if err != nil {
			return nil, err
		}
		return r.subscriptionARN(topic, id), nil
	}
	return name, nil
}

// attribute resolves Fn::GetAtt. Emulated types answer the attributes
// CloudFormation documents for them (an unknown one is ErrUnsupported);
// other types answer placeholders, since nothing local serves them.
func (r *resolver) attribute(id, attr, path string) (any, error) {
	name, err := r.physicalName(id, path)
	if err != nil {
		return nil, err
	}
	res := r.t.resources[id]
	e := r.env
	switch res.Type {
	case typeTable, typeGlobalTable:
		arn := e.arn("dynamodb", e.region, "table/"+name)
		switch attr {
		case "Arn":
			return arn, nil
		case "StreamArn":
			return arn + "/stream/" + streamLabel, nil
		case "TableId":
			return uuidFrom("table", name), nil
		}
	case typeFunction:
		if attr == "Arn" {
			return r.functionARN(name), nil
		}
	case typeStateMachine:
		switch attr {
		case "Arn":
			return r.stateMachineARN(name), nil
		case "Name":
			return name, nil
		case "StateMachineRevisionId":
			return "INITIAL", nil
		}
	case typeLogGroup:
		if attr == "Arn" {
			return e.arn("logs", e.region, "log-group:"+name+":*"), nil
		}
	case typeRole:
		return r.roleAttribute(id, name, attr, path)
	case typeBucket:
		if v, ok := r.bucketAttribute(name, attr); ok {
			return v, nil
		}
	case typeKey:
		switch attr {
		case "Arn":
			return r.keyARN(name), nil
		case "KeyId":
			return name, nil
		}
	case typeTopic:
		switch attr {
		case "TopicArn":
			return r.topicARN(name), nil
		case "TopicName":
			return name, nil
		}
	case typeAPI:
		switch attr {
		case "ApiEndpoint":
			return e.apiEndpoint(name), nil
		case "ApiId":
			return name, nil
		}
	case typeIntegration:
		if attr == "IntegrationId" {
			return name, nil
		}
	case typeRoute:
		if attr == "RouteId" {
			return name, nil
		}
	case typeSubscription, typeStage:
		// No attributes are documented for these.
	default:
		return r.placeholderAttribute(res.Type, name, attr), nil
	}
	return nil, r.errorf(path, ErrUnsupported, "attribute %s of %s %q", attr, res.Type, id)
}

func (r *resolver) roleAttribute(id, name, attr, path string) (any, error) {
	switch attr {
	case "Arn":
		rolePath, err := r.optionalString(r.t.resources[id].Properties, "Path", "Resources."+id+".Properties")
		if err != nil {
			return nil, err
		}
		if rolePath == "" {
			rolePath = "/"
		}
		return r.env.arn("iam", "", "role"+rolePath+name), nil
	case "RoleId":
		return "AROA" + hashChars(17, "role", name), nil
	}
	return nil, r.errorf(path, ErrUnsupported, "attribute %s of %s %q", attr, typeRole, id)
}

// placeholderAttribute answers for a type the local stack does not emulate:
// an ARN-shaped value for "Arn" and "<name>.<Attr>" otherwise.
func (r *resolver) placeholderAttribute(typ, name, attr string) string {
	parts := strings.Split(typ, "::")
	if attr != "Arn" || len(parts) != 3 {
		return name + "." + attr
	}
	return r.env.arn(strings.ToLower(parts[1]), r.env.region, strings.ToLower(parts[2])+"/"+name)
}

func (r *resolver) functionARN(name string) string {
	return r.env.arn("lambda", r.env.region, "function:"+name)
}

func (r *resolver) stateMachineARN(name string) string {
	return r.env.arn("states", r.env.region, "stateMachine:"+name)
}

// optionalString resolves props[key] as a string; missing or AWS::NoValue is "".
func (r *resolver) optionalString(props map[string]any, key, path string) (string, error) {
	v, ok := props[key]
	if !ok {
		return "", nil
	}
	rv, err := r.resolve(v, path+"."+key)
	if err != nil || rv == noValue {
		return "", err
	}
	s, ok := scalarString(rv)
	if !ok {
		return "", r.errorf(path+"."+key, ErrMalformed, "want a string, got %s", kind(rv))
	}
	return s, nil
}
