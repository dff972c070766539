//! The one writer for what `infra` prints: reports and listings on stdout,
//! messages for people on stderr, reports written to files.
//!
//! A reader that goes away early (`infra audit --format sarif | head -c 10`)
//! is the reader's choice, not an internal error. Rust's runtime ignores
//! SIGPIPE before `main`, so a write to a closed pipe returns
//! [`io::ErrorKind::BrokenPipe`] instead of killing the process; this module
//! turns that into "stop writing" and the command still exits with its own
//! code (13 for an audit with errors, 20 for drift, …). No other code prints
//! with `print!`/`println!` (which panic on a closed pipe): see the
//! `print_stdout` and `print_stderr` lints in Cargo.toml.

use clap::ValueEnum;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// The output formats; each command accepts the ones it can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
    Markdown,
}

/// Set once stdout's reader has gone away; later writes are skipped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writing to stdout failed for a reason other than a closed pipe
/// (a full disk behind `> file`, a revoked terminal): exit 4, like every
/// file that cannot be written.
#[derive(Debug, thiserror::Error)]
#[error("writing to standard output")]
pub struct OutputError(#[source] io::Error);

/// Write `text` to stdout and flush it.
pub fn print(text: &str) -> Result<(), OutputError> {
    print_bytes(text.as_bytes())
}

/// Write `bytes` to stdout and flush them. A closed pipe is `Ok`: the
/// reader has what it wanted, and nothing more is written.
pub fn print_bytes(bytes: &[u8]) -> Result<(), OutputError> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    let written = out.write_all(bytes).and_then(|()| out.flush());
    closed_pipe_is_ok(written)
}

/// Whether a write to stdout found its reader gone.
#[cfg(test)]
fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

fn closed_pipe_is_ok(result: io::Result<()>) -> Result<(), OutputError> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(OutputError(e)),
    }
}

/// Write one message line to stderr. A failure is ignored: stderr is where
/// failures would be reported, so there is nowhere left to say it.
pub fn message(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = err.write_all(b"\n");
    }
    let _ = err.flush();
}

/// Write `text` to `path` atomically: a temporary file in the same folder,
/// renamed over the target, so a reader never sees half a report and a
/// failed write leaves the old file as it was.
pub fn write_file(path: &Path, text: &str) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".infra-write-")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A progress line on stderr for a run that takes a while: drawn only when
/// stderr is a terminal and only once the run has lasted `after` (a quick
/// run shows nothing), redrawn ten times a second from `status`, and
/// erased before the report is printed. Anywhere else (a pipe, a file, CI
/// logs) it draws nothing at all.
pub struct Spinner {
    done: std::sync::Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Spinner {
    pub fn start<F>(after: std::time::Duration, status: F) -> Option<Spinner>
    where
        F: Fn() -> String + Send + 'static,
    {
        use std::io::IsTerminal;
        if !io::stderr().is_terminal() {
            return None;
        }
        let done = std::sync::Arc::new(AtomicBool::new(false));
        let stop = done.clone();
        let started = std::time::Instant::now();
        let tick = std::time::Duration::from_millis(100);
        let thread = std::thread::spawn(move || {
            while started.elapsed() < after {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(tick.min(after.saturating_sub(started.elapsed())));
            }
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            while !stop.load(Ordering::Relaxed) {
                bar.set_message(status());
                bar.tick();
                std::thread::sleep(tick);
            }
            bar.finish_and_clear();
        });
        Some(Spinner {
            done,
            thread: Some(thread),
        })
    }
}

impl Drop for Spinner {
    /// Erase the line before anything else is written.
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_pipe_is_not_an_error_and_stops_later_writes() {
        let broken = io::Error::from(io::ErrorKind::BrokenPipe);
        assert!(closed_pipe_is_ok(Err(broken)).is_ok());
        assert!(stdout_closed());
        // Later prints are skipped, not attempted.
        assert!(print("not written\n").is_ok());
        STDOUT_CLOSED.store(false, Ordering::Relaxed);
    }

    #[test]
    fn other_write_errors_are_errors() {
        let full = io::Error::other("no space left on device");
        assert!(closed_pipe_is_ok(Err(full)).is_err());
    }
}
