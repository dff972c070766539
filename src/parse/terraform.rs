//! Terraform files, read line by line: top-level blocks (`resource "t" "n"`,
//! `provider "aws"`, `terraform`, `module`, …) with their labels and line, and
//! the string attributes written inside each. Comments are skipped and braces
//! inside strings do not count. Not a full HCL parser: expressions other than
//! string literals are not read. Never fails.

use crate::model::Location;
use crate::source::text::re;
use regex::Regex;
use std::sync::LazyLock;

static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"^\s*([A-Za-z_][A-Za-z0-9_-]*)((?:\s+(?:"[^"]*"|[A-Za-z0-9_-]+))*)\s*\{"#)
});
static LABEL: LazyLock<Regex> = LazyLock::new(|| re(r#""([^"]*)"|([A-Za-z0-9_-]+)"#));
static ATTRIBUTE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\b([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*"([^"]*)""#));

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformFile {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// `resource`, `provider`, `terraform`, `data`, `module`, …
    pub keyword: String,
    /// `["aws_db_instance", "main"]` for `resource "aws_db_instance" "main"`.
    pub labels: Vec<String>,
    pub location: Location,
    /// `key = "value"` pairs anywhere inside the block, in order.
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub key: String,
    /// The string literal's content, unescaped only as far as it was written.
    pub value: String,
    pub line: u32,
    /// The attribute starts its line (not inside an inline object `{ a = "b" }`).
    pub starts_line: bool,
}

impl Block {
    pub fn label(&self, i: usize) -> &str {
        self.labels.get(i).map_or("", String::as_str)
    }

    /// The first attribute named `key` that starts its line.
    pub fn attribute(&self, key: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.starts_line && a.key == key)
    }
}

pub fn parse(path: &str, text: &str) -> TerraformFile {
    let mut blocks: Vec<Block> = Vec::new();
    let mut depth: i64 = 0;
    let mut in_block = false;
    let mut in_comment = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u32 + 1;
        let t = raw.trim();
        if in_comment {
            in_comment = !t.contains("*/");
            continue;
        }
        if t.starts_with("/*") {
            in_comment = !t.contains("*/");
            continue;
        }
        if t.starts_with('#') || t.starts_with("//") {
            continue;
        }
        if depth == 0 {
            in_block = false;
            if let Some(c) = BLOCK.captures(raw) {
                let labels = LABEL
                    .captures_iter(c.get(2).map_or("", |m| m.as_str()))
                    .filter_map(|l| l.get(1).or_else(|| l.get(2)))
                    .map(|m| m.as_str().to_string())
                    .collect();
                blocks.push(Block {
                    keyword: c[1].to_string(),
                    labels,
                    location: Location::new(path, line, 1),
                    attributes: Vec::new(),
                });
                in_block = true;
            }
        } else if let (true, Some(block)) = (in_block, blocks.last_mut()) {
            for c in ATTRIBUTE.captures_iter(raw) {
                let start = c.get(0).map_or(0, |m| m.start());
                block.attributes.push(Attribute {
                    key: c[1].to_string(),
                    value: c[2].to_string(),
                    line,
                    starts_line: raw[..start].trim().is_empty(),
                });
            }
        }
        depth = (depth + brace_delta(raw)).max(0);
    }
    TerraformFile { blocks }
}

/// Net `{` minus `}` on a line, ignoring those inside string literals except
/// `${…}` interpolations (which balance anyway) and after a `#` comment.
fn brace_delta(line: &str) -> i64 {
    let mut delta = 0;
    let mut in_string = false;
    let mut prev = '\0';
    for c in line.chars() {
        match c {
            '"' if prev != '\\' => in_string = !in_string,
            '#' if !in_string => break,
            '{' if !in_string => delta += 1,
            '}' if !in_string => delta -= 1,
            _ => {}
        }
        prev = c;
    }
    delta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_labels_and_attributes() {
        let tf = "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\" }\n  }\n}\n\nprovider aws {\n  region = \"eu-west-1\" # main\n}\n/* resource \"a\" \"hidden\" {\n} */\n# resource \"aws_s3_bucket\" \"commented\" {}\nresource \"aws_db_instance\" \"main\" {\n  engine = \"postgres\"\n  tags = { Name = \"x{\" }\n}\n";
        let f = parse("main.tf", tf);
        let kinds: Vec<_> = f
            .blocks
            .iter()
            .map(|b| (b.keyword.as_str(), b.labels.clone(), b.location.line))
            .collect();
        assert_eq!(
            kinds,
            [
                ("terraform", vec![], 1),
                ("provider", vec!["aws".to_string()], 7),
                (
                    "resource",
                    vec!["aws_db_instance".to_string(), "main".to_string()],
                    13
                ),
            ]
        );
        let source = &f.blocks[0].attributes[0];
        assert_eq!(
            (source.key.as_str(), source.line, source.starts_line),
            ("source", 3, false)
        );
        assert_eq!(
            f.blocks[1].attribute("region").map(|a| a.value.as_str()),
            Some("eu-west-1")
        );
        assert_eq!(f.blocks[2].attribute("engine").map(|a| a.line), Some(14));
        assert!(f.blocks[2].attribute("Name").is_none());
        let broken = parse(
            "x.tf",
            "resource \"a\" \"b\" {\n{{{{\n}}}}}}}}\n\"unterminated\n",
        );
        assert_eq!(broken.blocks.len(), 1);
    }
}
