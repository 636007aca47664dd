package stepfunctions

import (
	"reflect"
	"testing"
)

// TestGroupStartsAllBeforeFailing: AWS starts every Parallel branch, and
// the first MaxConcurrency Map iterations, together, so a child that fails
// at once does not keep its siblings from starting; they are then aborted,
// and the state fails with the first failing child's own error and cause.
func TestGroupStartsAllBeforeFailing(t *testing.T) {
	const (
		fail  = `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E1","Cause":"C1"}}}`
		fail2 = `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E2","Cause":"C2"}}}`
		wait  = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}`
		// item 0 fails, the others wait
		processor = `{"StartAt":"C","States":{"C":{"Type":"Choice","Default":"W",
			"Choices":[{"Variable":"$","NumericEquals":0,"Next":"F"}]},
			"F":{"Type":"Fail","Error":"E1","Cause":"C1"},"W":{"Type":"Wait","Seconds":100,"End":true}}}`
	)
	parallel := func(branches string) string {
		return `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[` + branches + `]}}}`
	}
	mapState := func(extra string) string {
		return `{"StartAt":"M","States":{"M":{"Type":"Map",` + extra + `"End":true,"ItemProcessor":` + processor + `}}}`
	}
	tests := []struct {
		name, def, input string
		want             map[string]int // events counted by type
	}{
		{"parallel, first branch fails", parallel(fail + "," + wait + "," + wait), `{}`,
			map[string]int{"FailStateEntered": 1, "WaitStateEntered": 2, "WaitStateAborted": 2, "ParallelStateFailed": 1}},
		{"parallel, two branches fail, the first decides", parallel(fail + "," + wait + "," + fail2), `{}`,
			map[string]int{"FailStateEntered": 2, "WaitStateEntered": 1, "WaitStateAborted": 1, "ParallelStateFailed": 1}},
		{"map, unlimited concurrency", mapState(""), `[0,1,2]`,
			map[string]int{"MapIterationStarted": 3, "MapIterationFailed": 1, "MapIterationAborted": 2,
				"WaitStateEntered": 2, "WaitStateAborted": 2, "MapStateFailed": 1}},
		{"map, MaxConcurrency 2", mapState(`"MaxConcurrency":2,`), `[0,1,2,3]`,
			map[string]int{"MapIterationStarted": 2, "MapIterationFailed": 1, "MapIterationAborted": 1,
				"WaitStateEntered": 1, "WaitStateAborted": 1, "MapStateFailed": 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			svc := New(Options{Clock: clock})
			x := mustStart(t, svc, tc.def, tc.input)
			waitDone(t, x)
			if x.status != statusFailed || x.errName != "E1" || x.cause != "C1" {
				t.Errorf("got %s %q %q, want FAILED E1 C1", x.status, x.errName, x.cause)
			}
			got := map[string]int{}
			for _, typ := range eventTypes(x) {
				if _, counted := tc.want[typ]; counted {
					got[typ]++
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("events:\n got %v\nwant %v\nhistory %v", got, tc.want, eventTypes(x))
			}
			if n := clock.pending(); n != 0 {
				t.Errorf("%d timers left armed", n)
			}
		})
	}
}
