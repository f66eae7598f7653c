//! `jobhound completions SHELL` and `jobhound man`: the shell completion
//! scripts and the man page, generated from the same clap definition that
//! parses the command line, so they can never list a command that is not there.

use std::io::Write;

use clap::CommandFactory;

use super::{Cli, CliError, Exit};

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<Exit, CliError> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "jobhound", &mut out);
    std::io::stdout().lock().write_all(&out)?;
    Ok(Exit::Ok)
}

/// Prints the man page, with a section per subcommand, as roff.
pub fn man() -> Result<Exit, CliError> {
    let mut out = Vec::new();
    render_man(&mut out)?;
    std::io::stdout().lock().write_all(&out)?;
    Ok(Exit::Ok)
}

/// jobhound(1): clap_mangen's page (synopsis, global options, the list of
/// commands), then a COMMANDS section with each command's (and sub-command's)
/// usage and options, so `man jobhound` documents every command in one page.
fn render_man(out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    clap_mangen::Man::new(cmd.clone()).render(out)?;
    writeln!(out, ".SH COMMANDS")?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        command_section(out, "jobhound", sub)?;
    }
    Ok(())
}

/// One `.SS` per command: its usage line, what it does, and its options.
fn command_section(out: &mut Vec<u8>, parent: &str, cmd: &clap::Command) -> std::io::Result<()> {
    let name = format!("{parent} {}", cmd.get_name());
    writeln!(out, ".SS \"{}\"", roff(&name))?;
    let mut usage = cmd.clone().bin_name(&name);
    let usage = usage.render_usage().to_string();
    let usage = usage.trim_start_matches("Usage: ");
    writeln!(out, ".B {}", roff(usage))?;
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        writeln!(out, ".PP\n{}", roff(&about.to_string()))?;
    }
    for arg in cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_global_set())
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
    {
        let mut label = match (arg.get_short(), arg.get_long()) {
            (Some(s), Some(l)) => format!("-{s}, --{l}"),
            (None, Some(l)) => format!("--{l}"),
            (Some(s), None) => format!("-{s}"),
            (None, None) => String::new(),
        };
        let value = arg
            .get_value_names()
            .map(|v| v.join(" "))
            .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
        if arg.get_action().takes_values() {
            if !label.is_empty() {
                label.push(' ');
            }
            label.push_str(&value);
        }
        writeln!(out, ".TP\n\\fB{}\\fR", roff(&label))?;
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        let choices: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        if choices.is_empty() {
            writeln!(out, "{}", roff(&help))?;
        } else {
            writeln!(out, "{} [{}]", roff(&help), roff(&choices.join(", ")))?;
        }
    }
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        command_section(out, &name, sub)?;
    }
    Ok(())
}

/// Text made safe for roff: backslashes and hyphens escaped, and no line
/// that starts with a control character.
fn roff(text: &str) -> String {
    text.lines()
        .map(|l| {
            let l = l.replace('\\', "\\e").replace('-', "\\-");
            if l.starts_with(['.', '\'']) {
                format!("\\&{l}")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subcommands() -> Vec<String> {
        Cli::command()
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .filter(|n| n != "help")
            .collect()
    }

    #[test]
    fn every_shell_completes_every_subcommand() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::Elvish,
            clap_complete::Shell::PowerShell,
        ] {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "jobhound", &mut out);
            let text = String::from_utf8(out).expect("utf-8");
            for sub in subcommands() {
                assert!(text.contains(&sub), "{shell}: no `{sub}`");
            }
        }
    }

    #[test]
    fn the_man_page_documents_every_subcommand() {
        let mut out = Vec::new();
        render_man(&mut out).expect("render");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains(".TH jobhound"), "{text}");
        for sub in subcommands() {
            let heading = format!(".SS \"jobhound {}\"", roff(&sub));
            assert!(text.contains(&heading), "no {heading} in the page");
        }
        for nested in ["jobhound alerts test", "jobhound notifications retry"] {
            let heading = format!(".SS \"{}\"", roff(nested));
            assert!(text.contains(&heading), "no {heading} in the page");
        }
        assert!(text.contains("\\fB\\-\\-limit"), "options are listed");
    }
}
