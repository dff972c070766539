//! Dockerfiles: instructions with their line numbers (continuations joined,
//! comments dropped) grouped into build stages. Never fails: a Dockerfile
//! with no instruction is an empty document.

/// One instruction, e.g. `RUN npm ci`, starting at `line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub line: u32,
    /// Upper-cased keyword (`FROM`, `RUN`, `USER`, …).
    pub keyword: String,
    /// Everything after the keyword, trimmed, continuations joined by a space.
    pub args: String,
}

/// A build stage: one `FROM` and the instructions up to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub line: u32,
    /// The image or earlier stage it starts from (`node:20`, `build`); empty when `FROM` has no argument.
    pub from: String,
    /// `AS name`, lower-cased.
    pub alias: Option<String>,
    /// `from` names an earlier stage of this file, not an image.
    pub from_stage: bool,
    pub instructions: Vec<Instruction>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerfileDoc {
    /// Instructions before the first `FROM` (`ARG`), which belong to no stage.
    pub preamble: Vec<Instruction>,
    pub stages: Vec<Stage>,
}

impl DockerfileDoc {
    /// The stage the image is built from (the last one).
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// Every instruction in file order.
    pub fn instructions(&self) -> impl Iterator<Item = &Instruction> {
        self.preamble
            .iter()
            .chain(self.stages.iter().flat_map(|s| s.instructions.iter()))
    }
}

pub fn parse(text: &str) -> DockerfileDoc {
    let mut doc = DockerfileDoc::default();
    for (line, instruction) in logical_lines(text) {
        let trimmed = instruction.trim();
        if trimmed.is_empty() {
            // A lone `\` continuation: no instruction.
            continue;
        }
        let (word, rest) = trimmed
            .split_once(char::is_whitespace)
            .unwrap_or((trimmed, ""));
        let instruction = Instruction {
            line,
            keyword: word.to_ascii_uppercase(),
            args: rest.trim().to_string(),
        };
        if instruction.keyword == "FROM" {
            let mut args = instruction
                .args
                .split_whitespace()
                .filter(|a| !a.starts_with("--"));
            let from = args.next().unwrap_or("").to_string();
            let alias = match (args.next(), args.next()) {
                (Some(as_kw), Some(alias)) if as_kw.eq_ignore_ascii_case("as") => {
                    Some(alias.to_ascii_lowercase())
                }
                _ => None,
            };
            let lower = from.to_ascii_lowercase();
            let from_stage = doc
                .stages
                .iter()
                .any(|s| s.alias.as_deref() == Some(lower.as_str()));
            doc.stages.push(Stage {
                line,
                from,
                alias,
                from_stage,
                instructions: vec![instruction],
            });
        } else if let Some(stage) = doc.stages.last_mut() {
            stage.instructions.push(instruction);
        } else {
            doc.preamble.push(instruction);
        }
    }
    doc
}

/// Instructions with `\` continuations joined, each with its first line number.
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut current: Option<(u32, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if current.is_none() && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        let (start, mut acc) = current.take().unwrap_or((i as u32 + 1, String::new()));
        if t.starts_with('#') {
            current = Some((start, acc));
            continue;
        }
        if let Some(body) = t.strip_suffix('\\') {
            acc.push_str(body);
            acc.push(' ');
            current = Some((start, acc));
        } else {
            acc.push_str(t);
            out.push((start, acc));
        }
    }
    if let Some(last) = current {
        out.push(last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_continuations() {
        let doc = parse("# syntax=docker/dockerfile:1\nARG V=1\nFROM --platform=$BUILDPLATFORM node:20 AS Build\nRUN npm ci \\\n  # a comment inside\n  && npm run build\nFROM build AS test\nFROM nginx\nUSER nginx\n");
        assert_eq!(doc.preamble.len(), 1);
        assert_eq!(doc.stages.len(), 3);
        let first = &doc.stages[0];
        assert_eq!((first.line, first.from.as_str()), (3, "node:20"));
        assert_eq!(first.alias.as_deref(), Some("build"));
        assert_eq!(first.instructions[1].args, "npm ci  && npm run build");
        assert_eq!(first.instructions[1].line, 4);
        assert!(doc.stages[1].from_stage);
        assert!(!doc.stages[2].from_stage);
        assert_eq!(doc.final_stage().map(|s| s.from.as_str()), Some("nginx"));
        assert_eq!(doc.instructions().count(), 6);
        assert_eq!(parse(""), DockerfileDoc::default());
        assert_eq!(parse("FROM\n").stages[0].from, "");
        assert!(parse("\\\n\n").instructions().next().is_none());
    }
}
