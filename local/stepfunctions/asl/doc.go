// Package asl compiles and evaluates the expression layer of the Amazon States
// Language (JSONPath query language): Paths and Reference Paths, payload
// templates (Parameters, ResultSelector, ItemSelector), ResultPath, intrinsic
// functions, Choice rules and Retry/Catch error matching. It knows nothing about
// executions, states or history; the engine in package stepfunctions calls it.
//
// # Values
//
// JSON values are the Go values produced by an encoding/json Decoder with
// UseNumber: map[string]any, []any, string, json.Number, bool and nil. Numbers
// the engine builds itself (int, int64, float64) are accepted wherever a number
// is read. Every function treats its inputs as immutable and never modifies
// them; results may share unchanged sub-trees with the inputs, so callers must
// not modify results in place either.
//
// # Compile once, evaluate many
//
// Compile* functions run when a definition is loaded and return plain errors
// that name the problem (the engine reports them as InvalidDefinition, prefixed
// with the state and field). Eval/Select/Match/ApplyResultPath run per
// execution and return *Error, whose Name is the Step Functions error name and
// whose Cause is AWS's text for it. The engine prefixes the cause the way AWS
// does: "An error occurred while executing the state 'X' (entered at the event
// id #N). " + Cause.
//
// # Which error name comes out (checked against AWS, not only the spec)
//
// The ASL specification names States.ParameterPathFailure and
// States.IntrinsicFailure, but AWS Step Functions reports these failures as
// States.Runtime, which no Retry or Catch handles (developer guide, "Error
// handling": "A retry or catch on States.ALL will not catch States.Runtime
// errors"). Observed AWS execution histories show:
//
//   - InputPath, OutputPath, ItemsPath, SecondsPath, TimestampPath, ErrorPath,
//     CausePath, *SecondsPath: States.Runtime, cause
//     "Invalid path '$.x' : No results for path: $['x']". Use Path.Select.
//   - Parameters / ResultSelector / ItemSelector with a missing path:
//     States.Runtime, cause "The JSONPath '$.x' specified for the field 'x.$'
//     could not be found in the input '{...}'". Template.Eval does this.
//   - Intrinsic functions: a missing path argument or invalid arguments give
//     States.Runtime, cause "The function 'States.F(...)' had the following
//     error: ...". Template.Eval and Intrinsic.Eval do this.
//   - Choice rules: a Variable or *Path operand that selects nothing gives
//     States.Runtime, cause "Invalid path '$.x': The choice state's condition
//     path references an invalid value." (IsPresent never fails).
//   - ResultPath that cannot be applied: States.ResultPathMatchFailure (spec,
//     "Runtime Errors"), which Retry/Catch can handle.
//
// Path.SelectAs lets the engine choose another error name for a field if AWS
// is found to use one. Causes never contain the context object (it holds the
// task token); they do contain the state input where AWS shows it.
//
// # Engine checklist
//
//   - InputPath/OutputPath: CompilePath; JSON null means "{}" and is the
//     engine's to handle. Select returns the single node of a definite path,
//     or an array of all matches (possibly empty) for an indefinite one.
//   - ResultPath: CompileResultPath (rejects "$$" and non-reference paths);
//     JSON null means "discard the result" and is the engine's to handle;
//     ApplyResultPath(nil, in, res) is the default "$".
//   - ItemsPath, SecondsPath, TimestampPath, TimeoutSecondsPath,
//     HeartbeatSecondsPath: CompileReferencePath.
//   - Fail ErrorPath/CausePath: CompileExpr (reference path or intrinsic).
//   - Parameters, ResultSelector, ItemSelector: CompileTemplate (or
//     CompileTemplateValue for an already decoded value).
//   - Choices: CompileChoiceRule(raw, true) (or CompileChoiceRuleValue) per
//     element; the first rule whose Match is true gives Next().
//   - Wait Timestamp/TimestampPath: ParseTimestamp (the spec's RFC 3339
//     profile, the same one Choice rules use).
//   - Retry/Catch: ValidateErrorEquals at load, ErrorMatches at run time.
//     States.Runtime is never matched; States.ALL and States.TaskFailed do not
//     match States.DataLimitExceeded.
package asl
