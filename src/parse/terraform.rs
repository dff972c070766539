//! Terraform and `*.tfvars` files: HCL parsed by `hcl-edit` (a maintained
//! parser that keeps byte spans) into a small typed tree with 1-based lines.
//! Literals (strings without interpolation, numbers, booleans, lists and
//! objects of them) keep their value; every other expression (a variable, a
//! function call, a conditional, a template with `${…}`) keeps its source
//! text, so a rule can tell "set to a literal" from "computed". A file that
//! is not HCL is an error with its line and column.

use crate::source::text::LineIndex;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{BlockLabel, Structure};
use hcl_edit::Span;

/// A body: the whole file, or what one block holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// `resource`, `provider`, `terraform`, `module`, `ingress`, …
    pub ident: String,
    /// `["aws_db_instance", "main"]` for `resource "aws_db_instance" "main"`.
    pub labels: Vec<String>,
    pub line: u32,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub key: String,
    pub value: Value,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    /// A string literal without interpolation, unescaped.
    String(String),
    Array(Vec<Value>),
    Object(Vec<Entry>),
    /// Anything computed (`var.x`, `local.y`, `"${var.z}-db"`, `f(x)`, `a ? b : c`):
    /// its source text, trimmed.
    Expr(String),
}

/// One `key = value` of an object literal.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Value,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ParseError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl Block {
    pub fn label(&self, i: usize) -> &str {
        self.labels.get(i).map_or("", String::as_str)
    }
}

impl Body {
    pub fn attribute(&self, key: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.key == key)
    }

    /// The attribute's value, when it is set.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.attribute(key).map(|a| &a.value)
    }

    /// Nested blocks named `ident` (`ingress`, `security_rule`, …).
    pub fn blocks<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ident == ident)
    }

    /// The first nested block named `ident`.
    pub fn block(&self, ident: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.ident == ident)
    }
}

impl Value {
    /// The string literal, if the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A boolean literal, or a string `"true"`/`"false"` (Terraform converts).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// A number literal, or a string holding one (Terraform converts).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The string literals of a string or a list of them; nothing for a
    /// computed value (unknown is not empty: callers check [`Value::is_known`]).
    pub fn strings(&self) -> Vec<&str> {
        match self {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// No part of the value is computed.
    pub fn is_known(&self) -> bool {
        match self {
            Value::Expr(_) => false,
            Value::Array(items) => items.iter().all(Value::is_known),
            Value::Object(entries) => entries.iter().all(|e| e.value.is_known()),
            _ => true,
        }
    }

    /// The object literal's value for `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }
}

pub fn parse(text: &str) -> Result<Body, ParseError> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| ParseError {
        line: e.location().line() as u32,
        column: e.location().column() as u32,
        message: e.message().to_string(),
    })?;
    let reader = Reader {
        text,
        lines: LineIndex::new(text),
    };
    Ok(reader.body(&body, 1))
}

struct Reader<'a> {
    text: &'a str,
    lines: LineIndex,
}

impl Reader<'_> {
    /// The line a span starts on (`fallback` when the parser gave none).
    fn line(&self, span: Option<std::ops::Range<usize>>, fallback: u32) -> u32 {
        span.map_or(fallback, |s| self.lines.line(s.start))
    }

    fn source(&self, span: Option<std::ops::Range<usize>>) -> String {
        span.and_then(|s| self.text.get(s))
            .map_or_else(String::new, |s| s.trim().to_string())
    }

    fn body(&self, body: &hcl_edit::structure::Body, fallback: u32) -> Body {
        let mut out = Body::default();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let line = self.line(a.span(), fallback);
                    out.attributes.push(Attribute {
                        key: a.key.as_str().to_string(),
                        value: self.value(&a.value, line),
                        line,
                    });
                }
                Structure::Block(b) => {
                    let line = self.line(b.span(), fallback);
                    out.blocks.push(Block {
                        ident: b.ident.as_str().to_string(),
                        labels: b
                            .labels
                            .iter()
                            .map(|l| match l {
                                BlockLabel::Ident(i) => i.as_str().to_string(),
                                BlockLabel::String(s) => s.as_str().to_string(),
                            })
                            .collect(),
                        line,
                        body: self.body(&b.body, line),
                    });
                }
            }
        }
        out
    }

    fn value(&self, e: &Expression, line: u32) -> Value {
        match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => n
                .value()
                .as_f64()
                .map_or_else(|| Value::Expr(self.source(e.span())), Value::Number),
            Expression::String(s) => Value::String(s.value().to_string()),
            Expression::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.value(i, self.line(i.span(), line)))
                    .collect(),
            ),
            Expression::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let at = self.line(k.span(), line);
                        Entry {
                            key: match k {
                                ObjectKey::Ident(i) => i.as_str().to_string(),
                                ObjectKey::Expression(Expression::String(s)) => {
                                    s.value().to_string()
                                }
                                ObjectKey::Expression(x) => self.source(x.span()),
                            },
                            value: self.value(v.expr(), at),
                            line: at,
                        }
                    })
                    .collect(),
            ),
            Expression::Parenthesis(p) => self.value(p.inner(), line),
            _ => Value::Expr(self.source(e.span())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TF: &str = r#"terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

# resource "aws_s3_bucket" "commented" {}
/* resource "a" "hidden" {
} */
resource "aws_db_instance" "main" {
  engine              = "postgres"
  allocated_storage   = 20
  publicly_accessible = true
  name                = "${var.env}-db"
  tags = {
    Name = "x{"
  }
  vpc_security_group_ids = [aws_security_group.db.id, "sg-1"]
}

resource "aws_security_group" "db" {
  ingress {
    from_port   = 5432
    to_port     = (5432)
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

    #[test]
    fn blocks_attributes_values_and_lines() {
        let body = parse(TF).unwrap();
        let shape: Vec<_> = body
            .blocks
            .iter()
            .map(|b| (b.ident.as_str(), b.labels.clone(), b.line))
            .collect();
        assert_eq!(
            shape,
            [
                ("terraform", vec![], 1),
                (
                    "resource",
                    vec!["aws_db_instance".to_string(), "main".to_string()],
                    10
                ),
                (
                    "resource",
                    vec!["aws_security_group".to_string(), "db".to_string()],
                    21
                ),
            ]
        );
        let aws = body.blocks[0]
            .body
            .block("required_providers")
            .and_then(|b| b.body.attribute("aws"))
            .unwrap();
        assert_eq!(aws.line, 3);
        assert_eq!(
            aws.value.get("source").and_then(Value::as_str),
            Some("hashicorp/aws")
        );
        let db = &body.blocks[1].body;
        assert_eq!(db.value("engine").and_then(Value::as_str), Some("postgres"));
        assert_eq!(
            db.value("allocated_storage").and_then(Value::as_f64),
            Some(20.0)
        );
        assert_eq!(
            db.value("publicly_accessible").and_then(Value::as_bool),
            Some(true)
        );
        assert_eq!(
            db.attribute("publicly_accessible").map(|a| a.line),
            Some(13)
        );
        assert_eq!(
            db.value("name"),
            Some(&Value::Expr("\"${var.env}-db\"".to_string()))
        );
        let tags = db.attribute("tags").unwrap();
        assert_eq!(tags.value.get("Name").and_then(Value::as_str), Some("x{"));
        let groups = db.value("vpc_security_group_ids").unwrap();
        assert_eq!(groups.strings(), ["sg-1"]);
        assert!(!groups.is_known());
        let ingress = body.blocks[2].body.block("ingress").unwrap();
        assert_eq!(ingress.line, 22);
        assert_eq!(
            ingress.body.value("to_port").and_then(Value::as_f64),
            Some(5432.0)
        );
        assert_eq!(
            ingress.body.value("cidr_blocks").unwrap().strings(),
            ["0.0.0.0/0"]
        );
    }

    #[test]
    fn tfvars_are_attributes() {
        let body = parse("instance_class = \"db.r5.large\"\nreplicas = 3\n").unwrap();
        assert_eq!(body.blocks.len(), 0);
        assert_eq!(body.attribute("replicas").map(|a| a.line), Some(2));
    }

    #[test]
    fn not_hcl_is_an_error_with_its_position() {
        let e = parse("resource \"a\" \"b\" {\n  x = \n}\n").unwrap_err();
        // The value is missing where the line ends.
        assert_eq!((e.line, e.column), (2, 7), "{e}");
        assert!(parse("resource \"a\" \"b\" {\n{{{{\n").is_err());
        assert!(parse("").unwrap().blocks.is_empty());
    }
}
