//! Audit report formats, one module per format. Renderers only read a
//! [`crate::audit::Report`]; they never compute findings. Everything they
//! print was redacted by the finding builder (see [`crate::scan::redact`]).

pub(crate) mod github;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod markdown;
pub(crate) mod sarif;
pub mod text;

use crate::audit::Report;
use crate::output::Format;

/// Render `report` in `format`. `color` only affects text.
pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Text => text::render(report, color),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
    }
}
