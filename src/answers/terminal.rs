//! The prompts on a real terminal (stderr), with dialoguer: `<` in a text
//! field and Esc (or q) in a list go back one question.

use super::error::AnswersError;
use super::prompt::{Prompter, Reply, BACK};

pub struct TerminalPrompter {
    theme: dialoguer::theme::ColorfulTheme,
    term: console::Term,
}

impl TerminalPrompter {
    pub fn new() -> Self {
        TerminalPrompter {
            theme: dialoguer::theme::ColorfulTheme::default(),
            term: console::Term::stderr(),
        }
    }
}

impl Default for TerminalPrompter {
    fn default() -> Self {
        Self::new()
    }
}

fn prompt_error(e: dialoguer::Error) -> AnswersError {
    match e {
        dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
            AnswersError::Interrupted
        }
        other => AnswersError::Prompt(other.to_string()),
    }
}

/// dialoguer's `None` is Esc or q: a step back.
fn reply<T>(value: Option<T>) -> Reply<T> {
    value.map_or(Reply::Back, Reply::Answer)
}

impl Prompter for TerminalPrompter {
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<Reply<usize>, AnswersError> {
        dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on_opt(&self.term)
            .map(reply)
            .map_err(prompt_error)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Reply<Vec<usize>>, AnswersError> {
        dialoguer::MultiSelect::with_theme(&self.theme)
            .with_prompt(format!("{prompt} [space: toggle]"))
            .items(items)
            .defaults(checked)
            .interact_on_opt(&self.term)
            .map(reply)
            .map_err(prompt_error)
    }

    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        allow_empty: bool,
        validate: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<Reply<String>, AnswersError> {
        let mut input = dialoguer::Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .allow_empty(allow_empty)
            .validate_with(|v: &String| {
                if v.trim() == BACK {
                    Ok(())
                } else {
                    validate(v)
                }
            });
        if let Some(d) = default {
            input = input.default(d.to_string());
        }
        let text = input.interact_text_on(&self.term).map_err(prompt_error)?;
        Ok(if text.trim() == BACK {
            Reply::Back
        } else {
            Reply::Answer(text)
        })
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<Reply<bool>, AnswersError> {
        dialoguer::Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact_on_opt(&self.term)
            .map(reply)
            .map_err(prompt_error)
    }

    fn note(&mut self, text: &str) {
        let _ = self.term.write_line(text);
    }
}
