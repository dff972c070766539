//! Fuzz target: see `infra::parse::fuzz::git_output` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| infra::parse::fuzz::git_output(data));
