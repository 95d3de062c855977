use super::*;
use proptest::prelude::*;

/// The value, printed back as Python (spans left out), for compact expectations.
fn py(src: &str) -> String {
    match parse(src) {
        Ok(node) => node.value.to_string(),
        Err(e) => panic!("{src:?} failed at {}:{}: {}", e.line, e.column, e.message),
    }
}

fn string(src: &str) -> String {
    match parse(src).unwrap().value {
        PyValue::Str(s) => s,
        other => panic!("not a string: {other}"),
    }
}

/// The byte a line and column point at, by the inverse of the line table that computed them.
fn position_offset(src: &str, line: usize, column: usize) -> Option<usize> {
    crate::source::SourceFile::new("", "", src).offset_of(line, column)
}

/// The error as (message, line, column).
fn error(src: &str) -> (String, usize, usize) {
    let e = parse(src).expect_err(src);
    assert_eq!(
        position_offset(src, e.line, e.column),
        Some(e.offset),
        "line and column lead back to the offset"
    );
    (e.message, e.line, e.column)
}

#[test]
fn dict_with_comments_and_blank_lines_around() {
    let src =
        "# -*- coding: utf-8 -*-\n\n# Copyright\n{\n    'name': 'X',  # the name\n}\n# end\n\n";
    assert_eq!(py(src), "{'name': 'X'}");
}

#[test]
fn literal_may_be_indented_on_the_first_line_only() {
    assert_eq!(py("  \t{'a': 1}"), "{'a': 1}");
    assert_eq!(
        error("# c\n  {'a': 1}"),
        (
            "unexpected indent: the literal must start in column 1 unless it is on the first line"
                .to_owned(),
            2,
            3
        )
    );
}

#[test]
fn nested_containers_and_trailing_commas() {
    assert_eq!(
        py("{'a': [1, 2,], 'b': {'c': (1, 2,)}, 'd': [],}"),
        "{'a': [1, 2], 'b': {'c': (1, 2)}, 'd': []}"
    );
}

#[test]
fn tuples_parentheses_and_sets() {
    assert_eq!(py("()"), "()");
    assert_eq!(py("(1,)"), "(1,)");
    assert_eq!(py("(1)"), "1");
    assert_eq!(py("((1,))"), "(1,)");
    assert_eq!(
        py("[('include', 'web._assets'), ('before', 'a', 'b')]"),
        "[('include', 'web._assets'), ('before', 'a', 'b')]"
    );
    assert_eq!(py("{'a', 'b',}"), "{'a', 'b'}");
    assert_eq!(py("{'a'}"), "{'a'}");
    assert_eq!(py("set()"), "set()");
    assert_eq!(py("set ( \n )"), "set()");
    assert_eq!(py("{}"), "{}");
}

#[test]
fn constants() {
    assert_eq!(py("[True, False, None]"), "[True, False, None]");
}

#[test]
fn newlines_inside_brackets_and_backslash_continuations() {
    assert_eq!(py("[\n1\n,\r\n2 # c\n\r]"), "[1, 2]");
    assert_eq!(py("\\\n{'a': \\\n 1}"), "{'a': 1}");
    assert_eq!(py("'a' \\\n 'b'"), "'ab'");
}

#[test]
fn quotes_and_triple_quotes() {
    assert_eq!(string(r#""it's""#), "it's");
    assert_eq!(string(r#"'say "hi"'"#), "say \"hi\"");
    assert_eq!(string("'''a\n'b''c'''"), "a\n'b''c");
    assert_eq!(string("\"\"\"x\r\ny\rz\"\"\""), "x\ny\nz");
    assert_eq!(string("''"), "");
    assert_eq!(string("''''''"), "");
}

#[test]
fn adjacent_literals_concatenate() {
    assert_eq!(string("'a' \"b\" '''c''' r'\\d'"), "abc\\d");
    assert_eq!(
        py("{'author': 'Odoo, '\n    'OCA', 'x': 1}"),
        "{'author': 'Odoo, OCA', 'x': 1}"
    );
    // At the top level a newline ends the literal, as in Python.
    assert_eq!(
        error("'a'\n'b'"),
        ("unexpected `'` after the manifest literal".to_owned(), 2, 1)
    );
}

#[test]
fn prefixes() {
    assert_eq!(string(r"r'\d\''"), r"\d\'");
    assert_eq!(string(r"R'\n'"), r"\n");
    assert_eq!(string("u'x' U'y'"), "xy");
    assert_eq!(string("r'a\\\nb'"), "a\\\nb");
    assert_eq!(string("r'''\\\r\n'''"), "\\\n");
}

#[test]
fn escapes() {
    assert_eq!(
        string(r#"'\\\'\"\a\b\f\n\r\t\v'"#),
        "\\'\"\x07\x08\x0c\n\r\t\x0b"
    );
    assert_eq!(string(r"'\101\0\777\1a'"), "A\0\u{1ff}\u{1}a");
    assert_eq!(string(r"'\x41\u00e9\U0001F600'"), "Aé😀");
    assert_eq!(string("'a\\\nb'"), "ab");
    assert_eq!(string("'a\\\r\nb'"), "ab");
    // Python keeps an unknown escape as written.
    assert_eq!(string(r"'\q\8\会'"), r"\q\8\会");
}

#[test]
fn integers() {
    assert_eq!(
        py("[0, 00, 7, 1_000, 0x_ff, 0XfF, 0o17, 0b101, 0_0]"),
        "[0, 0, 7, 1000, 255, 255, 15, 5, 0]"
    );
    assert_eq!(
        py("[-1, +1, - 1, -(1), -( (2) ), -0x10]"),
        "[-1, 1, -1, -1, -2, -16]"
    );
    assert_eq!(py("-9223372036854775808"), "-9223372036854775808");
    assert_eq!(py("9223372036854775807"), "9223372036854775807");
}

#[test]
fn floats() {
    assert_eq!(
        py("[1.5, .5, 1., 1e3, 1.5E-3, 1_0.0_1, 00.5, 09.5, 0e0, -0.5]"),
        "[1.5, 0.5, 1.0, 1000.0, 0.0015, 10.01, 0.5, 9.5, 0.0, -0.5]"
    );
    assert_eq!(py("1e400"), "1e999");
    assert_eq!(py("-1e400"), "-1e999");
}

#[test]
fn spans_point_at_keys_and_values() {
    let src = "{\n    'name': 'X',\n    'depends': ['base', 'mail'],\n}";
    let root = parse(src).unwrap();
    let (key, value) = root.get("depends").unwrap();
    assert_eq!(&src[key.span.offset..key.span.end()], "'depends'");
    assert_eq!(
        &src[value.span.offset..value.span.end()],
        "['base', 'mail']"
    );
    let PyValue::List(items) = &value.value else {
        panic!("not a list")
    };
    assert_eq!(&src[items[1].span.offset..items[1].span.end()], "'mail'");
    assert_eq!(&src[root.span.offset..root.span.end()], src);
    let concat = parse("('a'\n 'b')").unwrap();
    assert_eq!(concat.span, Span::range(1, 9));
    let signed = parse("[- (1)]").unwrap();
    let PyValue::List(items) = &signed.value else {
        panic!("not a list")
    };
    assert_eq!(items[0].span, Span::range(1, 6));
}

#[test]
fn repeated_key_keeps_both_entries_and_get_returns_the_last() {
    let root = parse("{'a': 1, 'a': 2}").unwrap();
    assert_eq!(root.get("a").unwrap().1.value, PyValue::Int(2));
    assert_eq!(root.value.to_string(), "{'a': 1, 'a': 2}");
    assert!(root.get("b").is_none());
}

#[test]
fn invalid_utf8_is_reported_at_its_byte() {
    let e = parse_bytes(b"{\n 'a': '\xe9'}").unwrap_err();
    assert_eq!(e.message, "the file is not valid UTF-8 (byte 0xe9)");
    assert_eq!((e.offset, e.line, e.column), (9, 2, 8));
    let e = Manifest::from_bytes(b"\xff").unwrap_err();
    assert_eq!((e.offset, e.line, e.column), (0, 1, 1));
}

#[test]
fn byte_order_mark_and_nul_are_refused() {
    assert_eq!(
        error("\u{feff}{}"),
        (
            "the file starts with a byte order mark, which Python's `ast.literal_eval` rejects"
                .to_owned(),
            1,
            1
        )
    );
    assert_eq!(
        error("{'a':\n '\0'}"),
        ("the file contains a NUL byte".to_owned(), 2, 3)
    );
}

#[test]
fn unterminated_strings() {
    assert_eq!(
        error("{\n  'a': 'b}"),
        ("unterminated string".to_owned(), 2, 8)
    );
    assert_eq!(
        error("{'a': '''b\n\n}"),
        ("unterminated triple-quoted string".to_owned(), 1, 7)
    );
    assert_eq!(
        error("['a\n']"),
        (
            "unterminated string: a newline inside a single-quoted string needs triple quotes"
                .to_owned(),
            1,
            2
        )
    );
    assert_eq!(error(r"r'\'"), ("unterminated string".to_owned(), 1, 2));
}

#[test]
fn unsupported_string_forms() {
    assert_eq!(
        error("['a' b'x']"),
        (
            "bytes literals are not supported in a manifest".to_owned(),
            1,
            6
        )
    );
    assert_eq!(
        error("f'x'"),
        ("f-strings are not literals".to_owned(), 1, 1)
    );
    assert_eq!(
        error(r"'\N{BULLET}'"),
        (
            "`\\N{...}` escapes are not supported; write the character itself".to_owned(),
            1,
            2
        )
    );
    assert_eq!(
        error(r"'ab\x4'"),
        (
            "truncated `\\x` escape: it needs 2 hex digits".to_owned(),
            1,
            4
        )
    );
    assert_eq!(
        error(r"'\u12'"),
        (
            "truncated `\\u` escape: it needs 4 hex digits".to_owned(),
            1,
            2
        )
    );
    assert_eq!(
        error(r"'\ud800'"),
        (
            "surrogate escapes are not supported: they are not characters".to_owned(),
            1,
            2
        )
    );
    assert_eq!(
        error(r"'\U00110000'"),
        ("illegal Unicode character U+110000".to_owned(), 1, 2)
    );
}

#[test]
fn bad_numbers() {
    let leading = "leading zeros in decimal integer literals are not permitted; \
                   use an `0o` prefix for octal integers";
    assert_eq!(error("[07]"), (leading.to_owned(), 1, 2));
    assert_eq!(error("[0_7]"), (leading.to_owned(), 1, 2));
    for bad in [
        "1_", "1__0", "0b2", "1e", "0x", "1.5_", "1_.5", "1if", "1e+",
    ] {
        assert_eq!(
            error(&format!("[\n {bad}]")),
            (format!("invalid number literal `{bad}`"), 2, 2),
            "{bad}"
        );
    }
    assert_eq!(
        error("{'a': 1j}"),
        (
            "complex numbers are not supported in a manifest".to_owned(),
            1,
            7
        )
    );
    let large = "integer does not fit in 64 bits; no manifest field needs one this large";
    assert_eq!(error("[9223372036854775808]"), (large.to_owned(), 1, 2));
    assert_eq!(error("[-9223372036854775809]"), (large.to_owned(), 1, 2));
    assert_eq!(
        error("0x1_0000_0000_0000_0000_0000_0000_0000_0000"),
        (large.to_owned(), 1, 1)
    );
}

#[test]
fn signs_apply_to_numbers_only() {
    for (src, found, column) in [
        ("--1", "`-`", 2),
        ("-True", "`T`", 2),
        ("-'x'", "`'`", 2),
        ("-(1,)", "", 0),
    ] {
        if column == 0 {
            assert_eq!(error(src), ("expected `)`, found `,`".to_owned(), 1, 4));
        } else {
            assert_eq!(
                error(src),
                (
                    format!("a sign applies only to a number, found {found}"),
                    1,
                    column
                )
            );
        }
    }
}

#[test]
fn syntax_errors_say_what_was_expected() {
    assert_eq!(
        error("{'a': 1,,}"),
        ("expected a value, found `,`".to_owned(), 1, 9)
    );
    assert_eq!(
        error("{'a': 1\n 'b': 2}"),
        (
            "expected `,` or `}` after a dict entry, found `'`".to_owned(),
            2,
            2
        )
    );
    assert_eq!(
        error("{'a' 1}"),
        ("expected `:`, `,` or `}`, found `1`".to_owned(), 1, 6)
    );
    assert_eq!(
        error("{'a': 1, 'b'}"),
        ("expected `:` after a dict key, found `}`".to_owned(), 1, 13)
    );
    assert_eq!(
        error("{**x}"),
        ("expected a value, found `*`".to_owned(), 1, 2)
    );
    assert_eq!(
        error("[1 2]"),
        ("expected `,` or `]`, found `2`".to_owned(), 1, 4)
    );
    assert_eq!(
        error("(1 2)"),
        ("expected `,` or `)`, found `2`".to_owned(), 1, 4)
    );
    assert_eq!(
        error("{'a': "),
        ("unexpected end of file, expected a value".to_owned(), 1, 7)
    );
    assert_eq!(
        error(""),
        ("unexpected end of file, expected a value".to_owned(), 1, 1)
    );
    assert_eq!(
        error("{} {}"),
        ("unexpected `{` after the manifest literal".to_owned(), 1, 4)
    );
    assert_eq!(
        error("{};"),
        ("unexpected `;` after the manifest literal".to_owned(), 1, 3)
    );
    assert_eq!(
        error("[1, \\ 2]"),
        ("unexpected `\\` outside a string".to_owned(), 1, 5)
    );
    assert_eq!(
        error("[\u{7}]"),
        ("expected a value, found character U+0007".to_owned(), 1, 2)
    );
    assert_eq!(
        error("{'a':\u{a0}1}"),
        ("expected a value, found character U+00A0".to_owned(), 1, 6)
    );
    assert_eq!(
        error("[→]"),
        ("expected a value, found `→`".to_owned(), 1, 2)
    );
    assert_eq!(
        error("[café]"),
        (
            "`café` is not a literal: a manifest cannot refer to names".to_owned(),
            1,
            2
        )
    );
}

#[test]
fn names_are_not_literals() {
    assert_eq!(
        error("{'a': true}"),
        (
            "`true` is not a Python literal, did you mean `True`?".to_owned(),
            1,
            7
        )
    );
    assert_eq!(
        error("{'a': null}"),
        (
            "`null` is not a Python literal, did you mean `None`?".to_owned(),
            1,
            7
        )
    );
    assert_eq!(
        error("{'a': os.environ}"),
        (
            "`os` is not a literal: a manifest cannot refer to names".to_owned(),
            1,
            7
        )
    );
    assert_eq!(
        error("set([])"),
        (
            "expected `)`: only an empty `set()` call is a literal, found `[`".to_owned(),
            1,
            5
        )
    );
    assert_eq!(
        error("[set]"),
        (
            "`set` is not a literal: only `set()` is accepted".to_owned(),
            1,
            2
        )
    );
    assert_eq!(
        error("[...]"),
        (
            "`...` (Ellipsis) is not supported in a manifest".to_owned(),
            1,
            2
        )
    );
}

#[test]
fn unhashable_keys_and_elements() {
    let msg = |t: &str| format!("unhashable type `{t}`: it cannot be a dict key or a set element");
    assert_eq!(error("{[1]: 2}"), (msg("list"), 1, 2));
    assert_eq!(error("{1: 2, (1, {}): 3}"), (msg("dict"), 1, 8));
    assert_eq!(error("{1, {2}}"), (msg("set"), 1, 5));
    assert_eq!(py("{(1, 'a'): 2}"), "{(1, 'a'): 2}");
}

#[test]
fn nesting_is_capped() {
    let deep = "[".repeat(MAX_DEPTH + 10);
    assert_eq!(
        error(&deep),
        (
            format!("nesting deeper than {MAX_DEPTH} levels"),
            1,
            MAX_DEPTH + 1
        )
    );
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse(&ok).is_ok());
    let signs = format!("-{}1", "(".repeat(MAX_DEPTH + 1));
    assert!(parse(&signs).is_err());
}

/// The deepest input the cap lets through must fit the 2 MiB stack of a spawned thread
/// (the scanner's, and the test harness's) even in an unoptimised build.
#[test]
fn the_deepest_accepted_nesting_fits_a_thread_stack() {
    let n = MAX_DEPTH;
    let inputs = [
        format!("{}1{}", "{1: ".repeat(n), "}".repeat(n)),
        format!("{}1{}", "{1: (".repeat(n / 2), ",)}".repeat(n / 2)),
        format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        format!(
            "{}-{}1{}{}",
            "[".repeat(n / 2),
            "(".repeat(n / 2),
            ")".repeat(n / 2),
            "]".repeat(n / 2)
        ),
    ];
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            for input in &inputs {
                assert!(parse(input).is_ok(), "{input}");
                let deeper = format!("[{input}]");
                assert!(parse(&deeper).is_err());
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn columns_count_characters_and_lines_count_every_newline_style() {
    assert_eq!(
        error("{'é': x}"),
        (
            "`x` is not a literal: a manifest cannot refer to names".to_owned(),
            1,
            7
        )
    );
    assert_eq!(
        error("[\r\n1,\r2,\n3 4]"),
        ("expected `,` or `]`, found `4`".to_owned(), 4, 3)
    );
}

#[test]
fn error_is_a_labelled_diagnostic() {
    let e = parse("[1 2]").unwrap_err();
    let labels: Vec<_> = Diagnostic::labels(&e).unwrap().collect();
    assert_eq!(labels.len(), 1);
    assert_eq!((labels[0].offset(), labels[0].len()), (3, 1));
    assert_eq!(e.to_string(), "expected `,` or `]`, found `2`");
}

#[test]
fn display_prints_python() {
    let value = PyValue::Str("a'b\\c\n\t\u{1}\u{7f}é".to_owned());
    assert_eq!(value.to_string(), r"'a\'b\\c\n\t\x01\x7fé'");
    assert_eq!(PyValue::Float(f64::NAN).to_string(), "float('nan')");
    assert_eq!(PyValue::Float(1e16).to_string(), "1e16");
}

/// Random tokens of the manifest language, so that random input reaches deep paths.
fn token_soup() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        ",",
        ":",
        "'",
        "\"",
        "'''",
        "\"\"\"",
        "\\",
        "\n",
        "\r",
        "\r\n",
        " ",
        "\t",
        "#",
        "-",
        "+",
        "0",
        "7",
        "0x",
        "0b",
        "_",
        ".",
        "e",
        "j",
        "1",
        "True",
        "None",
        "set",
        "r",
        "b",
        "u",
        "f",
        "\\x",
        "\\N",
        "\\u",
        "\\U",
        "é",
        "会",
        "\u{feff}",
        "\0",
        "'a'",
        "'depends'",
        "'auto_install'",
    ]);
    prop::collection::vec(tokens, 0..64).prop_map(|t| t.concat())
}

fn clear_spans(node: &mut PyNode) {
    node.span = Span::default();
    match &mut node.value {
        PyValue::List(items) | PyValue::Tuple(items) | PyValue::Set(items) => {
            items.iter_mut().for_each(clear_spans);
        }
        PyValue::Dict(entries) => {
            for (k, v) in entries {
                clear_spans(k);
                clear_spans(v);
            }
        }
        _ => {}
    }
}

fn node(value: PyValue) -> PyNode {
    PyNode {
        value,
        span: Span::default(),
    }
}

fn hashable_leaf() -> impl Strategy<Value = PyNode> {
    prop_oneof![
        Just(PyValue::None),
        any::<bool>().prop_map(PyValue::Bool),
        any::<i64>().prop_map(PyValue::Int),
        any::<f64>()
            .prop_filter("NaN has no literal", |x| !x.is_nan())
            .prop_map(PyValue::Float),
        any::<String>().prop_map(PyValue::Str),
    ]
    .prop_map(node)
}

fn any_value() -> impl Strategy<Value = PyNode> {
    hashable_leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| node(PyValue::List(v))),
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| node(PyValue::Tuple(v))),
            prop::collection::vec(hashable_leaf(), 0..6).prop_map(|v| node(PyValue::Set(v))),
            prop::collection::vec((hashable_leaf(), inner), 0..6)
                .prop_map(|v| node(PyValue::Dict(v))),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_bytes(&bytes);
        let _ = Manifest::from_bytes(&bytes);
    }

    #[test]
    fn arbitrary_strings_never_panic(src in any::<String>()) {
        let _ = Manifest::from_source(&src);
    }

    #[test]
    fn token_soup_never_panics_and_errors_have_consistent_positions(src in token_soup()) {
        match parse(&src) {
            Ok(node) => {
                let _ = Manifest::from_node(&src, &node);
            }
            Err(e) => {
                prop_assert!(e.offset <= src.len());
                prop_assert_eq!(position_offset(&src, e.line, e.column), Some(e.offset));
            }
        }
    }

    #[test]
    fn printed_values_parse_back_equal(value in any_value()) {
        let printed = value.value.to_string();
        let mut parsed = parse(&printed).map_err(|e| {
            TestCaseError::fail(format!("{printed}: {}:{}: {}", e.line, e.column, e.message))
        })?;
        clear_spans(&mut parsed);
        prop_assert_eq!(parsed, value, "printed as {}", printed);
    }
}
