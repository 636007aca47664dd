package cloudformation

import (
	"errors"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
)

// notifyFile is a topic with email subscriptions and an HTTP API in the
// shapes CDK synthesizes them.
const notifyFile = "testdata/notify.template.json"

func TestTopics(t *testing.T) {
	s := parseFile(t, notifyFile, "Notify", Options{Region: "eu-west-1", AccountID: "123456789012"})
	if len(s.Topics) != 2 {
		t.Fatalf("got %d topics, want 2", len(s.Topics))
	}
	audit, notes := s.Topics[0], s.Topics[1]
	if !regexp.MustCompile(`^Notify-NotificationsTopic7E1F2A3B-[A-Z0-9]{12}$`).MatchString(notes.Name) {
		t.Errorf("generated topic name %q, want Notify-NotificationsTopic7E1F2A3B-<12 chars>", notes.Name)
	}
	notesARN := "arn:aws:sns:eu-west-1:123456789012:" + notes.Name
	const auditARN = "arn:aws:sns:eu-west-1:123456789012:audit"
	subARN := regexp.MustCompile(`^(arn:aws:sns:eu-west-1:123456789012:[^:]+):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	for _, topic := range s.Topics {
		for _, sub := range topic.Subscriptions {
			if m := subARN.FindStringSubmatch(sub.ARN); m == nil || m[1] != topic.ARN {
				t.Errorf("subscription %s ARN %q, want the topic's ARN and a UUID", sub.LogicalID, sub.ARN)
			}
		}
	}
	want := []Topic{
		{LogicalID: "AuditTopic1A2B3C4D", Name: "audit", ARN: auditARN,
			KMSMasterKeyID: "arn:aws:kms:eu-west-1:123456789012:alias/aws/sns",
			Subscriptions: []Subscription{
				{LogicalID: "AuditTopic1A2B3C4D.Subscription[0]", ARN: audit.Subscriptions[0].ARN, TopicARN: auditARN,
					Protocol: "email-json", Endpoint: "audit@example.com"},
				{LogicalID: "AuditTopicopsexamplecomB1C2D3E4", ARN: audit.Subscriptions[1].ARN, TopicARN: auditARN,
					Protocol: "email", Endpoint: "ops@example.com", FilterPolicyScope: "MessageAttributes",
					FilterPolicy: `{"amount":[{"anything-but":0}],"documentId":[{"prefix":"contract-"}]}`},
			}},
		{LogicalID: "NotificationsTopic7E1F2A3B", Name: notes.Name, ARN: notesARN, KMSMasterKeyID: s.Keys[0].ARN,
			Subscriptions: []Subscription{
				{LogicalID: "NotificationsTopicbobexamplecom9A8B7C6D", ARN: notes.Subscriptions[0].ARN, TopicARN: notesARN,
					Protocol: "email", Endpoint: "bob@example.com", FilterPolicy: `{"signer":["Bob"]}`},
			}},
	}
	if !reflect.DeepEqual(s.Topics, want) {
		t.Errorf("Topics:\n got %+v\nwant %+v", s.Topics, want)
	}
	out := outputMap(s)
	for key, w := range map[string]string{
		contract.OutputNotificationTopicARN: notesARN,
		"TopicArnAtt":                       notesARN,
		"TopicName":                         notes.Name,
		"SubscriptionArn":                   notes.Subscriptions[0].ARN,
	} {
		if out[key] != w {
			t.Errorf("output %s = %q, want %q", key, out[key], w)
		}
	}
	if env := s.Functions[1].Environment[contract.EnvNotificationTopic]; env != notesARN {
		t.Errorf("%s = %q, want the topic's ARN %s", contract.EnvNotificationTopic, env, notesARN)
	}
	again := parseFile(t, notifyFile, "Notify", Options{Region: "eu-west-1", AccountID: "123456789012"})
	if !reflect.DeepEqual(again.Topics, s.Topics) {
		t.Errorf("topics changed between loads:\n%+v\n%+v", s.Topics, again.Topics)
	}
}

// TestHTTPAPIs checks the API's view, and that its ApiEndpoint — so the
// ApiUrl output and the functions' API_URL — is the local URL when the
// local stack gives one, and AWS's otherwise.
func TestHTTPAPIs(t *testing.T) {
	local := func(id string) string { return "http://127.0.0.1:4566/_api/" + id }
	tests := []struct {
		name     string
		endpoint func(string) string
		want     func(id string) string
	}{
		{"local endpoint", local, local},
		{"no endpoint: AWS's", nil, func(id string) string { return "https://" + id + ".execute-api.us-east-1.amazonaws.com" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parseFile(t, notifyFile, "Notify", Options{APIEndpoint: tt.endpoint})
			if len(s.HTTPAPIs) != 1 {
				t.Fatalf("got %d APIs, want 1", len(s.HTTPAPIs))
			}
			api := s.HTTPAPIs[0]
			if !regexp.MustCompile(`^[a-z0-9]{10}$`).MatchString(api.ID) {
				t.Errorf("API ID %q, want 10 lower-case letters and digits", api.ID)
			}
			endpoint := tt.want(api.ID)
			out := outputMap(s)
			for key, w := range map[string]string{
				contract.OutputAPIURL: endpoint + "/",
				"SignPage":            endpoint + "/" + contract.SignRoutePrefix,
				"ApiId":               api.ID,
				"ApiIdAtt":            api.ID,
				"StageName":           "$default",
			} {
				if out[key] != w {
					t.Errorf("output %s = %q, want %q", key, out[key], w)
				}
			}
			if env := s.Functions[1].Environment[contract.EnvAPIURL]; env != endpoint+"/" {
				t.Errorf("%s = %q, want %q", contract.EnvAPIURL, env, endpoint+"/")
			}
			docs, page := s.Functions[0], s.Functions[1]
			integrations := []APIIntegration{
				{LogicalID: "HttpApiGETsigndocumentIdsignerSignPageIntegrationB4A1B2C3", ID: api.Integrations[0].ID,
					FunctionARN: page.ARN, PayloadFormatVersion: "2.0", Timeout: 30 * time.Second},
				{LogicalID: "HttpApiPOSTdocumentsdocumentIdDocumentsIntegrationD5E6F7A8", ID: api.Integrations[1].ID,
					FunctionARN: docs.ARN, PayloadFormatVersion: "2.0", Timeout: 10 * time.Second},
			}
			toPage, toDocs := "integrations/"+integrations[0].ID, "integrations/"+integrations[1].ID
			routes := []APIRoute{
				{"HttpApiGETassetsfile8D9E0F1A", api.Routes[0].ID, contract.RouteKeyGetAsset, "NONE", toPage},
				{"HttpApiGETdocumentsdocumentId6F7A8B9C", api.Routes[1].ID, contract.RouteKeyGetDocument, "AWS_IAM", toDocs},
				{"HttpApiGETsigndocumentIdsigner0B1C2D3E", api.Routes[2].ID, contract.RouteKeyGetSignPage, "NONE", toPage},
				{"HttpApiPOSTdocumentsdocumentId2B3C4D5E", api.Routes[3].ID, contract.RouteKeyPostDocument, "AWS_IAM", toDocs},
				{"HttpApiPOSTsigndocumentIdsigner4F5A6B7C", api.Routes[4].ID, contract.RouteKeyPostSign, "NONE", toPage},
			}
			want := HTTPAPI{LogicalID: "HttpApiF5A9A8A7", ID: api.ID, Name: "SigningApi", Endpoint: endpoint,
				Stage: &APIStage{LogicalID: "HttpApiDefaultStage3A0D3E7B", Name: "$default", AutoDeploy: true,
					BurstLimit: 20, RateLimit: 10, AccessLogs: true},
				Integrations: integrations, Routes: routes}
			if !reflect.DeepEqual(api, want) {
				t.Errorf("API:\n got %+v\nwant %+v", api, want)
			}
			ids := map[string]bool{api.ID: true}
			for _, id := range []string{integrations[0].ID, integrations[1].ID, routes[0].ID, routes[1].ID, routes[2].ID, routes[3].ID, routes[4].ID} {
				if !regexp.MustCompile(`^[a-z0-9]{7}$`).MatchString(id) || ids[id] {
					t.Errorf("ID %q: want 7 lower-case letters and digits, unique", id)
				}
				ids[id] = true
			}
			wantNotEmulated := []string{"AWS::IAM::Role", "AWS::Lambda::Permission", "AWS::Logs::LogGroup", "AWS::SNS::TopicPolicy"}
			if !reflect.DeepEqual(s.NotEmulated, wantNotEmulated) {
				t.Errorf("NotEmulated = %q, want %q", s.NotEmulated, wantNotEmulated)
			}
			if len(s.Notes) != 0 {
				t.Errorf("Notes = %q, want none", s.Notes)
			}
		})
	}
}

// apiTemplate is a small HTTP API — function F, API A, stage S,
// integration I, route R — with resources replaced or added by extra
// (logical ID → resource JSON; "" removes one).
func apiTemplate(extra map[string]string) string {
	res := map[string]string{
		"F": `{"Type":"AWS::Lambda::Function","Properties":{"Handler":"bootstrap","Runtime":"provided.al2023"}}`,
		"A": `{"Type":"AWS::ApiGatewayV2::Api","Properties":{"Name":"A","ProtocolType":"HTTP"}}`,
		"S": `{"Type":"AWS::ApiGatewayV2::Stage","Properties":{"ApiId":{"Ref":"A"},"StageName":"$default","AutoDeploy":true}}`,
		"I": `{"Type":"AWS::ApiGatewayV2::Integration","Properties":{"ApiId":{"Ref":"A"},"IntegrationType":"AWS_PROXY",
			"IntegrationUri":{"Fn::GetAtt":["F","Arn"]},"PayloadFormatVersion":"2.0"}}`,
		"R": `{"Type":"AWS::ApiGatewayV2::Route","Properties":{"ApiId":{"Ref":"A"},"RouteKey":"GET /x","AuthorizationType":"NONE",
			"Target":{"Fn::Join":["",["integrations/",{"Ref":"I"}]]}}}`,
	}
	for id, r := range extra {
		if r == "" {
			delete(res, id)
		} else {
			res[id] = r
		}
	}
	var b strings.Builder
	b.WriteString(`{"Resources":{`)
	for i, id := range slices.Sorted(maps.Keys(res)) {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"` + id + `":` + res[id])
	}
	b.WriteString("}}")
	return b.String()
}

// topicTemplate is a topic T with a subscription U whose properties are
// subscription (JSON object members), beside the resources of apiTemplate.
func topicTemplate(topic, subscription string) string {
	return apiTemplate(map[string]string{
		"T": `{"Type":"AWS::SNS::Topic","Properties":{` + topic + `}}`,
		"U": `{"Type":"AWS::SNS::Subscription","Properties":{"TopicArn":{"Ref":"T"},"Protocol":"email","Endpoint":"a@example.com"` + subscription + `}}`,
	})
}

func TestNotifyTemplateErrors(t *testing.T) {
	tests := []struct {
		name, template string
		cause          error
		path, message  string
	}{
		{"WebSocket API", apiTemplate(map[string]string{"A": `{"Type":"AWS::ApiGatewayV2::Api","Properties":{"ProtocolType":"WEBSOCKET"}}`}),
			ErrUnsupported, "Resources.A.Properties.ProtocolType", `"WEBSOCKET": the local API Gateway serves HTTP APIs only`},
		{"OpenAPI body", apiTemplate(map[string]string{"A": `{"Type":"AWS::ApiGatewayV2::Api","Properties":{"ProtocolType":"HTTP","Body":{"openapi":"3.0.1"}}}`}),
			ErrUnsupported, "Resources.A.Properties.Body", "OpenAPI"},
		{"quick create", apiTemplate(map[string]string{"A": `{"Type":"AWS::ApiGatewayV2::Api","Properties":{"ProtocolType":"HTTP","Target":{"Fn::GetAtt":["F","Arn"]}}}`}),
			ErrUnsupported, "Resources.A.Properties.Target", "quick create"},
		{"named stage", apiTemplate(map[string]string{"S": `{"Type":"AWS::ApiGatewayV2::Stage","Properties":{"ApiId":{"Ref":"A"},"StageName":"prod"}}`}),
			ErrUnsupported, "Resources.S.Properties.StageName", `"prod": the local API Gateway serves the $default stage only`},
		{"two stages", apiTemplate(map[string]string{"S2": `{"Type":"AWS::ApiGatewayV2::Stage","Properties":{"ApiId":{"Ref":"A"},"StageName":"$default"}}`}),
			ErrMalformed, "Resources.S2.Properties.ApiId", "second $default stage"},
		{"negative throttling", apiTemplate(map[string]string{"S": `{"Type":"AWS::ApiGatewayV2::Stage","Properties":{"ApiId":{"Ref":"A"},"StageName":"$default",
			"DefaultRouteSettings":{"ThrottlingRateLimit":-1}}}`}), ErrMalformed, "Resources.S.Properties.DefaultRouteSettings", "negative"},
		{"stage of no API", apiTemplate(map[string]string{"S": `{"Type":"AWS::ApiGatewayV2::Stage","Properties":{"ApiId":"abc","StageName":"$default"}}`}),
			ErrMissingReference, "Resources.S.Properties.ApiId", `"abc" is not an HTTP API of this template`},
		{"HTTP proxy integration", apiTemplate(map[string]string{"I": `{"Type":"AWS::ApiGatewayV2::Integration","Properties":{"ApiId":{"Ref":"A"},
			"IntegrationType":"HTTP_PROXY","IntegrationUri":"https://example.com","PayloadFormatVersion":"1.0"}}`}),
			ErrUnsupported, "Resources.I.Properties.IntegrationType", `"HTTP_PROXY"`},
		{"payload format 1.0", apiTemplate(map[string]string{"I": `{"Type":"AWS::ApiGatewayV2::Integration","Properties":{"ApiId":{"Ref":"A"},
			"IntegrationType":"AWS_PROXY","IntegrationUri":{"Fn::GetAtt":["F","Arn"]},"PayloadFormatVersion":"1.0"}}`}),
			ErrUnsupported, "Resources.I.Properties.PayloadFormatVersion", "payload format 2.0 only"},
		{"function of another stack", apiTemplate(map[string]string{"I": `{"Type":"AWS::ApiGatewayV2::Integration","Properties":{"ApiId":{"Ref":"A"},
			"IntegrationType":"AWS_PROXY","IntegrationUri":"arn:aws:lambda:us-east-1:000000000000:function:elsewhere","PayloadFormatVersion":"2.0"}}`}),
			ErrUnsupported, "Resources.I.Properties.IntegrationUri", "not the ARN of a function of this template"},
		{"timeout over 30 s", apiTemplate(map[string]string{"I": `{"Type":"AWS::ApiGatewayV2::Integration","Properties":{"ApiId":{"Ref":"A"},
			"IntegrationType":"AWS_PROXY","IntegrationUri":{"Fn::GetAtt":["F","Arn"]},"PayloadFormatVersion":"2.0","TimeoutInMillis":30001}}`}),
			ErrMalformed, "Resources.I.Properties.TimeoutInMillis", "30001: want 50 to 30000"},
		{"parameter mapping", apiTemplate(map[string]string{"I": `{"Type":"AWS::ApiGatewayV2::Integration","Properties":{"ApiId":{"Ref":"A"},
			"IntegrationType":"AWS_PROXY","IntegrationUri":{"Fn::GetAtt":["F","Arn"]},"PayloadFormatVersion":"2.0",
			"RequestParameters":{"overwrite:path":"/x"}}}`}),
			ErrUnsupported, "Resources.I.Properties.RequestParameters", "parameter mapping"},
		{"JWT route", apiTemplate(map[string]string{"R": `{"Type":"AWS::ApiGatewayV2::Route","Properties":{"ApiId":{"Ref":"A"},"RouteKey":"GET /x",
			"AuthorizationType":"JWT","Target":{"Fn::Join":["",["integrations/",{"Ref":"I"}]]}}}`}),
			ErrUnsupported, "Resources.R.Properties.AuthorizationType", `"JWT": the local API Gateway authorizes NONE and AWS_IAM routes only`},
		{"route without target", apiTemplate(map[string]string{"R": `{"Type":"AWS::ApiGatewayV2::Route","Properties":{"ApiId":{"Ref":"A"},"RouteKey":"GET /x"}}`}),
			ErrUnsupported, "Resources.R.Properties.Target", "integrations/<id>"},
		{"route to another API's integration", apiTemplate(map[string]string{
			"A2": `{"Type":"AWS::ApiGatewayV2::Api","Properties":{"ProtocolType":"HTTP"}}`,
			"R": `{"Type":"AWS::ApiGatewayV2::Route","Properties":{"ApiId":{"Ref":"A2"},"RouteKey":"GET /x",
			"Target":{"Fn::Join":["",["integrations/",{"Ref":"I"}]]}}}`}),
			ErrMissingReference, "Resources.R.Properties.Target", "is not an integration of API A2"},
		{"FIFO topic", topicTemplate(`"FifoTopic":true,"TopicName":"t.fifo"`, ""),
			ErrUnsupported, "Resources.T.Properties.FifoTopic", "FIFO topics"},
		{"bad topic name", topicTemplate(`"TopicName":"not a name"`, ""),
			ErrMalformed, "Resources.T.Properties.TopicName", `"not a name": want 1 to 256 letters, digits, - and _`},
		{"SQS subscription", topicTemplate("", `,"Protocol":"sqs"`),
			ErrUnsupported, "Resources.U.Properties.Protocol", `"sqs": the local SNS keeps email and email-json messages only`},
		{"inline HTTPS subscription", topicTemplate(`"Subscription":[{"Protocol":"https","Endpoint":"https://example.com"}]`, ""),
			ErrUnsupported, "Resources.T.Properties.Subscription[0].Protocol", `"https"`},
		{"subscription without endpoint", topicTemplate("", `,"Endpoint":""`),
			ErrMalformed, "Resources.U.Properties.Endpoint", "missing"},
		{"filter on the body", topicTemplate("", `,"FilterPolicyScope":"MessageBody","FilterPolicy":{"a":["b"]}`),
			ErrUnsupported, "Resources.U.Properties.FilterPolicyScope", "MessageAttributes only"},
		{"filter policy a list", topicTemplate("", `,"FilterPolicy":["signer"]`),
			ErrMalformed, "Resources.U.Properties.FilterPolicy", "want a JSON object"},
		{"subscription in another region", topicTemplate("", `,"Region":"eu-west-1"`),
			ErrUnsupported, "Resources.U.Properties.Region", "one region"},
		{"topic of another stack", topicTemplate("", `,"TopicArn":"arn:aws:sns:us-east-1:000000000000:elsewhere"`),
			ErrMissingReference, "Resources.U.Properties.TopicArn", `"arn:aws:sns:us-east-1:000000000000:elsewhere" is not a topic of this template`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTemplate("t.template.json", []byte(tt.template), "S", Options{})
			var te *TemplateError
			if !errors.As(err, &te) || !errors.Is(err, tt.cause) {
				t.Fatalf("err = %v, want a *TemplateError wrapping %v", err, tt.cause)
			}
			if te.Path != tt.path || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("err = %v\nwant path %s and %q", err, tt.path, tt.message)
			}
		})
	}
}

func TestNotifyNotes(t *testing.T) {
	tests := []struct {
		name     string
		template string
		want     []string
	}{
		{"no stage", apiTemplate(map[string]string{"S": ""}),
			[]string{"HTTP API A has no stage: nothing is deployed, and every request answers Not Found, as on AWS"}},
		{"not auto-deployed, per-route throttling", apiTemplate(map[string]string{"S": `{"Type":"AWS::ApiGatewayV2::Stage","Properties":{"ApiId":{"Ref":"A"},
			"StageName":"$default","RouteSettings":{"GET /x":{"ThrottlingBurstLimit":1}}}}`}),
			[]string{"stage S is not auto-deployed; the local API Gateway serves the template's routes as deployed",
				"stage S: per-route throttling (RouteSettings) is not applied locally"}},
		{"CORS", apiTemplate(map[string]string{"A": `{"Type":"AWS::ApiGatewayV2::Api","Properties":{"ProtocolType":"HTTP","CorsConfiguration":{"AllowOrigins":["*"]}}}`}),
			[]string{"HTTP API A: CorsConfiguration is not applied locally (no preflight answers, no CORS headers)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseTemplate("t.template.json", []byte(tt.template), "S", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Notes, tt.want) {
				t.Errorf("Notes = %q, want %q", s.Notes, tt.want)
			}
		})
	}
}
