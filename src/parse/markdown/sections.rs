//! Markdown sections for the documentation rules: headings with the text
//! under them, and generous heading matching (case, punctuation and synonyms),
//! so hand-written docs with equivalent headings pass.

/// One heading and everything under it up to the next heading of the same
/// or a higher level (so a section's body includes its subsections).
#[derive(Debug, Clone)]
pub struct Section {
    pub level: u8,
    pub heading: String,
    /// 1-based line of the heading.
    pub line: u32,
    /// Body lines with their 1-based line numbers, fenced code included.
    pub body: Vec<(u32, String)>,
}

impl Section {
    /// Whether the section says something: text other than blank lines,
    /// HTML comments, sub-headings and placeholders like `TODO`/`TBD`.
    pub fn has_content(&self) -> bool {
        let mut in_comment = false;
        for (_, raw) in &self.body {
            let mut line = raw.trim().to_string();
            // Strip HTML comments, which may span lines.
            loop {
                if in_comment {
                    match line.find("-->") {
                        Some(i) => {
                            line = line[i + 3..].to_string();
                            in_comment = false;
                        }
                        None => {
                            line.clear();
                            break;
                        }
                    }
                } else if let Some(i) = line.find("<!--") {
                    let rest = line[i + 4..].to_string();
                    line = line[..i].to_string();
                    match rest.find("-->") {
                        Some(j) => line.push_str(&rest[j + 3..]),
                        None => in_comment = true,
                    }
                    if in_comment {
                        break;
                    }
                } else {
                    break;
                }
            }
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') || is_placeholder(t) {
                continue;
            }
            return true;
        }
        false
    }

    /// The body as one lowercase string, for keyword checks.
    pub fn text_lower(&self) -> String {
        let mut s = self.heading.to_lowercase();
        for (_, l) in &self.body {
            s.push('\n');
            s.push_str(&l.to_lowercase());
        }
        s
    }
}

fn is_placeholder(t: &str) -> bool {
    let n = normalise(t);
    matches!(
        n.as_str(),
        "" | "todo" | "tbd" | "tba" | "fixme" | "n a" | "to do" | "coming soon" | "wip"
    )
}

/// Lowercase words separated by single spaces: `"How to Roll-back?"` ⇒ `"how to roll back"`.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether normalised `haystack` contains `needle` starting at a word boundary
/// (`"rollback"` matches `"rollbacks"` but `"log"` does not match `"catalog"`).
pub fn mentions(haystack: &str, needle: &str) -> bool {
    let h = format!(" {}", normalise(haystack));
    let n = format!(" {}", normalise(needle));
    n.len() > 1 && h.contains(&n)
}

#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub sections: Vec<Section>,
}

impl Doc {
    pub fn parse(text: &str) -> Doc {
        let lines: Vec<&str> = text.lines().collect();
        let mut heads: Vec<(usize, u8, String)> = Vec::new();
        let mut fence: Option<&str> = None;
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            if let Some(f) = fence {
                if t.starts_with(f) {
                    fence = None;
                }
                continue;
            }
            if t.starts_with("```") {
                fence = Some("```");
                continue;
            }
            if t.starts_with("~~~") {
                fence = Some("~~~");
                continue;
            }
            if let Some((level, text)) = crate::parse::markdown::atx_heading(line) {
                heads.push((i, level, text));
            } else if i + 1 < lines.len() && !t.is_empty() && !t.starts_with(['-', '*', '>', '|']) {
                let next = lines[i + 1].trim();
                if next.len() >= 2 && next.chars().all(|c| c == '=') {
                    heads.push((i, 1, t.trim().to_string()));
                } else if next.len() >= 2 && next.chars().all(|c| c == '-') {
                    heads.push((i, 2, t.trim().to_string()));
                }
            }
        }
        let mut sections = Vec::new();
        for (k, (start, level, heading)) in heads.iter().enumerate() {
            let end = heads[k + 1..]
                .iter()
                .find(|(_, l, _)| l <= level)
                .map_or(lines.len(), |(i, _, _)| *i);
            let body = (start + 1..end)
                .filter(|&j| !heads.iter().any(|(h, _, _)| *h == j))
                .filter(|&j| {
                    // Drop setext underlines.
                    let t = lines[j].trim();
                    !(heads.iter().any(|(h, _, _)| *h + 1 == j)
                        && !t.is_empty()
                        && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-')))
                })
                .map(|j| (j as u32 + 1, lines[j].to_string()))
                .collect();
            sections.push(Section {
                level: *level,
                heading: heading.clone(),
                line: *start as u32 + 1,
                body,
            });
        }
        Doc { sections }
    }

    /// Sections other than the document's title (a leading level-1
    /// heading), whose body is the whole file and would match anything.
    pub fn parts(&self) -> &[Section] {
        match self.sections.first() {
            Some(s) if s.level == 1 => &self.sections[1..],
            _ => &self.sections,
        }
    }

    /// The first section (title excluded) whose heading mentions any of
    /// `names`, preferring one with content.
    pub fn find(&self, names: &[&str]) -> Option<&Section> {
        let mut hits = self
            .parts()
            .iter()
            .filter(|s| names.iter().any(|n| mentions(&s.heading, n)));
        let first = hits.clone().next();
        hits.find(|s| s.has_content()).or(first)
    }

    /// The document title (first heading), if any.
    pub fn title(&self) -> Option<&Section> {
        self.sections.first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# Deployments\n\nIntro.\n\n## How to Roll-back\n\n<!-- fill in -->\n\n## Logs\n\nSee Grafana.\n### Metrics\n\n```sh\n# not a heading\n```\nSetext\n------\nbody\n";

    #[test]
    fn sections_and_synonyms() {
        let doc = Doc::parse(DOC);
        let heads: Vec<_> = doc.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            heads,
            [
                "Deployments",
                "How to Roll-back",
                "Logs",
                "Metrics",
                "Setext"
            ]
        );
        let rb = doc.find(&["roll back", "rollback"]);
        assert_eq!(rb.map(|s| s.line), Some(5));
        assert!(
            !rb.is_some_and(Section::has_content),
            "comment-only is empty"
        );
        assert!(doc.find(&["logs"]).is_some_and(Section::has_content));
        assert!(doc.find(&["setext"]).is_some_and(Section::has_content));
        assert!(doc.find(&["log"]).is_some(), "prefix of a word matches");
        assert!(!mentions("catalog", "log"));
    }

    #[test]
    fn todo_is_empty() {
        let doc = Doc::parse("## Rollback\n\nTODO\n\n## Next\nx\n");
        assert!(!doc.sections[0].has_content());
    }

    /// Arbitrary text made of the characters this parser cares about must
    /// never panic (multi-byte characters, unclosed comments and fences).
    #[test]
    fn arbitrary_text_never_panics() {
        let alphabet: Vec<char> = "#-=`~<!>|*: \n\tainfr[]()é€😀0123456789_".chars().collect();
        for text in crate::source::text::random_texts(&alphabet, 2000) {
            let doc = Doc::parse(&text);
            for sec in &doc.sections {
                let _ = sec.has_content();
            }
            let _ = doc.find(&["a", "infra"]);
        }
    }
}
