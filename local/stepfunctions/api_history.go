package stepfunctions

import (
	"encoding/json"
	"strconv"
)

type getExecutionHistoryInput struct {
	ExecutionARN         string `json:"executionArn"`
	MaxResults           int    `json:"maxResults"`
	ReverseOrder         bool   `json:"reverseOrder"`
	NextToken            string `json:"nextToken"`
	IncludeExecutionData *bool  `json:"includeExecutionData"`
}

// historyPage is GetExecutionHistory's response; events are pre-encoded.
type historyPage struct {
	Events    []json.RawMessage `json:"events"`
	NextToken string            `json:"nextToken,omitempty"`
}

// GetExecutionHistory pages through the history, oldest first unless
// reverseOrder; the page token holds the id of the next event.
func (s *Service) apiGetExecutionHistory(in *getExecutionHistoryInput) (any, *APIError) {
	x, err := s.existingExecution(in.ExecutionARN)
	if err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	withData := in.IncludeExecutionData == nil || *in.IncludeExecutionData
	x.mu.Lock()
	defer x.mu.Unlock()
	n := int64(len(x.events))
	next, step := int64(1), int64(1)
	if in.ReverseOrder {
		next, step = n, -1
	}
	if in.NextToken != "" {
		if err := maxLen("nextToken", in.NextToken, 1024, false); err != nil {
			return nil, err
		}
		id, ok := decodePageNumber(in.NextToken, "h")
		if !ok || id < 1 || id > n {
			return nil, invalidPageToken()
		}
		next = id
	}
	page := historyPage{Events: []json.RawMessage{}}
	for id := next; id >= 1 && id <= n; id += step {
		if len(page.Events) == size {
			page.NextToken = encodePageToken("h", strconv.FormatInt(id, 10))
			break
		}
		b, merr := x.events[id-1].marshal(withData)
		if merr != nil {
			return nil, &APIError{Code: codeInternalFailure, Status: 500, Message: "could not encode the history"}
		}
		page.Events = append(page.Events, b)
	}
	return page, nil
}
