//! cache-invalidation-undocumented: when a cache is used, the docs say how
//! cached data is invalidated (checklist §6.2).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{any_keyword, infra_docs};
use crate::parse::markdown::sections::normalise;

crate::declare_rule!(
    CacheInvalidationUndocumented,
    RuleMeta {
        id: "cache-invalidation-undocumented",
        section: "6.2",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "When a cache is used, the infra docs describe the cache invalidation strategy",
        applies: "when discovery finds a service the app uses as a cache: its own Redis or Memcached with a cache role (a cache-store config such as Rails `cache_store`, Django `CACHES`, Laravel `CACHE_STORE`, `spring.cache.type`, or writes with an expiry such as `setex`/`SET … EX`); not a Redis used only as a queue, pub/sub or primary store, nor a client library",
        rationale: "Checklist §6.2: always consider cache invalidation strategies. Stale data served after a deploy or a write is a correctness bug that monitoring rarely sees.",
        detection: "A non-empty section whose heading mentions \"cache\" or \"caching\" in docs/infra/*.md that mentions invalidation (\"invalidat\", \"ttl\", \"expir\", \"evict\", \"purge\", \"bust\", \"stale\"), or a prose line of those docs (not a table row or code) that mentions a cache as a word and one of those.",
        fix: "add a `## Caching` section to docs/infra/overview.md: what is cached, the TTLs, and what invalidates entries (writes, deploys); `infra init` renders the section when a cache is detected",
        fixed_by_init: true,
        fail_example: "src/cache.ts: await redis.set(key, value, \"EX\", 300)   (and no doc says when cached entries expire)",
        pass_example: "## Caching\n\nRedis caches invoice totals for 5 minutes (TTL); a write to an invoice deletes its key.",
    }
);

pub const INVALIDATION: &[&str] = &[
    "invalidat",
    " ttl",
    "time to live",
    "expir",
    "evict",
    "purge",
    "bust",
    "stale",
];

/// Lines of prose: not table rows, not code, not headings. A variable named
/// `CACHE_TTL` in a config table says nothing about a strategy.
fn prose_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut fence = false;
    text.lines().filter(move |l| {
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
            return false;
        }
        !fence && !t.starts_with('|') && !t.starts_with('#') && !l.starts_with("    ")
    })
}

impl Rule for CacheInvalidationUndocumented {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        // Only a service the app itself uses as a cache: a Redis holding a
        // job queue or the app's only data has nothing to invalidate.
        let caches: Vec<_> = ctx.services.iter().filter(|s| s.is_own_cache()).collect();
        if caches.is_empty() {
            return Verdict::NotApplicable("no service used as a cache found".into());
        }
        let docs = infra_docs(ctx);
        let documented = docs.iter().any(|d| {
            d.doc.find(&["cache", "caching"]).is_some_and(|s| {
                s.has_content()
                    && any_keyword(&format!(" {} ", normalise(&s.text_lower())), INVALIDATION)
            }) || prose_lines(d.text).any(|l| {
                let n = format!(" {} ", normalise(l));
                [" cache ", " cached ", " caches ", " caching "]
                    .iter()
                    .any(|w| n.contains(w))
                    && any_keyword(&n, INVALIDATION)
            })
        });
        if !documented {
            let names: Vec<&str> = caches.iter().map(|s| s.name.as_str()).collect();
            let mut b = out
                .add(format!(
                    "{} is used as a cache but no doc says how cached data is invalidated",
                    names.join(", ")
                ))
                .at_file("docs/infra/overview.md")
                .key("no strategy");
            for s in caches.iter().take(3) {
                let cache_evidence = s
                    .roles
                    .iter()
                    .find(|r| r.role == crate::context::ServiceRole::Cache)
                    .and_then(|r| r.evidence.first());
                if let Some(e) = cache_evidence.or_else(|| crate::audit::rules::service_evidence(s))
                {
                    b = b.related(
                        e.location.clone(),
                        format!("{} found here ({})", s.name, e.via),
                    );
                }
            }
            b.emit();
        }
        Verdict::Checked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose_says_it(text: &str) -> bool {
        prose_lines(text).any(|l| {
            let n = format!(" {} ", normalise(l));
            n.contains(" cache ") && any_keyword(&n, INVALIDATION)
        })
    }

    #[test]
    fn a_ttl_variable_in_a_table_is_not_a_strategy() {
        assert!(!prose_says_it(
            "| `CATALOG_TTL_SECONDS` | read in src/cache.ts:7 |\n"
        ));
        assert!(!prose_says_it("```\ncache.set(k, v, ttl)\n```\n"));
        assert!(prose_says_it("The cache entries expire after 5 minutes.\n"));
        assert!(prose_says_it(
            "Writes invalidate the cache key of the invoice.\n"
        ));
    }
}
