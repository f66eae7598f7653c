//! Colour on a terminal: `--color auto|always|never` and `NO_COLOR`
//! (<https://no-color.org>). Only two things are coloured, FAILED and table
//! headers, so the codes are written here rather than pulled from a crate.

use std::io::IsTerminal;

use clap::ValueEnum;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour, even into a pipe.
    Always,
    /// Never colour.
    Never,
}

/// Whether stdout gets colour, decided once per command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colors {
    on: bool,
}

impl Colors {
    /// The decision for this process: the flag, `NO_COLOR`, and whether stdout is a terminal.
    pub fn new(choice: ColorChoice) -> Colors {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Colors::decide(choice, no_color, std::io::stdout().is_terminal())
    }

    /// The decision, as a pure function of its inputs.
    pub fn decide(choice: ColorChoice, no_color: bool, terminal: bool) -> Colors {
        let on = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        };
        Colors { on }
    }

    /// No colour at all.
    #[cfg(test)]
    pub fn off() -> Colors {
        Colors { on: false }
    }

    /// `text` in bold red (a failure).
    pub fn failure(self, text: &str) -> String {
        self.paint("1;31", text)
    }

    /// `text` in bold (a table header).
    pub fn header(self, text: &str) -> String {
        self.paint("1", text)
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_flag_then_no_color_then_the_terminal() {
        let cases = [
            (ColorChoice::Auto, false, true, true),
            (ColorChoice::Auto, true, true, false),
            (ColorChoice::Auto, false, false, false),
            (ColorChoice::Always, true, false, true),
            (ColorChoice::Never, false, true, false),
        ];
        for (choice, no_color, terminal, want) in cases {
            let c = Colors::decide(choice, no_color, terminal);
            assert_eq!(
                c.failure("FAILED") != "FAILED",
                want,
                "{choice:?} NO_COLOR={no_color} terminal={terminal}"
            );
        }
    }
}
