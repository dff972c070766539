//! The one table of third-party GitHub Actions the rendered workflows use,
//! each pinned to the full commit SHA of a release tag (zizmor `unpinned-uses`).
//! To upgrade: look up the tag's commit, change the row, re-run the snapshots.

use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize)]
pub struct PinnedAction {
    /// Template key, e.g. `checkout`.
    pub key: &'static str,
    /// `owner/repo[/path]`.
    pub name: &'static str,
    /// Full 40-hex commit of the tag.
    pub sha: &'static str,
    /// The release tag the commit belongs to (written as the `# tag` comment).
    pub tag: &'static str,
}

impl PinnedAction {
    /// `owner/repo@sha # tag`, as written after `uses:`.
    pub fn uses(&self) -> String {
        format!("{}@{} # {}", self.name, self.sha, self.tag)
    }
}

pub const ACTIONS: &[PinnedAction] = &[
    PinnedAction {
        key: "checkout",
        name: "actions/checkout",
        sha: "11bd71901bbe5b1630ceea73d27597364c9af683",
        tag: "v4.2.2",
    },
    PinnedAction {
        key: "setup_node",
        name: "actions/setup-node",
        sha: "49933ea5288caeca8642d1e84afbd3f7d6820020",
        tag: "v4.4.0",
    },
    PinnedAction {
        key: "setup_python",
        name: "actions/setup-python",
        sha: "a26af69be951a213d495a4c3e4e4022e16d87065",
        tag: "v5.6.0",
    },
    PinnedAction {
        key: "setup_go",
        name: "actions/setup-go",
        sha: "d35c59abb061a4a6fb18e82ac0862c26744d6ab5",
        tag: "v5.5.0",
    },
    PinnedAction {
        key: "aws_credentials",
        name: "aws-actions/configure-aws-credentials",
        sha: "b47578312673ae6fa5b5096b330d9fbac3d116df",
        tag: "v4.2.1",
    },
    PinnedAction {
        key: "gcp_auth",
        name: "google-github-actions/auth",
        sha: "ba79af03959ebeac9769e648f473a284504d9193",
        tag: "v2.1.10",
    },
    PinnedAction {
        key: "gcp_setup_gcloud",
        name: "google-github-actions/setup-gcloud",
        sha: "77e7a554d41e2ee56fc945c52dfd3f33d12def9a",
        tag: "v2.1.4",
    },
    PinnedAction {
        key: "azure_login",
        name: "azure/login",
        sha: "a457da9ea143d694b1b9c7c869ebb04ebe844ef5",
        tag: "v2.3.0",
    },
    PinnedAction {
        key: "setup_flyctl",
        name: "superfly/flyctl-actions/setup-flyctl",
        sha: "fc53c09e1bc3be6f54706524e3b82c4f462f77be",
        tag: "1.5",
    },
];

/// `key ⇒ "owner/repo@sha # tag"` for the templates.
pub fn uses_map() -> std::collections::BTreeMap<&'static str, String> {
    ACTIONS.iter().map(|a| (a.key, a.uses())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pin_is_a_full_sha_and_keys_are_unique() {
        let mut keys = std::collections::BTreeSet::new();
        for a in ACTIONS {
            assert_eq!(a.sha.len(), 40, "{}", a.name);
            assert!(a
                .sha
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
            assert!(keys.insert(a.key), "duplicate key {}", a.key);
        }
    }
}
