package contract

// ParallelStateName is the workflow's Parallel state: one branch per signer.
const ParallelStateName = "Collect signatures"

const (
	autoStatePrefix     = "Sign as "
	callbackStatePrefix = "Wait for "
	callbackStateSuffix = " to sign"
)

// AutoStateName is the state that signs for an auto signer.
func AutoStateName(signer string) string { return autoStatePrefix + signer }

// CallbackStateName is the state that waits for a callback signer.
func CallbackStateName(signer string) string {
	return callbackStatePrefix + signer + callbackStateSuffix
}

// SignerOfState returns the signer a state signs or waits for, and whether
// state is one of the workflow's signer states.
func SignerOfState(state string) (signer string, ok bool) {
	if s, found := cutPrefix(state, autoStatePrefix); found && s != "" {
		return s, true
	}
	if s, found := cutPrefix(state, callbackStatePrefix); found {
		if name, found := cutSuffix(s, callbackStateSuffix); found && name != "" {
			return name, true
		}
	}
	return "", false
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}

func cutSuffix(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// PinStateName is the workflow's first state: it pins the document's version.
const PinStateName = "Pin the document"
