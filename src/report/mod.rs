//! Audit report formats, one module per format. Renderers only read a
//! [`crate::audit::Report`]; they never compute findings.

pub mod redact;
