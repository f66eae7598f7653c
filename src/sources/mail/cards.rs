//! From an alert email's body to its jobs. Layouts change every year or so,
//! so nothing here depends on class names: each job is found by its job-view
//! link (see `boards`), its card is the largest element around that link that
//! holds no other job's link, and the card's text lines are read by what they
//! look like (a salary, an age such as "2d", a "Company · Place" line), not by
//! where a stylesheet puts them. A plain-text body is cut into cards at the
//! lines that carry job links.

mod lines;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node, Selector};

use super::boards;
use crate::config::Board;
use crate::model::{RawPosting, Workplace};
use crate::normalize::fold_whitespace;
use lines::{age_of, is_noise, looks_like_salary, split_line, strip_rating};

/// The lines of a card read at most after its title: a lone job's card is the
/// whole email, whose footer must not pass for the job's company or place.
const LINES_AFTER_TITLE: usize = 8;

/// One job as found in an email: its canonical link, the text of the link
/// that names it (when one does), and its card's text lines.
#[derive(Debug)]
struct Card {
    link: String,
    title: Option<String>,
    lines: Vec<String>,
}

/// The jobs of an HTML alert from `board`, received at `received`.
pub(super) fn from_html(
    html: &str,
    board: Board,
    received: Option<DateTime<Utc>>,
) -> Vec<RawPosting> {
    postings(html_cards(html, board), board, received)
}

/// The jobs of a plain-text alert from `board`.
pub(super) fn from_text(
    text: &str,
    board: Board,
    received: Option<DateTime<Utc>>,
) -> Vec<RawPosting> {
    postings(text_cards(text, board), board, received)
}

/// The postings of an alert's cards; cards that name no job are dropped.
fn postings(cards: Vec<Card>, board: Board, received: Option<DateTime<Utc>>) -> Vec<RawPosting> {
    cards
        .into_iter()
        .filter_map(|c| posting(board, c, received))
        .collect()
}

fn html_cards(html: &str, board: Board) -> Vec<Card> {
    let doc = Html::parse_document(html);
    let Ok(anchors) = Selector::parse("a[href]") else {
        return Vec::new();
    };
    // Every job link, grouped by job in the order jobs first appear.
    let mut jobs: Vec<(String, Vec<ElementRef<'_>>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for a in doc.select(&anchors) {
        let Some(link) = a.attr("href").and_then(|h| boards::canonical(board, h)) else {
            continue;
        };
        let i = *index.entry(link.clone()).or_insert_with(|| {
            jobs.push((link, Vec::new()));
            jobs.len() - 1
        });
        jobs[i].1.push(a);
    }
    // Which job's links each element holds: one job, or several (None).
    let mut holds: HashMap<NodeId, Option<usize>> = HashMap::new();
    for (i, (_, links)) in jobs.iter().enumerate() {
        for a in links {
            for node in a.ancestors() {
                holds
                    .entry(node.id())
                    .and_modify(|h| {
                        if *h != Some(i) {
                            *h = None;
                        }
                    })
                    .or_insert(Some(i));
            }
        }
    }
    let mut cards = Vec::new();
    for (i, (link, links)) in jobs.iter().enumerate() {
        let Some(first) = links.first() else { continue };
        let mut card = *first;
        for node in first.ancestors() {
            if holds.get(&node.id()) != Some(&Some(i)) {
                break;
            }
            match ElementRef::wrap(node) {
                Some(el) if !matches!(el.value().name(), "html" | "body") => card = el,
                _ => break,
            }
        }
        let title = links
            .iter()
            .map(|a| lines_of(*a))
            .filter(|l| l.len() == 1 && !is_noise(&l[0]))
            .map(|mut l| l.remove(0))
            .max_by_key(|t| t.len());
        cards.push(Card {
            link: link.clone(),
            title,
            lines: lines_of(card),
        });
    }
    cards
}

/// Elements after which text goes on a new line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "tr",
    "td",
    "th",
    "li",
    "ul",
    "ol",
    "table",
    "tbody",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "section",
    "article",
    "header",
    "footer",
    "center",
    "blockquote",
];

/// The text lines of `el`, as a mail client lays them out (blocks, cells and
/// breaks end a line), whitespace folded, empty lines dropped.
fn lines_of(el: ElementRef<'_>) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut hidden = 0usize;
    let flush = |line: &mut String, lines: &mut Vec<String>| {
        let l = fold_whitespace(line);
        if !l.is_empty() {
            lines.push(l);
        }
        line.clear();
    };
    for edge in el.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(e) if matches!(e.name(), "script" | "style" | "head" | "title") => {
                    hidden += 1;
                }
                Node::Element(e) if BLOCKS.contains(&e.name()) => flush(&mut line, &mut lines),
                Node::Text(t) if hidden == 0 => line.push_str(t),
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => match node.value() {
                Node::Element(e) if matches!(e.name(), "script" | "style" | "head" | "title") => {
                    hidden = hidden.saturating_sub(1);
                }
                Node::Element(e) if BLOCKS.contains(&e.name()) => flush(&mut line, &mut lines),
                _ => {}
            },
        }
    }
    flush(&mut line, &mut lines);
    lines
}

/// Cards of a plain-text body: each job link ends a card, which starts after
/// the previous link or the last separator line (`-----`) before it.
fn text_cards(text: &str, board: Board) -> Vec<Card> {
    let mut cards: Vec<Card> = Vec::new();
    let mut block: Vec<String> = Vec::new();
    for raw in text.lines() {
        let line = fold_whitespace(raw);
        // A separator or a blank line ends a card's block: headers stay out of it.
        if line.is_empty()
            || (line.len() >= 3 && line.chars().all(|c| matches!(c, '-' | '=' | '_' | '*')))
        {
            block.clear();
            continue;
        }
        let link = line
            .split(|c: char| c.is_whitespace() || c == '<' || c == '>')
            .filter(|w| w.starts_with("http"))
            .find_map(|w| boards::canonical(board, w));
        match link {
            Some(link) => {
                // "View job: https://..." carries nothing but the link.
                let before = line
                    .split("http")
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_end_matches(':');
                if !before.is_empty() && !is_noise(before) {
                    block.push(before.to_string());
                }
                if cards.iter().all(|c| c.link != link) && !block.is_empty() {
                    let title = block.remove(0);
                    cards.push(Card {
                        link,
                        title: Some(title),
                        lines: std::mem::take(&mut block),
                    });
                }
                block.clear();
            }
            None => block.push(line),
        }
    }
    cards
}

/// Reads a card's lines into a posting; `None` when no title can be found.
fn posting(board: Board, card: Card, received: Option<DateTime<Utc>>) -> Option<RawPosting> {
    let mut lines = card.lines;
    let mut before = Vec::new();
    if let Some(t) = &card.title
        && let Some(at) = lines.iter().position(|l| l == t)
    {
        before = lines.drain(..=at).collect();
        before.pop();
        lines.truncate(LINES_AFTER_TITLE);
    } else {
        // A card linked whole (Glassdoor) holds its title among its lines.
        lines.truncate(2 * LINES_AFTER_TITLE);
    }
    let mut plain = Vec::new();
    let mut salary = None;
    let mut age = None;
    for l in lines.into_iter() {
        if is_noise(&l) {
            continue;
        }
        if salary.is_none() && split_line(&l).len() == 1 && looks_like_salary(&l) {
            salary = Some(l);
            continue;
        }
        if age.is_none()
            && let Some(a) = age_of(&l)
        {
            age = Some(a);
            continue;
        }
        plain.push(l);
    }
    let mut plain = plain.into_iter();
    // Glassdoor cards put the company first and link the whole card.
    let title = match (&card.title, board) {
        (Some(t), _) => t.clone(),
        (None, Board::Glassdoor) => {
            let company = plain.next();
            let title = plain.next()?;
            return Some(finish(
                board,
                card.link,
                title,
                company,
                plain.next(),
                salary,
                age,
                received,
            ));
        }
        (None, _) => plain.next()?,
    };
    // Wellfound names the company above the job, and its place, pay and
    // equity on one line below it.
    if board == Board::Wellfound {
        let company = before.into_iter().find(|l| !is_noise(l));
        return Some(finish(
            board,
            card.link,
            title,
            company,
            plain.next(),
            salary,
            age,
            received,
        ));
    }
    let first = plain.next();
    let (company, place) = match first {
        Some(f) if split_line(&f).len() > 1 => {
            let mut parts = split_line(&f).into_iter();
            let company = parts.next();
            let rest: Vec<String> = parts.collect();
            (company, Some(rest.join(" · ")))
        }
        other => (other, plain.next()),
    };
    Some(finish(
        board, card.link, title, company, place, salary, age, received,
    ))
}

/// A posting from the fields read. `place` may hold "Remote"/"Hybrid"/"On-site"
/// among its `·`-separated parts, which become the workplace.
#[allow(clippy::too_many_arguments)]
fn finish(
    board: Board,
    link: String,
    title: String,
    company: Option<String>,
    place: Option<String>,
    salary: Option<String>,
    age: Option<Duration>,
    received: Option<DateTime<Utc>>,
) -> RawPosting {
    let mut workplace = Workplace::Unknown;
    let mut salary = salary;
    let mut places = Vec::new();
    for part in place.iter().flat_map(|p| split_line(p)) {
        match part.to_ascii_lowercase().as_str() {
            "remote" => workplace = Workplace::Remote,
            "hybrid" => workplace = Workplace::Hybrid,
            "on-site" | "onsite" | "in-person" | "in person" => workplace = Workplace::Onsite,
            _ if looks_like_salary(&part) => {
                salary.get_or_insert(part);
            }
            _ if part.contains('%') => {}
            _ => places.push(part),
        }
    }
    if places.is_empty() && workplace == Workplace::Remote {
        places.push("Remote".into());
    }
    let posted_at = age.zip(received).and_then(|(a, r)| {
        chrono::Duration::from_std(a)
            .ok()
            .and_then(|d| r.checked_sub_signed(d))
    });
    RawPosting {
        external_id: link.clone(),
        url: Some(link),
        title,
        company: company.map(|c| strip_rating(&c)),
        locations: if places.is_empty() {
            Vec::new()
        } else {
            vec![places.join(", ")]
        },
        workplace,
        salary_text: salary,
        posted_at,
        tags: vec![board.name().to_string()],
        ..RawPosting::default()
    }
}

#[cfg(test)]
mod tests;
