// Command oracle reads YAML the way kubectl (and Helm's kube client) does and prints, for
// every document, the JSON value the API server would receive or the error with its position.
//
// It is a development tool for kprobelint's loader tests (see README.md); CI never runs it.
// Each behaviour mirrored here names the upstream file it comes from:
//
//   - k8s.io/cli-runtime pkg/resource/visitor.go (FileVisitor.Visit): the file is decoded
//     with unicode.BOMOverride(unicode.UTF8.NewDecoder()): a UTF-8 BOM is dropped, a UTF-16
//     BOM selects UTF-16, anything else is read as UTF-8 with each invalid byte replaced by
//     U+FFFD.
//   - same file (StreamVisitor.Visit): yaml.NewYAMLOrJSONDecoder(reader, 4096); a document
//     whose JSON is empty or `null` is skipped; the first error ends the whole file.
//   - k8s.io/apimachinery pkg/util/yaml/decoder.go (GuessJSONStream, YAMLOrJSONDecoder,
//     since 1.33): a stream whose first non-space byte within 4,096 bytes is `{` is read
//     as a stream of JSON values; when that fails after at most one value, the rest (less
//     the blanks up to and including the first newline) is read as YAML.
//   - same file (YAMLReader.Read, LineReader): YAML is cut into documents by lines, not by
//     a YAML parser: a line starting with `---` ends the document when the rest of the line
//     is blank or a comment, and is an error ("invalid Yaml document separator") otherwise.
//     `...` is not a separator. Line ends are read with bufio.ReadLine, so CRLF becomes LF.
//   - YAMLToJSONDecoder.Decode: each document goes to sigs.k8s.io/yaml.Unmarshal into a
//     RawExtension, which is YAMLToJSON (yaml.go): gopkg.in/yaml.v2 Unmarshal (the first YAML
//     document of the piece only), non-string keys made strings, then encoding/json.
//
// Usage:
//
//	oracle FILE...        one JSON line per file
//	oracle -stdin         JSON lines {"id": ..., "data": base64} in, one JSON line each out
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	textunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	yamlv2 "gopkg.in/yaml.v2"
	"sigs.k8s.io/yaml"
)

// Position is 1-based, in lines of the file and characters of the line.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Document is one piece of the stream as kubectl decodes it.
type Document struct {
	Line    int             `json:"line"`              // first line of the piece in the file
	JSON    json.RawMessage `json:"json,omitempty"`    // the value sent on (absent on error)
	Skipped bool            `json:"skipped,omitempty"` // empty or null: kubectl skips it
	Error   string          `json:"error,omitempty"`
	Kind    string          `json:"kind,omitempty"` // reader, scanner, parser, decode, separator, json
	At      *Position       `json:"at,omitempty"`   // where the parser gave up
	Context *Position       `json:"context,omitempty"`
	// The piece had more than one YAML document (after `...`): yaml.v2 read only the first.
	Ignored bool `json:"ignored_rest,omitempty"`
}

// Result is the oracle's verdict on one input.
type Result struct {
	ID        string     `json:"id,omitempty"`
	Stream    string     `json:"stream"` // yaml, json, or json+yaml (JSON values, then YAML)
	Documents []Document `json:"documents"`
	// kubectl stops at the first error; documents after it are still decoded here (each
	// piece is independent), so a test can compare them too.
	StopsAt int `json:"stops_at"` // index of the first failing document, or -1
}

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	if len(os.Args) == 2 && os.Args[1] == "-stdin" {
		in := bufio.NewScanner(os.Stdin)
		in.Buffer(make([]byte, 1<<20), 1<<30)
		for in.Scan() {
			var req struct {
				ID   string `json:"id"`
				Data string `json:"data"`
			}
			if err := json.Unmarshal(in.Bytes(), &req); err != nil {
				fatal(err)
			}
			raw, err := base64.StdEncoding.DecodeString(req.Data)
			if err != nil {
				fatal(err)
			}
			result := read(raw)
			result.ID = req.ID
			if err := enc.Encode(result); err != nil {
				fatal(err)
			}
		}
		if err := in.Err(); err != nil {
			fatal(err)
		}
		return
	}
	for _, path := range os.Args[1:] {
		raw, err := os.ReadFile(path)
		if err != nil {
			fatal(err)
		}
		result := read(raw)
		result.ID = path
		if err := enc.Encode(result); err != nil {
			fatal(err)
		}
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "oracle:", err)
	os.Exit(2)
}

func read(raw []byte) Result {
	decoded, err := io.ReadAll(transform.NewReader(bytes.NewReader(raw),
		textunicode.BOMOverride(textunicode.UTF8.NewDecoder())))
	if err != nil {
		fatal(err)
	}
	result := Result{Stream: "yaml", Documents: []Document{}, StopsAt: -1}
	yamlFrom := 0
	if looksLikeJSON(decoded) {
		result.Stream = "json"
		var done bool
		yamlFrom, done = readJSON(decoded, &result)
		if done {
			return result
		}
		result.Stream = "yaml" // no JSON value at all: YAML from the start
		if len(result.Documents) > 0 {
			result.Stream = "json+yaml"
		}
	}
	readYAML(decoded, yamlFrom, &result)
	for i, doc := range result.Documents {
		if doc.Error != "" {
			result.StopsAt = i
			break
		}
	}
	return result
}

// looksLikeJSON is GuessJSONStream: the first non-space byte of the first 4,096 is `{`.
func looksLikeJSON(data []byte) bool {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	return bytes.HasPrefix(bytes.TrimLeftFunc(head, unicode.IsSpace), []byte("{"))
}

// readJSON decodes JSON values until the stream ends or fails. It returns where YAML
// decoding takes over, and whether the stream is finished.
func readJSON(data []byte, result *Result) (int, bool) {
	decoder := json.NewDecoder(bytes.NewReader(data))
	consumed := 0
	for count := 0; ; count++ {
		var raw json.RawMessage
		err := decoder.Decode(&raw)
		if err == io.EOF {
			return len(data), true
		}
		if err != nil {
			if count > 1 {
				// An unambiguous JSON stream: the error stands.
				line := 1 + bytes.Count(data[:consumed], []byte("\n"))
				result.Documents = append(result.Documents, Document{
					Line: line, Error: err.Error(), Kind: "json",
				})
				return len(data), true
			}
			return consumed + blanksThroughNewline(data[consumed:]), false
		}
		start := consumed + len(data[consumed:]) - len(bytes.TrimLeftFunc(data[consumed:], unicode.IsSpace))
		doc := Document{Line: 1 + bytes.Count(data[:start], []byte("\n"))}
		setValue(&doc, raw)
		result.Documents = append(result.Documents, doc)
		consumed = int(decoder.InputOffset())
	}
}

// blanksThroughNewline is consumeWhitespace: spaces up to and including the first newline.
func blanksThroughNewline(data []byte) int {
	n := 0
	for n < len(data) {
		r, size := utf8.DecodeRune(data[n:])
		if !unicode.IsSpace(r) {
			return n
		}
		n += size
		if r == '\n' {
			return n
		}
	}
	return n
}

// readYAML cuts data[from:] into pieces as YAMLReader.Read does and decodes each one.
func readYAML(data []byte, from int, result *Result) {
	lineNo := 1 + bytes.Count(data[:from], []byte("\n"))
	lines := bufio.NewReader(bytes.NewReader(data[from:]))
	var piece bytes.Buffer
	pieceLine, pieceColumn := lineNo, 0
	flush := func() {
		if piece.Len() != 0 {
			result.Documents = append(result.Documents,
				decodePiece(piece.Bytes(), pieceLine, pieceColumn))
		}
		piece.Reset()
	}
	for {
		line, err := readLine(lines)
		if len(line) == 1 && err == io.EOF {
			break // LineReader's last "line" at EOF is just the added newline
		}
		if bytes.HasPrefix(line, []byte("---")) {
			rest := strings.TrimSpace(string(line[3:]))
			if len(rest) > 0 && rest[0] != '#' {
				// kubectl stops here. To go on (as kprobelint does), the rest of the line
				// starts the next piece, as Helm's SplitManifests would cut it.
				flush()
				result.Documents = append(result.Documents, Document{
					Line: lineNo, Error: "invalid Yaml document separator: " + rest,
					Kind: "separator", At: &Position{lineNo, 1},
				})
				after := 3
				for after < len(line) && (line[after] == ' ' || line[after] == '\t') {
					after++
				}
				pieceLine, pieceColumn = lineNo, after
				piece.Write(line[after:])
				lineNo++
				if err == io.EOF {
					break
				}
				continue
			}
			flush()
			pieceLine, pieceColumn = lineNo+1, 0
		} else {
			if piece.Len() == 0 {
				pieceLine, pieceColumn = lineNo, 0
			}
			piece.Write(line)
		}
		lineNo++
		if err == io.EOF {
			break
		}
	}
	flush()
}

// readLine is LineReader.Read: one line without its end, then "\n".
func readLine(r *bufio.Reader) ([]byte, error) {
	var buffer bytes.Buffer
	isPrefix := true
	var err error
	var line []byte
	for isPrefix && err == nil {
		line, isPrefix, err = r.ReadLine()
		buffer.Write(line)
	}
	buffer.WriteByte('\n')
	return buffer.Bytes(), err
}

func decodePiece(piece []byte, line, column int) Document {
	doc := Document{Line: line}
	converted, err := yaml.YAMLToJSON(piece)
	if err != nil {
		doc.Error = err.Error()
		doc.Kind = "decode"
		ok, kind, problem, context, pm, cm, offset := yamlv2.OracleParseError(piece)
		if !ok {
			doc.Kind = kind
			if problem != "" && context != "" {
				doc.Error += " [" + context + "]"
			}
			if kind == "reader" {
				doc.At = positionOfOffset(piece, offset, line, column)
			} else {
				doc.At = &Position{line + pm[1], pm[2] + 1}
				if pm[1] == 0 {
					doc.At.Column += column
				}
				if context != "" {
					doc.Context = &Position{line + cm[1], cm[2] + 1}
				}
			}
		}
		return doc
	}
	setValue(&doc, converted)
	doc.Ignored = hasSecondDocument(piece)
	return doc
}

func setValue(doc *Document, raw []byte) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		doc.Skipped = true
	}
	doc.JSON = append(json.RawMessage(nil), raw...)
}

// hasSecondDocument tells whether yaml.v2 left documents unread in the piece.
func hasSecondDocument(piece []byte) bool {
	decoder := yamlv2.NewDecoder(bytes.NewReader(piece))
	count := 0
	for {
		var value interface{}
		err := decoder.Decode(&value)
		if err == io.EOF {
			return false
		}
		count++
		if count > 1 || err != nil {
			return count > 1
		}
	}
}

func positionOfOffset(piece []byte, offset, line, column int) *Position {
	if offset > len(piece) {
		offset = len(piece)
	}
	before := piece[:offset]
	lines := bytes.Count(before, []byte("\n"))
	start := bytes.LastIndexByte(before, '\n') + 1
	col := utf8.RuneCount(before[start:]) + 1
	if lines == 0 {
		col += column
	}
	return &Position{line + lines, col}
}
