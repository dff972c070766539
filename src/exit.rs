//! The one table of process exit codes (SPEC §1). `main` maps every outcome
//! through here so `--help`, the README and the code cannot disagree.

/// Every exit code `infra` can return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Success, nothing to report.
    Ok = 0,
    /// An internal error (a bug, or an I/O failure outside the user's input).
    Internal = 1,
    /// Usage or bad input: bad flags, malformed `infra.toml`, missing answers under `--no-input`.
    Usage = 2,
    /// `audit` found nothing to audit.
    NothingToAudit = 3,
    /// A file or folder could not be read or written (permission denied, a
    /// full disk, …); the message names the path.
    Io = 4,
    /// Interrupted by the user (Ctrl-C at a prompt); nothing was written.
    Interrupted = 130,
    /// Audit findings: the worst at or above `--fail-on` is a note.
    FindingsNote = 11,
    /// Audit findings: the worst at or above `--fail-on` is a warning.
    FindingsWarning = 12,
    /// Audit findings: the worst at or above `--fail-on` is an error.
    FindingsError = 13,
    /// `check`: rendered files are out of date.
    Drift = 20,
    /// `check`/`update`: unresolved merge conflicts.
    Conflicts = 21,
}

impl Exit {
    /// All codes with a one-line meaning, in the order shown by `--help` and the README.
    pub const TABLE: &'static [(Exit, &'static str)] = &[
        (Exit::Ok, "success, nothing to report"),
        (Exit::Internal, "internal error"),
        (
            Exit::Usage,
            "usage or bad input (bad flags, malformed infra.toml, missing answers under --no-input)",
        ),
        (Exit::NothingToAudit, "nothing to audit"),
        (
            Exit::Io,
            "cannot read or write a file (permission denied, disk full); the message names the path",
        ),
        (Exit::FindingsNote, "audit: worst finding at or above --fail-on is a note"),
        (Exit::FindingsWarning, "audit: worst finding at or above --fail-on is a warning"),
        (Exit::FindingsError, "audit: worst finding at or above --fail-on is an error"),
        (Exit::Drift, "check: rendered files are out of date"),
        (Exit::Conflicts, "check/update: unresolved merge conflicts"),
        (Exit::Interrupted, "interrupted at a prompt (Ctrl-C); nothing was written"),
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    /// The table as plain text, for `--help`.
    pub fn help_table() -> String {
        let mut out = String::from("Exit codes:\n");
        for (exit, meaning) in Self::TABLE {
            out.push_str(&format!("  {:>3}  {}\n", exit.code(), meaning));
        }
        out
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<u8> = Exit::TABLE.iter().map(|(e, _)| e.code()).collect();
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(before, codes.len());
    }

    #[test]
    fn the_table_lists_every_code() {
        let all = [
            Exit::Ok,
            Exit::Internal,
            Exit::Usage,
            Exit::NothingToAudit,
            Exit::Io,
            Exit::Interrupted,
            Exit::FindingsNote,
            Exit::FindingsWarning,
            Exit::FindingsError,
            Exit::Drift,
            Exit::Conflicts,
        ];
        for exit in all {
            assert!(
                Exit::TABLE.iter().any(|(e, _)| *e == exit),
                "{exit:?} is not in the table"
            );
        }
        assert!(Exit::help_table().contains("  4  cannot read or write a file"));
    }
}
