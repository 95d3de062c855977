//! A little colour for the plain-text views (`installs`, `why`, `fix`), off unless the
//! printer colours. miette colours the findings themselves.

/// ANSI styling that is a no-op when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    /// Styling on or off.
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Bold: phase and module headings.
    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Dim: secondary details.
    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    /// Red: errors, removed lines.
    pub fn red(self, text: &str) -> String {
        self.paint("31", text)
    }

    /// Bold red: the `error` that opens a hard failure.
    pub fn red_bold(self, text: &str) -> String {
        self.paint("1;31", text)
    }

    /// Green: added lines.
    pub fn green(self, text: &str) -> String {
        self.paint("32", text)
    }

    /// Yellow: journal entries, warnings.
    pub fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }

    /// Cyan: diff hunk headers.
    pub fn cyan(self, text: &str) -> String {
        self.paint("36", text)
    }
}
