//! The HTML part of a mail: a designed page that mail clients render alike
//! (Gmail, Apple Mail, Outlook): nested tables and inline CSS, no images,
//! fonts, scripts or any other external resource, 600 px wide at most and
//! fluid below that, readable in dark mode (a `color-scheme` meta, a
//! `prefers-color-scheme` override for the clients that honour it, and
//! colours that stay legible when a client inverts them itself).
//!
//! Safety: every string from a source is escaped ([`escape_html`]) and only
//! `http(s)` URLs become links; no source HTML is embedded (a description is
//! shown as an escaped text snippet). It says what [`Batch::text`] says.

use std::fmt::Write as _;

use super::card::{Card, Marked, is_web_link};
use super::render::{Batch, Group};
use crate::normalize::escape_html;

// The light palette (inline) and its dark counterparts (in the <style> block).
const PAGE: &str = "#f3f4f6";
const CARD: &str = "#fff";
const BORDER: &str = "#e2e5e9";
const TEXT: &str = "#1d2330";
const MUTED: &str = "#5b6472";
const LINK: &str = "#1a56c4";
const MARK: &str = "#fde68a";
const FONT: &str = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

const STYLE: &str = "\
:root{color-scheme:light dark;supported-color-schemes:light dark}\
body{margin:0;padding:0;-webkit-text-size-adjust:100%}\
a{word-break:break-word}\
@media (prefers-color-scheme:dark){\
.jh-page{background:#0f1217!important}\
.jh-card{background:#1a1f27!important;border-color:#2c333e!important}\
.jh-text{color:#e7eaee!important}\
.jh-muted{color:#a4adba!important}\
.jh-link{color:#8db4ff!important}\
.jh-mark{background:#6b5200!important;color:#fff7d6!important}}";

/// The HTML part of the batch's mail.
pub fn page(b: &Batch) -> String {
    let mut out = String::with_capacity(8192 + b.items.len() * 1800);
    let subject = b.subject();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\">\
         <meta name=\"supported-color-schemes\" content=\"light dark\">\
         <title>{}</title><style>{STYLE}</style></head>\n\
         <body class=\"jh-page\" style=\"margin:0;padding:0;background:{PAGE}\">\n",
        escape_html(&subject)
    );
    // The preview line inbox lists show after the subject.
    let companies = b.companies();
    let preview = if companies.is_empty() {
        b.heading()
    } else {
        companies.join(" · ")
    };
    let _ = writeln!(
        out,
        "<div style=\"display:none;max-height:0;overflow:hidden;opacity:0\">{}</div>",
        escape_html(&preview)
    );
    let _ = write!(
        out,
        "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" \
         class=\"jh-page\" style=\"background:{PAGE}\"><tr><td align=\"center\" style=\"padding:16px 8px\">\n\
         <!--[if mso]><table role=\"presentation\" width=\"600\"><tr><td><![endif]-->\n\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" \
         style=\"max-width:600px;width:100%;table-layout:fixed;font-family:{FONT}\">\n"
    );
    let _ = writeln!(
        out,
        "<tr><td class=\"jh-text\" style=\"padding:4px 4px 12px;color:{TEXT};{WRAP}\">\
         <div style=\"font-size:22px;line-height:28px;font-weight:700\">{}</div>\
         <div class=\"jh-muted\" style=\"font-size:13px;line-height:18px;color:{MUTED};padding-top:4px\">{}</div></td></tr>",
        escape_html(&subject),
        escape_html(&b.heading())
    );
    if b.items.is_empty() {
        let _ = writeln!(
            out,
            "<tr><td class=\"jh-text\" style=\"padding:8px 4px;font-size:15px;color:{TEXT}\">\
             No new jobs matched since the last digest.</td></tr>"
        );
    }
    for g in b.groups() {
        group(&mut out, b, &g);
    }
    let _ = writeln!(
        out,
        "<tr><td class=\"jh-muted\" style=\"padding:20px 4px 8px;font-size:12px;line-height:16px;color:{MUTED}\">\
         Sent by jobhound.</td></tr>\n</table>\n<!--[if mso]></td></tr></table><![endif]-->\n\
         </td></tr></table>\n</body></html>"
    );
    out
}

/// Breaks long words and URLs instead of widening the layout past a phone's screen.
const WRAP: &str = "overflow-wrap:anywhere;word-break:break-word";

fn group(out: &mut String, b: &Batch, g: &Group<'_>) {
    let _ = writeln!(
        out,
        "<tr><td class=\"jh-text\" style=\"padding:18px 4px 8px;font-size:13px;line-height:18px;\
         font-weight:700;letter-spacing:.04em;text-transform:uppercase;color:{TEXT};{WRAP}\">{}</td></tr>",
        escape_html(&g.title())
    );
    for item in &g.items {
        card(out, &b.card(item));
    }
    if let Some(more) = b.more(g) {
        let web = match more.web.as_deref().filter(|w| is_web_link(w)) {
            Some(w) => format!(
                " or <a class=\"jh-link\" href=\"{}\" style=\"color:{LINK}\">open the search page</a>",
                escape_html(w)
            ),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "<tr><td class=\"jh-muted\" style=\"padding:2px 4px 8px;font-size:13px;line-height:19px;color:{MUTED};{WRAP}\">\
             …and {} more: run <code style=\"font-size:12px\">{}</code>{web}</td></tr>",
            more.count,
            escape_html(&more.command)
        );
    }
}

fn card(out: &mut String, c: &Card) {
    let title = marked(&c.title);
    let title = match c.link.as_deref() {
        Some(l) => format!(
            "<a class=\"jh-link\" href=\"{}\" style=\"color:{LINK};text-decoration:none\">{title}</a>",
            escape_html(l)
        ),
        None => title,
    };
    let _ = write!(
        out,
        "<tr><td style=\"padding:0 0 10px\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" \
         cellspacing=\"0\" border=\"0\" class=\"jh-card\" style=\"table-layout:fixed;background:{CARD};\
         border:1px solid {BORDER};border-radius:8px\"><tr><td class=\"jh-text\" style=\"padding:14px 16px;\
         color:{TEXT};{WRAP}\"><div dir=\"auto\" style=\"font-size:17px;line-height:23px;font-weight:600\">{title}</div>"
    );
    // A muted line has its own colour (and dark-mode class); the others inherit the card's.
    let line = |out: &mut String, text: &str, size: u32, muted: bool| {
        if !text.is_empty() {
            let (class, color) = if muted {
                (" class=\"jh-muted\"", format!("color:{MUTED};"))
            } else {
                ("", String::new())
            };
            let _ = write!(
                out,
                "<div dir=\"auto\"{class} style=\"{color}font-size:{size}px;line-height:{}px;padding-top:3px\">{text}</div>",
                size + 6
            );
        }
    };
    line(out, &escape_html(&c.who()), 14, false);
    line(out, &escape_html(&c.facts()), 13, true);
    if let Some(s) = &c.snippet {
        line(out, &marked(s), 14, true);
    }
    out.push_str("</td></tr></table></td></tr>\n");
}

/// Escaped text with its marks highlighted.
fn marked(m: &Marked) -> String {
    m.render(escape_html, |s| {
        format!(
            "<span class=\"jh-mark\" style=\"background:{MARK};color:{TEXT}\">{}</span>",
            escape_html(s)
        )
    })
}
