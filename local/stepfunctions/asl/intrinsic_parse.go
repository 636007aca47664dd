package asl

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// parser reads the intrinsic function grammar of the ASL spec ("Intrinsic
// Functions"): Name(arg, arg, …) where a name holds only A-Z a-z 0-9 . _ and
// is followed immediately by '('.
type parser struct {
	s     string
	i     int
	depth int
}

func (p *parser) skipSpace() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
}

func (p *parser) call() (*call, error) {
	start := p.i
	for p.i < len(p.s) && isNameChar(p.s[p.i]) {
		p.i++
	}
	name := p.s[start:p.i]
	switch {
	case name == "":
		return nil, fmt.Errorf("expected an intrinsic function name at offset %d", start)
	case p.i >= len(p.s) || p.s[p.i] != '(':
		return nil, fmt.Errorf("%s must be followed immediately by '('", name)
	}
	fn, ok := functions[name]
	if !ok {
		return nil, fmt.Errorf("unknown intrinsic function %s", name)
	}
	if p.depth++; p.depth > maxNesting {
		return nil, fmt.Errorf("intrinsic functions are nested more than %d deep", maxNesting)
	}
	p.i++
	args, err := p.args()
	if err != nil {
		return nil, err
	}
	p.depth--
	c := &call{fn: fn, args: args}
	return c, fn.check(c)
}

func (p *parser) args() ([]node, error) {
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == ')' {
		p.i++
		return nil, nil
	}
	var args []node
	for {
		p.skipSpace()
		a, err := p.arg()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, errors.New("missing ')'")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ')':
			p.i++
			return args, nil
		default:
			return nil, fmt.Errorf("expected ',' or ')' at offset %d, found %q", p.i, p.s[p.i])
		}
	}
}

func (p *parser) arg() (node, error) {
	if p.i >= len(p.s) {
		return nil, errors.New("missing argument")
	}
	switch c := p.s[p.i]; {
	case c == '\'':
		return p.stringLit()
	case c == '$':
		return p.pathArg()
	case c == '-' || c >= '0' && c <= '9':
		return p.numberLit()
	case isNameChar(c):
		return p.wordArg()
	default:
		return nil, fmt.Errorf("unexpected %q at offset %d (expected an argument)", c, p.i)
	}
}

// wordArg reads null, true, false or a nested call.
func (p *parser) wordArg() (node, error) {
	start := p.i
	for p.i < len(p.s) && isNameChar(p.s[p.i]) {
		p.i++
	}
	if p.i < len(p.s) && p.s[p.i] == '(' {
		p.i = start
		return p.call()
	}
	switch word := p.s[start:p.i]; word {
	case "null":
		return &literal{value: nil}, nil
	case "true", "false":
		return &literal{value: word == "true"}, nil
	default:
		return nil, fmt.Errorf("unexpected %q at offset %d (strings must be in apostrophes)", word, start)
	}
}

// stringLit reads 'text' where \' \{ \} \\ are the only escapes; any other
// backslash is an open escape, which the spec makes an error.
func (p *parser) stringLit() (node, error) {
	start := p.i
	var val strings.Builder
	for p.i++; p.i < len(p.s); p.i++ {
		switch c := p.s[p.i]; c {
		case '\'':
			p.i++
			return &literal{value: val.String(), raw: p.s[start+1 : p.i-1]}, nil
		case '\\':
			if p.i+1 >= len(p.s) || strings.IndexByte(`'{}\`, p.s[p.i+1]) < 0 {
				return nil, fmt.Errorf("open escape '\\' at offset %d (only \\' \\{ \\} \\\\ are allowed)", p.i)
			}
			p.i++
			val.WriteByte(p.s[p.i])
		default:
			val.WriteByte(c)
		}
	}
	return nil, fmt.Errorf("unterminated string starting at offset %d", start)
}

// numberLit reads a JSON number.
func (p *parser) numberLit() (node, error) {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte("+-.0123456789eE", p.s[p.i]) >= 0 {
		p.i++
	}
	text := p.s[start:p.i]
	if !json.Valid([]byte(text)) {
		return nil, fmt.Errorf("invalid number %q at offset %d", text, start)
	}
	return &literal{value: json.Number(text)}, nil
}

// pathArg reads a path up to the ',' or ')' that ends the argument, skipping
// those characters inside brackets, parentheses and quoted names.
func (p *parser) pathArg() (node, error) {
	start, depth := p.i, 0
scan:
	for ; p.i < len(p.s); p.i++ {
		switch p.s[p.i] {
		case '\'', '"':
			end := closingQuote(p.s, p.i)
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote in path at offset %d", p.i)
			}
			p.i = end
		case '[', '(':
			depth++
		case ']':
			depth--
		case ')', ',':
			if depth == 0 {
				break scan
			}
			if p.s[p.i] == ')' {
				depth--
			}
		}
	}
	path, err := CompilePath(strings.TrimRight(p.s[start:p.i], " \t\r\n"))
	if err != nil {
		return nil, err
	}
	return &pathArg{path: path}, nil
}
