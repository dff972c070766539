//! Fuzz target: see `infra::fuzzing::set_pairs` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| infra::fuzzing::set_pairs(data));
