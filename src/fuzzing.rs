//! Entry points shared by the `cargo fuzz` targets in `fuzz/` and the seed
//! tests that run them in CI: every parser of user input, with the
//! invariants it must keep on any bytes.

use crate::answers::{keys, load, validate, write, InfraToml};

/// infra.toml text: never panics; what parses also survives a write and re-read.
pub fn answers_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(layer) = load::parse_toml_layer(text, "infra.toml", load::Source::InfraToml) else {
        return;
    };
    let _ = validate::validate_layer(&layer);
    // The writer stamps the current schema_version; everything else round-trips.
    let want = InfraToml {
        schema_version: Some(crate::answers::model::SCHEMA_VERSION),
        ..layer.toml.clone()
    };
    for existing in [None, Some(text)] {
        if let Ok(written) = write::render_infra_toml(existing, &layer.toml) {
            let reread: Result<InfraToml, _> = toml::from_str(&written);
            assert!(
                reread.as_ref().is_ok_and(|t| same_answers(t, &want)),
                "written infra.toml does not read back the same: {written:?}"
            );
        }
    }
}

/// `--set` pairs and `INFRA_*` values, one per line: never panics.
pub fn set_pairs(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let pairs: Vec<String> = text.lines().map(str::to_string).collect();
    if let Ok(layer) = load::set_layer(&pairs) {
        let _ = validate::validate_layer(&layer);
    }
    let vars: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (keys::env_name(k), v.to_string()))
        .collect();
    let _ = load::env_layer(&vars);
}

/// NaN never equals itself; compare through the serialised form instead.
fn same_answers(a: &InfraToml, b: &InfraToml) -> bool {
    a == b || toml::to_string(a).ok() == toml::to_string(b).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random bytes, so the test is repeatable.
    fn noise(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x & 0xff) as u8
            })
            .collect()
    }

    const SEEDS: &[&str] = &[
        "",
        "[project]\nname = \"x\"\n",
        "[platform]\ntarget = \"aws\"\nregion = \"eu-west-1\"\n",
        "[[environments]]\nname = \"production\"\nbranch = \"main\"\nurl = \"https://x\"\napproval = true\n",
        "[sla]\navailability = nan\nlatency_p95_ms = 0\nerror_rate_percent = inf\n",
        "[audit]\nfail_on = \"error\"\n[[audit.ignore]]\nrule = \"x\"\npaths = [\"[\"]\nreason = \"\"\n[audit.rules]\nx = \"off\"\n",
        "[data]\nstores = [\"\"]\nbackup_retention_days = 99999999999\n",
        "project = { name = \"inline\" }\n",
        "[environments]\nname = 1\n",
    ];

    #[test]
    fn seeds_and_mutations_never_panic() {
        for (i, seed) in SEEDS.iter().enumerate() {
            answers_toml(seed.as_bytes());
            set_pairs(seed.as_bytes());
            let mut bytes = seed.as_bytes().to_vec();
            for round in 0..200u64 {
                let n = noise(i as u64 * 1000 + round, 4);
                if !bytes.is_empty() {
                    let at = n[0] as usize % bytes.len();
                    bytes[at] = n[1];
                }
                answers_toml(&bytes);
                set_pairs(&bytes);
            }
        }
    }

    #[test]
    fn set_pairs_accept_any_lines() {
        set_pairs(
            b"sla.availability=\xff\nenvironments.=x\n=\nenvironments.a.b.c=1\nplatform.target",
        );
    }
}
