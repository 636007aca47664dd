// Package stepfunctions is a local AWS Step Functions: it runs Amazon States
// Language state machines with the semantics of Standard workflows and
// serves the Step Functions JSON API, so the AWS SDKs and CLI work against
// it unchanged.
//
// # Use
//
//	svc := stepfunctions.New(stepfunctions.Options{Invoker: lambdas})
//	arn, err := svc.CreateStateMachine("Signing", definitionJSON, roleARN)
//	http.Handle("/", svc.Handler()) // requests with X-Amz-Target: AWSStepFunctions.*
//
// Lambda functions are called through the Invoker interface; the caller
// binds the server to loopback.
//
// # Scope
//
// States: Task, Parallel, inline Map, Pass, Choice, Wait, Succeed, Fail, in
// the JSONPath query language (expressions are package asl's). Task
// resources: arn:aws:states:::lambda:invoke, its .waitForTaskToken variant
// and Lambda function ARNs. API: CreateStateMachine, DeleteStateMachine,
// DescribeStateMachine, ListStateMachines, StartExecution,
// DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution,
// SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat. Definitions using
// anything else (JSONata, variables, other integrations, distributed Map,
// Express workflows) are refused at CreateStateMachine with a message
// naming the state and the field.
//
// # Design
//
// Each execution is single-threaded under its own mutex: a thread (the
// machine, a Parallel branch, a Map iteration) advances while states
// complete at once and parks on a frame while it waits. A waiting state
// holds a timer (Wait, retry interval, TimeoutSeconds, HeartbeatSeconds)
// and, for callbacks, an entry in the task token registry — no goroutine.
// Lambda calls run in their own goroutines and report back under the
// execution's mutex. Everything is kept in memory.
//
// Task tokens are 256 random bits plus a MAC under a per-Service key, so
// SendTask* can answer TaskTimedOut for a closed task and InvalidToken for
// a token this Service never issued. Tokens never appear in logs or error
// messages.
package stepfunctions
