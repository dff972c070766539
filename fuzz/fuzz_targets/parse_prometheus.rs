//! Fuzz target: see `infra::parse::fuzz::prometheus` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| infra::parse::fuzz::prometheus(data));
