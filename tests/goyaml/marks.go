// Compiled into a private copy of gopkg.in/yaml.v2 by build.sh, never into the real one:
// go-yaml's error messages carry a line number computed in a quirky way (0-based for parser
// errors, 1-based for scanner errors, none for reader errors) and no column, so the oracle
// asks the package's own event parser where it stopped.

package yaml

// OracleParseError parses data exactly as far as Unmarshal does (its first document) and
// returns where the parser, scanner or reader gave up. ok is true when it did not.
func OracleParseError(data []byte) (ok bool, kind string, problem string, context string,
	problemMark [3]int, contextMark [3]int, offset int) {
	var parser yaml_parser_t
	if !yaml_parser_initialize(&parser) {
		panic("cannot initialise the parser")
	}
	defer yaml_parser_delete(&parser)
	if len(data) == 0 {
		data = []byte{'\n'} // as newParser does
	}
	yaml_parser_set_input_string(&parser, data)
	var event yaml_event_t
	next := func() (yaml_event_type_t, bool) {
		if !yaml_parser_parse(&parser, &event) {
			return yaml_NO_EVENT, false
		}
		typ := event.typ
		yaml_event_delete(&event)
		return typ, true
	}
	// Unmarshal reads the stream start, then one node: a whole document (start, its node,
	// end) or nothing when the stream is empty.
	typ, good := next()
	if good {
		typ, good = next()
	}
	if good && typ == yaml_DOCUMENT_START_EVENT {
		depth := 0
		for good {
			typ, good = next()
			switch typ {
			case yaml_MAPPING_START_EVENT, yaml_SEQUENCE_START_EVENT:
				depth++
			case yaml_MAPPING_END_EVENT, yaml_SEQUENCE_END_EVENT:
				depth--
			}
			if good && depth == 0 && typ != yaml_MAPPING_START_EVENT &&
				typ != yaml_SEQUENCE_START_EVENT {
				typ, good = next() // the document end
				break
			}
		}
	}
	if good {
		return true, "", "", "", problemMark, contextMark, 0
	}
	kinds := map[yaml_error_type_t]string{
		yaml_READER_ERROR: "reader", yaml_SCANNER_ERROR: "scanner",
		yaml_PARSER_ERROR: "parser", yaml_MEMORY_ERROR: "memory",
	}
	pm, cm := parser.problem_mark, parser.context_mark
	return false, kinds[parser.error], parser.problem, parser.context,
		[3]int{pm.index, pm.line, pm.column}, [3]int{cm.index, cm.line, cm.column},
		parser.problem_offset
}
