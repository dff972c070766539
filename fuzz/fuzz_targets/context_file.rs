//! Fuzz target: see `infra::context::fuzz::analyze_bytes` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| infra::context::fuzz::analyze_bytes(data));
