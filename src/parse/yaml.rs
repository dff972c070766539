//! A small YAML tree with a line and column on every node, built from
//! yaml-rust2's event parser: multi-document streams, anchors, aliases and
//! tags are accepted (tags are ignored), so real compose, k8s and CI files load.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser};

/// Refuse trees deeper than this: a hostile file must not exhaust the stack.
const MAX_DEPTH: usize = 256;
/// Refuse documents that expand (through aliases) past this many nodes.
const MAX_NODES: usize = 500_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(String),
    Seq(Vec<Yaml>),
    Map(Vec<(Yaml, Yaml)>),
}

/// One node; `line` and `column` are 1-based.
#[derive(Debug, Clone, PartialEq)]
pub struct Yaml {
    pub value: Value,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl Yaml {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Yaml]> {
        match &self.value {
            Value::Seq(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Yaml, Yaml)]> {
        match &self.value {
            Value::Map(v) => Some(v),
            _ => None,
        }
    }

    /// Mapping entries whose keys are scalars, merge keys (`<<`) expanded.
    pub fn entries(&self) -> Vec<(&Yaml, &Yaml)> {
        let mut out: Vec<(&Yaml, &Yaml)> = Vec::new();
        let Some(map) = self.as_map() else {
            return out;
        };
        let mut merged: Vec<(&Yaml, &Yaml)> = Vec::new();
        for (k, v) in map {
            if k.as_str() == Some("<<") {
                let sources: Vec<&Yaml> = match &v.value {
                    Value::Seq(items) => items.iter().collect(),
                    _ => vec![v],
                };
                for source in sources {
                    if let Some(inner) = source.as_map() {
                        merged.extend(inner.iter().map(|(k, v)| (k, v)));
                    }
                }
            } else if k.as_str().is_some() {
                out.push((k, v));
            }
        }
        for (k, v) in merged {
            if !out.iter().any(|(o, _)| o.as_str() == k.as_str()) {
                out.push((k, v));
            }
        }
        out
    }

    /// The value under `key` in a mapping (merge keys honoured).
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        self.entries()
            .into_iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// Follow a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Yaml> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// A scalar or a sequence of scalars, as strings (`needs: a` and
    /// `needs: [a, b]` alike); other shapes give nothing.
    pub fn str_list(&self) -> Vec<String> {
        match (&self.value, self.as_seq()) {
            (_, Some(items)) => items
                .iter()
                .filter_map(Yaml::as_str)
                .map(str::to_string)
                .collect(),
            (Value::Scalar(s), _) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Yaml::as_str)
    }

    fn count(&self) -> usize {
        match &self.value {
            Value::Scalar(_) => 1,
            Value::Seq(v) => 1 + v.iter().map(Yaml::count).sum::<usize>(),
            Value::Map(v) => 1 + v.iter().map(|(k, v)| k.count() + v.count()).sum::<usize>(),
        }
    }
}

enum Frame {
    Seq(Yaml, usize),
    Map(Yaml, usize, Option<Yaml>),
}

/// Parse every document of a YAML stream.
pub fn parse_documents(text: &str) -> Result<Vec<Yaml>, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Yaml> = HashMap::new();
    let mut nodes = 0usize;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| YamlError {
            line: e.marker().line() as u32,
            column: e.marker().col() as u32 + 1,
            message: e.info().to_string(),
        })?;
        let line = mark.line() as u32;
        let column = mark.col() as u32 + 1;
        let at = |value| Yaml {
            value,
            line,
            column,
        };
        let done: Option<(Yaml, usize)> = match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => None,
            Event::Scalar(s, _, aid, _) => Some((at(Value::Scalar(s)), aid)),
            Event::Alias(aid) => {
                let node = anchors
                    .get(&aid)
                    .cloned()
                    .unwrap_or_else(|| at(Value::Scalar(String::new())));
                nodes += node.count();
                Some((node, 0))
            }
            Event::SequenceStart(aid, _) => {
                stack.push(Frame::Seq(at(Value::Seq(Vec::new())), aid));
                None
            }
            Event::MappingStart(aid, _) => {
                stack.push(Frame::Map(at(Value::Map(Vec::new())), aid, None));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(node, aid)) => Some((node, aid)),
                // A block mapping's start mark is its first `:`; report the first key instead.
                Some(Frame::Map(mut node, aid, _)) => {
                    let first = node
                        .as_map()
                        .and_then(|m| m.first())
                        .map(|(k, _)| (k.line, k.column));
                    if let Some((line, column)) = first {
                        if (line, column) < (node.line, node.column) {
                            node.line = line;
                            node.column = column;
                        }
                    }
                    Some((node, aid))
                }
                None => None,
            },
        };
        if stack.len() > MAX_DEPTH {
            return Err(YamlError {
                line,
                column,
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
            });
        }
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(YamlError {
                line,
                column,
                message: format!("more than {MAX_NODES} nodes (alias expansion?)"),
            });
        }
        let Some((node, aid)) = done else {
            continue;
        };
        if aid != 0 {
            anchors.insert(aid, node.clone());
        }
        match stack.last_mut() {
            None => docs.push(node),
            Some(Frame::Seq(parent, _)) => {
                if let Value::Seq(items) = &mut parent.value {
                    items.push(node);
                }
            }
            Some(Frame::Map(parent, _, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => {
                    if let Value::Map(entries) = &mut parent.value {
                        entries.push((key, node));
                    }
                }
            },
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_documents_with_positions() {
        let docs = parse_documents("a: 1\nb:\n  - x\n  - y\n---\nkind: Pod\n").unwrap();
        assert_eq!(docs.len(), 2);
        let b = docs[0].get("b").unwrap();
        assert_eq!(b.as_seq().unwrap()[1].as_str(), Some("y"));
        assert_eq!(b.as_seq().unwrap()[1].line, 4);
        assert_eq!(docs[1].str_at("kind"), Some("Pod"));
        assert_eq!(docs[1].get("kind").unwrap().line, 6);
        assert_eq!((docs[0].line, docs[0].column), (1, 1));
        assert_eq!((docs[1].line, docs[1].column), (6, 1));
    }

    #[test]
    fn anchors_aliases_merge_keys_and_tags() {
        let text = "x-base: &base\n  image: redis\n  restart: always\nservices:\n  cache:\n    <<: *base\n    restart: never\n  tagged: !Ref thing\n";
        let docs = parse_documents(text).unwrap();
        let cache = docs[0].path(&["services", "cache"]).unwrap();
        assert_eq!(cache.str_at("image"), Some("redis"));
        assert_eq!(cache.str_at("restart"), Some("never"));
        assert_eq!(
            docs[0].path(&["services", "tagged"]).unwrap().as_str(),
            Some("thing")
        );
    }

    #[test]
    fn malformed_is_an_error_with_position() {
        let err = parse_documents("a: [1, 2\nb: c\n").unwrap_err();
        assert!(err.line >= 1);
        assert!(!err.message.is_empty());
        assert!(parse_documents("key: \"unterminated\n").is_err());
        assert!(parse_documents("\t- a\n:\n").is_err() || parse_documents("\t- a\n:\n").is_ok());
    }

    #[test]
    fn deep_nesting_and_alias_bombs_are_refused() {
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        assert!(parse_documents(&deep).is_err());
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            bomb.push_str(&format!(
                "{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = c;
        }
        assert!(parse_documents(&bomb).is_err());
    }

    #[test]
    fn empty_input_has_no_documents() {
        assert!(parse_documents("").unwrap().is_empty());
        assert!(parse_documents("# only a comment\n").unwrap().is_empty());
    }
}
