//! A second, lenient reading of a file that does not fit its format, so that one run reports
//! every structural problem (unknown keys, wrong types, missing keys, unknown values, repeated
//! keys), each located, the way cargo-deny reports every configuration error at once.
//!
//! serde stops at the first problem. When it does, the file is read again as a [`Node`] tree,
//! which any YAML fits, and the tree is checked against the JSON Schema the format's serde
//! types derive (schemars), so the rules checked here are those of the loader, not a copy.

use std::collections::HashSet;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::{DuplicateKeyPolicy, Spanned};

use super::{Words, duplicate, missing, options, span_of, unknown, wrong_type};
use crate::error::Problem;
use crate::source::{SourceFile, Span};

/// A YAML value read without a schema.
#[derive(Debug)]
pub enum Node {
    /// `~`, `null` or nothing.
    Null,
    /// A string, number or boolean, as text.
    Scalar(String),
    /// A sequence.
    Seq(Vec<Spanned<Node>>),
    /// A mapping, entries in file order, repeated keys kept.
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

impl Node {
    /// The scalar's text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// A mapping's value for `key` (the first, if repeated).
    pub fn get(&self, key: &str) -> Option<&Spanned<Node>> {
        match self {
            Node::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.value.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A sequence's items; none for anything else.
    pub fn items(&self) -> &[Spanned<Node>] {
        match self {
            Node::Seq(items) => items,
            _ => &[],
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Scalar(v))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

/// Every problem of a file that does not fit its format: `first`, the one serde stopped at,
/// then the structural problems the tree shows against `schema` (the JSON Schema of the
/// format's serde types) and those `values` finds in the parts with the right shape; in file
/// order. A file that is not YAML at all has only `first`.
pub fn every_problem(
    file: &SourceFile,
    first: Problem,
    schema: impl FnOnce() -> Value,
    words: &Words,
    values: impl FnOnce(&Spanned<Node>, &mut Vec<Problem>),
) -> Vec<Problem> {
    let Some(root) = read(file) else {
        return vec![first];
    };
    let mut found = check(file, &root, &schema(), words);
    values(&root, &mut found);
    // The same problem seen twice, by serde and then by the tree: one code, and one line, or
    // (a missing key, which serde places at the mapping's end) one message in one mapping.
    let line = |p: &Problem| p.span.map(|s| file.line_col(s.offset).line);
    let same = |a: &Problem, b: &Problem| {
        a.code == b.code
            && (line(a) == line(b)
                || (a.message == b.message
                    && a.span
                        .zip(b.span)
                        .is_some_and(|(a, b)| (b.offset..=b.end()).contains(&a.offset))))
    };
    let mut problems = vec![first];
    for problem in found {
        if !problems.iter().any(|p| same(p, &problem)) {
            problems.push(problem);
        }
    }
    problems.sort_by_key(|p| p.span.map(|s| s.offset));
    problems
}

/// The file as a tree, or `None` when it is not even YAML (a syntax error, a limit): then the
/// first problem is the only one there is to report.
pub fn read(file: &SourceFile) -> Option<Spanned<Node>> {
    let mut options = options();
    // Repeated keys reach the tree, which reports each one, instead of ending the reading.
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    serde_saphyr::from_str_with_options::<Option<Spanned<Node>>>(file.text(), options)
        .ok()
        .flatten()
}

/// The span of a node.
pub fn span(node: &Spanned<Node>) -> Span {
    span_of(&node.referenced)
}

/// Every structural problem of `root` against `schema` (a JSON Schema as schemars derives it:
/// `$ref`s into `definitions`, `type`, `properties`, `required`, `additionalProperties`,
/// `items`, `enum`, `const`, `anyOf`, `oneOf`), in the words of `words`.
pub fn check(
    file: &SourceFile,
    root: &Spanned<Node>,
    schema: &Value,
    words: &Words,
) -> Vec<Problem> {
    let mut checker = Checker {
        file,
        words,
        root: schema,
        problems: Vec::new(),
    };
    checker.visit(root, schema);
    checker.problems
}

struct Checker<'a> {
    file: &'a SourceFile,
    words: &'a Words,
    root: &'a Value,
    problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    /// `schema` with its `$ref` followed.
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        // A bounded walk: schemars never chains references, and a cycle must not hang.
        for _ in 0..8 {
            let Some(target) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match target.strip_prefix('#').and_then(|p| self.root.pointer(p)) {
                Some(next) => schema = next,
                None => break,
            }
        }
        schema
    }

    /// The alternatives a value may match: the branches of `anyOf`/`oneOf`, flattened.
    fn alternatives(&self, schema: &'a Value, out: &mut Vec<&'a Value>) {
        let schema = self.resolve(schema);
        let branches = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array);
        // schemars wraps a documented reference as `allOf: [{$ref}]`.
        let single = schema
            .get("allOf")
            .and_then(Value::as_array)
            .filter(|a| a.len() == 1);
        match (branches, single) {
            (Some(branches), _) => {
                for branch in branches {
                    self.alternatives(branch, out);
                }
            }
            (None, Some(one)) => self.alternatives(&one[0], out),
            (None, None) => out.push(schema),
        }
    }

    fn visit(&mut self, node: &Spanned<Node>, schema: &'a Value) {
        let mut alternatives = Vec::new();
        self.alternatives(schema, &mut alternatives);
        if matches!(node.value, Node::Null) && alternatives.iter().any(|a| allows(a, "null")) {
            return;
        }
        let others: Vec<&Value> = alternatives
            .into_iter()
            .filter(|a| types(a) != ["null"])
            .collect();
        // An enum written as one constant per documented variant (`oneOf` of `const`s).
        let consts: Vec<&str> = others
            .iter()
            .filter_map(|a| a.get("const").and_then(Value::as_str))
            .collect();
        if !consts.is_empty() && consts.len() == others.len() {
            self.value_in(node, &consts);
            return;
        }
        match others.as_slice() {
            [one] => self.visit_one(node, one),
            // Several shapes (`installed`: a list or `{from: ...}`): the one of the node's kind;
            // a scalar where one takes it is accepted.
            [first, ..] => {
                let kind = match node.value {
                    Node::Seq(_) => Some("array"),
                    Node::Map(_) => Some("object"),
                    _ => None,
                };
                let matching = kind.and_then(|k| others.iter().find(|a| types(a).contains(&k)));
                if let Some(one) = matching {
                    self.visit_one(node, one);
                } else if !(matches!(node.value, Node::Scalar(_))
                    && others.iter().any(|a| scalar(a)))
                {
                    self.visit_one(node, first);
                }
            }
            [] => {}
        }
    }

    fn visit_one(&mut self, node: &Spanned<Node>, schema: &'a Value) {
        let kinds = types(schema);
        let span = Some(span(node));
        let wrong = |this: &mut Self| {
            let expected = if kinds.contains(&"array") {
                "a list"
            } else if kinds.contains(&"object") {
                "a mapping"
            } else {
                "a single value (a string)"
            };
            this.problems
                .push(wrong_type(this.file, span, expected, this.words));
        };
        match &node.value {
            Node::Null => {
                if !kinds.is_empty() && !kinds.contains(&"null") {
                    wrong(self);
                }
            }
            Node::Scalar(_) => {
                if !kinds.is_empty() && !scalar(schema) {
                    wrong(self);
                    return;
                }
                if let Some(values) = schema.get("enum").and_then(Value::as_array) {
                    let values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                    self.value_in(node, &values);
                }
            }
            Node::Seq(items) => {
                if !kinds.is_empty() && !kinds.contains(&"array") {
                    wrong(self);
                    return;
                }
                if let Some(item_schema) = schema.get("items") {
                    for item in items {
                        self.visit(item, item_schema);
                    }
                }
            }
            Node::Map(entries) => {
                if !kinds.is_empty() && !kinds.contains(&"object") {
                    wrong(self);
                    return;
                }
                self.visit_map(node, entries, schema);
            }
        }
    }

    fn visit_map(
        &mut self,
        node: &Spanned<Node>,
        entries: &[(Spanned<Node>, Spanned<Node>)],
        schema: &'a Value,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        let names: Vec<&str> = properties
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut seen = HashSet::new();
        for (key, value) in entries {
            let Some(name) = key.value.as_str() else {
                continue;
            };
            if !seen.insert(name) {
                self.problems
                    .push(duplicate(Some(span(key)), name, self.words));
                continue;
            }
            match properties.and_then(|p| p.get(name)) {
                Some(property) => self.visit(value, property),
                None if closed => {
                    let expected: Vec<String> = names.iter().map(|&n| n.to_owned()).collect();
                    self.problems.push(unknown(
                        Some(span(key)),
                        true,
                        name,
                        &names,
                        &expected,
                        self.words,
                    ));
                }
                None => {}
            }
        }
        let required = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect::<Vec<_>>())
            .unwrap_or_default();
        for field in required {
            if !seen.contains(field) {
                self.problems
                    .push(missing(Some(span(node)), field, self.words));
            }
        }
    }

    /// A scalar that must be one of `values`.
    fn value_in(&mut self, node: &Spanned<Node>, values: &[&str]) {
        let Node::Scalar(found) = &node.value else {
            self.problems.push(wrong_type(
                self.file,
                Some(span(node)),
                "a single value (a string)",
                self.words,
            ));
            return;
        };
        if !values.contains(&found.as_str()) {
            let expected: Vec<String> = values.iter().map(|&v| v.to_owned()).collect();
            self.problems.push(unknown(
                Some(span(node)),
                false,
                found,
                values,
                &expected,
                self.words,
            ));
        }
    }
}

/// The `type`s a schema allows (`"string"`, or `["array", "null"]`); empty when it says none.
fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn allows(schema: &Value, kind: &str) -> bool {
    types(schema).contains(&kind)
}

/// Whether a schema takes a scalar (a string, number or boolean).
fn scalar(schema: &Value) -> bool {
    types(schema)
        .iter()
        .any(|t| matches!(*t, "string" | "number" | "integer" | "boolean"))
}
