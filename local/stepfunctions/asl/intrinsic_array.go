package asl

import (
	"math"
	"math/rand/v2"
)

// maxRangeItems is the States.ArrayRange limit (developer guide: "The newly
// generated array can't contain more than 1000 items").
const maxRangeItems = 1000

func arrayPartition(_ *call, a []any) (any, error) {
	arr, ok := a[0].([]any)
	size, okSize := toInt(a[1], false)
	if !ok || !okSize || size < 1 {
		return nil, errInvalid
	}
	out := []any{}
	for i := 0; i < len(arr); {
		end := len(arr)
		if size < int64(end-i) {
			end = i + int(size)
		}
		out = append(out, append([]any{}, arr[i:end]...))
		i = end
	}
	return out, nil
}

func arrayContains(_ *call, a []any) (any, error) {
	arr, ok := a[0].([]any)
	if !ok {
		return nil, errInvalid
	}
	want := canonicalKey(a[1])
	for _, e := range arr {
		if canonicalKey(e) == want {
			return true, nil
		}
	}
	return false, nil
}

// arrayRange returns first, first+step, … up to and including last.
func arrayRange(_ *call, a []any) (any, error) {
	var v [3]int64
	for i := range v {
		n, ok := toInt(a[i], false)
		if !ok || !isInt32(n) {
			return nil, errInvalid
		}
		v[i] = n
	}
	first, last, step := v[0], v[1], v[2]
	if step == 0 {
		return nil, errInvalid
	}
	out := []any{}
	if step > 0 && first > last || step < 0 && first < last {
		return out, nil
	}
	count := (last-first)/step + 1
	if count > maxRangeItems {
		return nil, errInvalid
	}
	for k := range count {
		out = append(out, number(first+k*step))
	}
	return out, nil
}

func arrayGetItem(_ *call, a []any) (any, error) {
	arr, ok := a[0].([]any)
	f, okIdx := toFloat(a[1])
	if !ok || !okIdx || f != math.Trunc(f) || f < 0 || f >= float64(len(arr)) {
		return nil, errInvalid
	}
	return arr[int(f)], nil
}

func arrayLength(_ *call, a []any) (any, error) {
	arr, ok := a[0].([]any)
	if !ok {
		return nil, errInvalid
	}
	return number(int64(len(arr))), nil
}

// arrayUnique keeps the first of equal elements, in order.
func arrayUnique(_ *call, a []any) (any, error) {
	arr, ok := a[0].([]any)
	if !ok {
		return nil, errInvalid
	}
	seen := make(map[string]bool, len(arr))
	out := []any{}
	for _, e := range arr {
		k := canonicalKey(e)
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out, nil
}

// mathAdd rounds both operands to the nearest integer and requires them and
// the sum to fit a 32-bit signed integer, as AWS does.
func mathAdd(_ *call, a []any) (any, error) {
	x, ok1 := toInt(a[0], true)
	y, ok2 := toInt(a[1], true)
	if !ok1 || !ok2 || !isInt32(x) || !isInt32(y) || !isInt32(x+y) {
		return nil, errInvalid
	}
	return number(x + y), nil
}

func isInt32(n int64) bool { return n >= math.MinInt32 && n <= math.MaxInt32 }

// mathRandom returns an integer in [start, end); a seed makes it repeatable.
func mathRandom(_ *call, a []any) (any, error) {
	start, ok1 := toInt(a[0], false)
	end, ok2 := toInt(a[1], false)
	if !ok1 || !ok2 || start >= end || !isInt32(start) || !isInt32(end) {
		return nil, errInvalid
	}
	if len(a) == 2 {
		return number(start + rand.Int64N(end-start)), nil
	}
	seed, ok := toInt(a[2], false)
	if !ok {
		return nil, errInvalid
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0))
	return number(start + r.Int64N(end-start)), nil
}
