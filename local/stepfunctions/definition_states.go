package stepfunctions

import (
	"fmt"
	"time"

	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

// State types.
const (
	typeTask     = "Task"
	typeParallel = "Parallel"
	typeMap      = "Map"
	typePass     = "Pass"
	typeChoice   = "Choice"
	typeWait     = "Wait"
	typeSucceed  = "Succeed"
	typeFail     = "Fail"
)

// stateDef is one loaded state. The fields a state type does not use stay
// zero; the type-specific parts hang off pointers.
type stateDef struct {
	name, typ string
	next      string
	end       bool

	inputPath, outputPath ioPath
	parameters            *asl.Template
	resultSelector        *asl.Template
	resultPath            ioPath
	result                any // Pass
	hasResult             bool

	retry []retrier
	catch []catcher

	task     *taskDef
	choice   *choiceDef
	wait     *waitDef
	fail     *failDef
	branches []*scope // Parallel
	mapping  *mapDef
}

// ioPath is an InputPath, OutputPath or ResultPath: the zero value means
// "$", null means JSON null (InputPath/OutputPath: {}, ResultPath: discard
// the result).
type ioPath struct {
	path *asl.Path
	null bool
}

type choiceDef struct {
	rules []*asl.ChoiceRule
	// nexts is the Next of every element of Choices, in order, including
	// the rules that failed to compile, so that the graph checks report
	// only the real error and not their targets as unreachable.
	nexts       []string
	defaultNext string
}

type waitDef struct {
	seconds       int64
	secondsPath   *asl.Path
	timestamp     time.Time
	hasTimestamp  bool
	timestampPath *asl.Path
}

type failDef struct {
	errorName, cause   string
	errorExpr, causeEx asl.Expr
}

type mapDef struct {
	itemsPath          *asl.Path
	itemSelector       *asl.Template
	processor          *scope
	maxConcurrency     int64
	maxConcurrencyPath *asl.Path
}

// Fields every state type accepts, and those AWS accepts that this engine
// does not run (JSONata and variables, distributed Map).
var (
	commonFields     = []string{"Type", "Comment", "QueryLanguage"}
	outOfScopeFields = []string{"Assign", "Output", "Arguments", "Items", "Credentials",
		"ItemReader", "ItemBatcher", "ResultWriter", "Label", "ToleratedFailureCount",
		"ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath"}
	allowedFields = map[string][]string{
		typePass:     {"InputPath", "OutputPath", "Next", "End", "Parameters", "ResultPath", "Result"},
		typeTask:     {"InputPath", "OutputPath", "Next", "End", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath"},
		typeChoice:   {"InputPath", "OutputPath", "Choices", "Default"},
		typeWait:     {"InputPath", "OutputPath", "Next", "End", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"},
		typeSucceed:  {"InputPath", "OutputPath"},
		typeFail:     {"Error", "ErrorPath", "Cause", "CausePath"},
		typeParallel: {"InputPath", "OutputPath", "Next", "End", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "Branches"},
		typeMap: {"InputPath", "OutputPath", "Next", "End", "ResultSelector", "ResultPath", "Retry", "Catch",
			"ItemsPath", "ItemSelector", "Parameters", "Iterator", "ItemProcessor", "MaxConcurrency", "MaxConcurrencyPath"},
	}
)

// state reads one state; loc is its location ("/States/Name", possibly
// nested). It returns nil when the state is unusable.
func (l *loader) state(name string, raw any, loc string) *stateDef {
	o, ok := l.object(raw, loc)
	if !ok {
		return nil
	}
	typ, ok := o.str("Type")
	if !ok {
		o.require("Type")
		return nil
	}
	allowed, known := allowedFields[typ]
	if !known {
		if typ == "Activity" {
			l.fail(diagSchema, o.at("Type"), "State type '%s' is not supported by this local Step Functions engine", typ)
		} else {
			l.fail(diagSchema, o.at("Type"), "Value is not a valid state type: '%s'", typ)
		}
		return nil
	}
	o.allow(append(append([]string{}, commonFields...), allowed...), outOfScopeFields)
	if ql, ok := o.str("QueryLanguage"); ok {
		l.queryLanguage(ql, o.at("QueryLanguage"))
	}
	st := &stateDef{name: name, typ: typ}
	st.inputPath = o.path("InputPath")
	st.outputPath = o.path("OutputPath")
	st.resultPath = o.resultPath("ResultPath")
	st.resultSelector = o.template("ResultSelector")
	if typ != typeMap {
		st.parameters = o.template("Parameters")
	}
	l.transition(o, st)
	switch typ {
	case typePass:
		st.result, st.hasResult = o.m["Result"]
	case typeTask:
		st.task = l.task(o)
	case typeChoice:
		st.choice = l.choice(o)
	case typeWait:
		st.wait = l.wait(o)
	case typeFail:
		st.fail = l.failState(o)
	case typeParallel:
		st.branches = l.branches(o)
	case typeMap:
		st.mapping = l.mapState(o)
	}
	if typ == typeTask || typ == typeParallel || typ == typeMap {
		st.retry = l.retriers(o)
		st.catch = l.catchers(o)
	}
	return st
}

// transition reads Next/End: exactly one of them for the states that
// transition, neither for Choice, Succeed and Fail.
func (l *loader) transition(o object, st *stateDef) {
	st.next, _ = o.str("Next")
	st.end, _ = o.boolean("End")
	switch st.typ {
	case typeChoice, typeSucceed, typeFail:
		for _, f := range []string{"Next", "End"} {
			if o.has(f) {
				l.fail(diagSchema, o.loc, "Field '%s' is not supported", f)
			}
		}
		return
	}
	if o.has("Next") && o.has("End") {
		l.fail(diagSchema, o.loc, "There should only be one of the following fields: [Next, End]")
	} else if st.next == "" && !st.end {
		l.fail(diagSchema, o.loc, "These fields are required: [Next or End: true]")
	}
}

func (l *loader) choice(o object) *choiceDef {
	c := &choiceDef{}
	c.defaultNext, _ = o.str("Default")
	list, ok := o.nonEmptyArray("Choices")
	if !ok {
		return c
	}
	for i, raw := range list {
		rule, err := asl.CompileChoiceRuleValue(raw, true)
		if err != nil {
			l.compileError(fmt.Sprintf("%s[%d]", o.at("Choices"), i), err)
			m, _ := raw.(map[string]any)
			next, _ := m["Next"].(string)
			c.nexts = append(c.nexts, next)
			continue
		}
		c.rules = append(c.rules, rule)
		c.nexts = append(c.nexts, rule.Next())
	}
	return c
}

func (l *loader) wait(o object) *waitDef {
	fields := []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"}
	w := &waitDef{}
	if !o.exclusive(fields...) {
		return w
	}
	if !o.has(fields[0]) && !o.has(fields[1]) && !o.has(fields[2]) && !o.has(fields[3]) {
		l.fail(diagSchema, o.loc, "One of these fields is required: [Seconds, SecondsPath, Timestamp, TimestampPath]")
	}
	w.seconds, _ = o.integer("Seconds", 0, 99999999)
	w.secondsPath = o.referencePath("SecondsPath")
	w.timestampPath = o.referencePath("TimestampPath")
	if ts, ok := o.str("Timestamp"); ok {
		t, ok := asl.ParseTimestamp(ts)
		if !ok {
			l.fail(diagSchema, o.at("Timestamp"), "String does not match RFC3339 timestamp")
		}
		w.timestamp, w.hasTimestamp = t, ok
	}
	return w
}

func (l *loader) failState(o object) *failDef {
	f := &failDef{}
	o.exclusive("Error", "ErrorPath")
	o.exclusive("Cause", "CausePath")
	f.errorName, _ = o.str("Error")
	f.cause, _ = o.str("Cause")
	f.errorExpr = o.expr("ErrorPath")
	f.causeEx = o.expr("CausePath")
	return f
}

func (o object) expr(field string) asl.Expr {
	s, ok := o.str(field)
	if !ok {
		return nil
	}
	e, err := asl.CompileExpr(s)
	if err != nil {
		o.l.compileError(o.at(field), err)
		return nil
	}
	return e
}

func (l *loader) branches(o object) []*scope {
	list, ok := o.nonEmptyArray("Branches")
	if !ok {
		return nil
	}
	var out []*scope
	for i, raw := range list {
		loc := fmt.Sprintf("%s[%d]", o.at("Branches"), i)
		b, ok := l.object(raw, loc)
		if !ok {
			continue
		}
		b.allow([]string{"StartAt", "States", "Comment"}, nil)
		if sc := l.scope(b, loc); sc != nil {
			out = append(out, sc)
		}
	}
	return out
}

func (l *loader) mapState(o object) *mapDef {
	m := &mapDef{}
	m.itemsPath = o.referencePath("ItemsPath")
	o.exclusive("ItemSelector", "Parameters")
	m.itemSelector = o.template("ItemSelector")
	if m.itemSelector == nil {
		m.itemSelector = o.template("Parameters")
	}
	if o.exclusive("MaxConcurrency", "MaxConcurrencyPath") {
		m.maxConcurrency, _ = o.integer("MaxConcurrency", 0, math32)
		m.maxConcurrencyPath = o.referencePath("MaxConcurrencyPath")
	}
	field := "ItemProcessor"
	if !o.has(field) {
		field = "Iterator"
	}
	if !o.exclusive("ItemProcessor", "Iterator") {
		return m
	}
	if !o.has(field) {
		l.fail(diagSchema, o.loc, "These fields are required: [ItemProcessor]")
		return m
	}
	p, ok := l.object(o.m[field], o.at(field))
	if !ok {
		return m
	}
	p.allow([]string{"StartAt", "States", "Comment", "ProcessorConfig"}, nil)
	if raw, ok := p.m["ProcessorConfig"]; ok {
		if cfg, ok := l.object(raw, p.at("ProcessorConfig")); ok {
			cfg.allow([]string{"Mode", "ExecutionType"}, nil)
			if mode, ok := cfg.str("Mode"); ok && mode != "INLINE" {
				l.fail(diagSchema, cfg.at("Mode"), "Map Mode '%s' is not supported by this local Step Functions engine; use INLINE", mode)
			}
		}
	}
	m.processor = l.scope(p, p.loc)
	return m
}

const math32 = 1<<31 - 1
