package stepfunctions

import (
	"encoding/json"
	"strconv"
	"time"
)

// An event is one entry of an execution's history, shaped as AWS's
// HistoryEvent: id, previousEventId, timestamp, type and at most one
// "*EventDetails" member (detailKey names it).
type event struct {
	id        int64
	prev      int64
	timestamp time.Time
	typ       string
	detailKey string
	detail    any
}

// dataCarrier is implemented by details that hold execution data (inputs,
// outputs, parameters); GetExecutionHistory with includeExecutionData=false
// returns them without it.
type dataCarrier interface {
	withoutData() any
}

// marshal encodes e as AWS does; withData=false drops execution data.
func (e *event) marshal(withData bool) ([]byte, error) {
	b := make([]byte, 0, 256)
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, e.id, 10)
	b = append(b, `,"previousEventId":`...)
	b = strconv.AppendInt(b, e.prev, 10)
	b = append(b, `,"timestamp":`...)
	b = appendEpoch(b, e.timestamp)
	b = append(b, `,"type":`...)
	b = strconv.AppendQuote(b, e.typ)
	if e.detailKey != "" {
		d := e.detail
		if dc, ok := d.(dataCarrier); ok && !withData {
			d = dc.withoutData()
		}
		enc, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		b = append(b, ',')
		b = strconv.AppendQuote(b, e.detailKey)
		b = append(b, ':')
		b = append(b, enc...)
	}
	return append(b, '}'), nil
}

// appendEpoch writes t as epoch seconds with milliseconds, the timestamp
// format of AWS JSON 1.0.
func appendEpoch(b []byte, t time.Time) []byte {
	return strconv.AppendFloat(b, float64(t.UnixMilli())/1000, 'f', 3, 64)
}

// epochTime is a time that encodes as AWS JSON 1.0 timestamps do.
type epochTime time.Time

func (t epochTime) MarshalJSON() ([]byte, error) {
	return appendEpoch(nil, time.Time(t)), nil
}

// History event detail shapes (see the SDK's types.*EventDetails).

type dataDetails struct {
	Truncated bool `json:"truncated"`
}

type executionStartedDetails struct {
	Input        string       `json:"input,omitempty"`
	InputDetails *dataDetails `json:"inputDetails,omitempty"`
	RoleARN      string       `json:"roleArn,omitempty"`
}

func (d executionStartedDetails) withoutData() any {
	d.Input, d.InputDetails = "", nil
	return d
}

type outputDetails struct {
	Output        string       `json:"output,omitempty"`
	OutputDetails *dataDetails `json:"outputDetails,omitempty"`
}

func (d outputDetails) withoutData() any { return outputDetails{} }

// errorDetails serves every "failed", "timed out" and "aborted" detail
// shape that carries only an error and a cause.
type errorDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

type stateEnteredDetails struct {
	Name         string       `json:"name"`
	Input        string       `json:"input,omitempty"`
	InputDetails *dataDetails `json:"inputDetails,omitempty"`
}

func (d stateEnteredDetails) withoutData() any { return stateEnteredDetails{Name: d.Name} }

type stateExitedDetails struct {
	Name          string       `json:"name"`
	Output        string       `json:"output,omitempty"`
	OutputDetails *dataDetails `json:"outputDetails,omitempty"`
}

func (d stateExitedDetails) withoutData() any { return stateExitedDetails{Name: d.Name} }

type taskScheduledDetails struct {
	ResourceType       string `json:"resourceType"`
	Resource           string `json:"resource"`
	Region             string `json:"region"`
	Parameters         string `json:"parameters,omitempty"`
	TimeoutInSeconds   int64  `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds int64  `json:"heartbeatInSeconds,omitempty"`
}

func (d taskScheduledDetails) withoutData() any {
	d.Parameters = ""
	return d
}

type taskResourceDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
}

type taskOutputDetails struct {
	ResourceType  string       `json:"resourceType"`
	Resource      string       `json:"resource"`
	Output        string       `json:"output,omitempty"`
	OutputDetails *dataDetails `json:"outputDetails,omitempty"`
}

func (d taskOutputDetails) withoutData() any {
	d.Output, d.OutputDetails = "", nil
	return d
}

type taskErrorDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
	Error        string `json:"error,omitempty"`
	Cause        string `json:"cause,omitempty"`
}

type lambdaScheduledDetails struct {
	Resource         string       `json:"resource"`
	Input            string       `json:"input,omitempty"`
	InputDetails     *dataDetails `json:"inputDetails,omitempty"`
	TimeoutInSeconds int64        `json:"timeoutInSeconds,omitempty"`
}

func (d lambdaScheduledDetails) withoutData() any {
	d.Input, d.InputDetails = "", nil
	return d
}

type mapStartedDetails struct {
	Length int `json:"length"`
}

type mapIterationDetails struct {
	Name  string `json:"name"`
	Index int    `json:"index"`
}

// Detail member names of HistoryEvent.
const (
	keyExecutionStarted   = "executionStartedEventDetails"
	keyExecutionSucceeded = "executionSucceededEventDetails"
	keyExecutionFailed    = "executionFailedEventDetails"
	keyExecutionAborted   = "executionAbortedEventDetails"
	keyExecutionTimedOut  = "executionTimedOutEventDetails"
	keyStateEntered       = "stateEnteredEventDetails"
	keyStateExited        = "stateExitedEventDetails"
	keyTaskScheduled      = "taskScheduledEventDetails"
	keyTaskStarted        = "taskStartedEventDetails"
	keyTaskSubmitted      = "taskSubmittedEventDetails"
	keyTaskSucceeded      = "taskSucceededEventDetails"
	keyTaskFailed         = "taskFailedEventDetails"
	keyTaskTimedOut       = "taskTimedOutEventDetails"
	keyLambdaScheduled    = "lambdaFunctionScheduledEventDetails"
	keyLambdaSucceeded    = "lambdaFunctionSucceededEventDetails"
	keyLambdaFailed       = "lambdaFunctionFailedEventDetails"
	keyLambdaTimedOut     = "lambdaFunctionTimedOutEventDetails"
	keyMapStateStarted    = "mapStateStartedEventDetails"
)

// mapIterationKey returns the detail member of a MapIteration* event type.
func mapIterationKey(typ string) string {
	// "MapIterationStarted" → "mapIterationStartedEventDetails"
	return "m" + typ[1:] + "EventDetails"
}

// maxHistoryEvents is AWS's quota on one execution's history.
const maxHistoryEvents = 25000
