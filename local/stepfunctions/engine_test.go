package stepfunctions

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestContextObject(t *testing.T) {
	clock := newFakeClock()
	svc := New(Options{Clock: clock})
	x := mustStart(t, svc, `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true,"Parameters":{
		"start.$":"$$.Execution.StartTime","entered.$":"$$.State.EnteredTime","id.$":"$$.Execution.Id",
		"name.$":"$$.Execution.Name","input.$":"$$.Execution.Input","role.$":"$$.Execution.RoleArn",
		"sm.$":"$$.StateMachine.Id","state.$":"$$.State.Name","retries.$":"$$.State.RetryCount"}}}}`, `{"documentId":"3"}`)
	waitDone(t, x)
	var got map[string]any
	if err := json.Unmarshal([]byte(x.output), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"start": "2026-11-22T10:00:00.000Z", "entered": "2026-11-22T10:00:00.000Z",
		"id":   "arn:aws:states:us-east-1:000000000000:execution:Test:run",
		"name": "run", "input": map[string]any{"documentId": "3"}, "role": "arn:aws:iam::000000000000:role/test",
		"sm": "arn:aws:states:us-east-1:000000000000:stateMachine:Test", "state": "P", "retries": float64(0),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("context object:\n got %v\nwant %v", got, want)
	}
}

func TestDataLimitExceeded(t *testing.T) {
	big := strings.Repeat("x", 200*1024)
	svc := New(Options{})
	x := mustStart(t, svc, `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"twice.$":"States.Array($.big, $.big)"},"End":true}}}`,
		`{"big":"`+big+`"}`)
	waitDone(t, x)
	if x.status != statusFailed || x.errName != "States.DataLimitExceeded" {
		t.Errorf("got %s %s, want FAILED States.DataLimitExceeded", x.status, x.errName)
	}
}

// TestLongLoops: a loop of synchronous states runs to its end (the
// interpreter yields its lock every few hundred states), and an endless
// one stops at AWS's 25,000-event history quota.
func TestLongLoops(t *testing.T) {
	loop := func(limit int) string {
		return `{"StartAt":"Init","States":{
			"Init":{"Type":"Pass","Result":0,"ResultPath":"$.n","Next":"Check"},
			"Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThanEquals":` + itoa(limit) + `,"Next":"Done"}],"Default":"Inc"},
			"Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"Check"},
			"Done":{"Type":"Succeed"}}}`
	}
	svc := New(Options{})
	x := mustStart(t, svc, loop(2000), `{}`)
	waitDone(t, x)
	if x.status != statusSucceeded || x.output != `{"n":2000}` {
		t.Errorf("2000 rounds: got %s %s %s", x.status, x.output, x.cause)
	}
	endless := New(Options{})
	y := mustStart(t, endless, loop(1<<30), `{}`)
	waitDone(t, y)
	if y.status != statusFailed || y.errName != "States.Runtime" || len(y.events) != maxHistoryEvents {
		t.Errorf("endless loop: got %s with %d events (%s)", y.status, len(y.events), y.cause)
	}
}

// TestMapMaxConcurrency: with MaxConcurrency 1 each iteration starts
// after the previous one ends.
func TestMapMaxConcurrency(t *testing.T) {
	clock := newFakeClock()
	svc := New(Options{Clock: clock})
	x := mustStart(t, svc, `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,
		"ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}}}}`, `[1,2,3]`)
	for i := 0; i < 3; i++ {
		if got := clock.pending(); got != 1 {
			t.Fatalf("round %d: %d waits armed, want 1", i, got)
		}
		clock.Advance(time.Second)
	}
	waitDone(t, x)
	if x.output != `[1,2,3]` {
		t.Errorf("output: got %s", x.output)
	}
	var order []string
	for _, e := range history(t, x) {
		if typ := e["type"].(string); strings.HasPrefix(typ, "MapIteration") {
			d := e[mapIterationKey(typ)].(map[string]any)
			order = append(order, strings.TrimPrefix(typ, "MapIteration")+itoa(int(d["index"].(float64))))
		}
	}
	want := "Started0,Succeeded0,Started1,Succeeded1,Started2,Succeeded2"
	if got := strings.Join(order, ","); got != want {
		t.Errorf("iterations: got %s, want %s", got, want)
	}
}

// TestWaitTimestampTruncatesMilliseconds: AWS considers a Wait timestamp up
// to seconds and truncates milliseconds (developer guide, "Wait workflow
// state"). The fake clock starts at 10:00:00.000.
func TestWaitTimestampTruncatesMilliseconds(t *testing.T) {
	const at = "2026-11-22T10:00:05.900Z"
	tests := []struct {
		name, field, input string
		wantWait           time.Duration // 0: no timer, the state ends at once
	}{
		{"Timestamp", `"Timestamp":"` + at + `"`, `{}`, 5 * time.Second},
		{"TimestampPath", `"TimestampPath":"$.at"`, `{"at":"` + at + `"}`, 5 * time.Second},
		{"within the current second", `"Timestamp":"2026-11-22T10:00:00.500Z"`, `{}`, 0},
		{"numeric offset", `"TimestampPath":"$.at"`, `{"at":"2026-11-22T11:30:02.250+01:30"}`, 2 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			svc := New(Options{Clock: clock})
			x := mustStart(t, svc, `{"StartAt":"W","States":{"W":{"Type":"Wait",`+tc.field+`,"End":true}}}`, tc.input)
			if tc.wantWait == 0 {
				if n := clock.pending(); n != 0 {
					t.Fatalf("%d timers armed, want none (wait until %v)", n, clock.nextAt())
				}
			} else if got := clock.nextAt().Sub(clock.Now()); got != tc.wantWait {
				t.Fatalf("waits %v, want %v", got, tc.wantWait)
			}
			clock.Advance(tc.wantWait)
			waitDone(t, x)
			if x.status != statusSucceeded {
				t.Errorf("status %s (%s: %s), want SUCCEEDED", x.status, x.errName, x.cause)
			}
		})
	}
}
