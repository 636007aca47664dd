package stack

import (
	"fmt"
	"strings"

	"github.com/hitl-go/docsign/local/apigateway"
	"github.com/hitl-go/docsign/local/sns"
)

// apiEndpoint is the ApiEndpoint of HTTP API id served on endpoint: its
// base URL without the trailing slash. The templates' ApiEndpoint
// attributes (so ApiUrl and API_URL) resolve to it, and the API is served
// there: both come from here.
func apiEndpoint(endpoint, id string) string {
	return strings.TrimSuffix(apiURL(endpoint, id), "/")
}

// apiURL is the base URL of HTTP API id on endpoint, ending in "/" like
// the ApiUrl output.
func apiURL(endpoint, id string) string {
	return apigateway.URL(endpoint, apigateway.DefaultPrefix, id)
}

// startSNS serves every stack's topics, the outbox under DataDir/sns (in
// memory with InMemory).
func (s *Stack) startSNS() error {
	var topics []sns.Topic
	for _, st := range s.assembly.Stacks {
		for _, t := range st.Topics {
			topic := sns.Topic{LogicalID: st.Name + "/" + t.LogicalID, ARN: t.ARN, KMSMasterKeyID: t.KMSMasterKeyID}
			for _, sub := range t.Subscriptions {
				topic.Subscriptions = append(topic.Subscriptions, sns.Subscription{LogicalID: sub.LogicalID, ARN: sub.ARN,
					Protocol: sub.Protocol, Endpoint: sub.Endpoint, FilterPolicy: sub.FilterPolicy, FilterPolicyScope: sub.FilterPolicyScope})
			}
			topics = append(topics, topic)
		}
	}
	svc, err := sns.New(sns.Options{Topics: topics, Dir: s.serviceDir("sns"), Logger: s.logger("[sns] ")})
	if err != nil {
		return fmt.Errorf("SNS: %w", err)
	}
	s.sns = svc
	return nil
}

// startAPIs serves every stack's HTTP APIs, their integrations invoking the
// functions on the Lambda host. An API without a stage is served with no
// routes: every request answers Not Found, as on AWS.
func (s *Stack) startAPIs() error {
	var apis []apigateway.API
	for _, st := range s.assembly.Stacks {
		for _, a := range st.HTTPAPIs {
			api := apigateway.API{ID: a.ID}
			if a.Stage != nil {
				api.Stage = apigateway.Stage{Name: a.Stage.Name, BurstLimit: a.Stage.BurstLimit, RateLimit: a.Stage.RateLimit}
				for _, in := range a.Integrations {
					api.Integrations = append(api.Integrations, apigateway.Integration{ID: in.ID, Type: "AWS_PROXY",
						URI: in.FunctionARN, PayloadFormatVersion: in.PayloadFormatVersion, Timeout: in.Timeout})
				}
				for _, r := range a.Routes {
					api.Routes = append(api.Routes, apigateway.Route{Key: r.Key, AuthorizationType: r.AuthorizationType, Target: r.Target})
				}
			}
			apis = append(apis, api)
		}
	}
	svc, err := apigateway.New(apigateway.Options{APIs: apis, Invoker: apigateway.InvokerFunc(invokeOn(s.host)),
		Prefix: apigateway.DefaultPrefix, Region: s.opts.Region, AccountID: s.opts.AccountID, Keys: s.opts.IAMKeys,
		Logger: s.logger("[apigateway] ")})
	if err != nil {
		return fmt.Errorf("API Gateway: %w", err)
	}
	s.apis = svc
	return nil
}

// apiURLs are the base URLs of every stack's HTTP APIs.
func (s *Stack) apiURLs() []string {
	var urls []string
	for _, st := range s.assembly.Stacks {
		for _, a := range st.HTTPAPIs {
			urls = append(urls, apiURL(s.endpoint, a.ID))
		}
	}
	return urls
}
