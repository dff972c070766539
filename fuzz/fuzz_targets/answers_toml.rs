//! Fuzz target: see `infra::fuzzing::answers_toml` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| infra::fuzzing::answers_toml(data));
