package contract

// BenchResult is what `signctl bench --json` prints.
type BenchResult struct {
	Documents  int     `json:"documents"`
	Failed     int     `json:"failed"`
	Seconds    float64 `json:"seconds"`
	DocsPerSec float64 `json:"docs_per_sec"`
	P50MS      float64 `json:"p50_ms"`
	P99MS      float64 `json:"p99_ms"`
}
