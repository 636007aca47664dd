package e2e_test

import (
	"testing"

	"github.com/hitl-go/docsign/internal/stacktest"
)

func TestMain(m *testing.M) { stacktest.Main(m) }
