//! Reading one page of an html source with its CSS selectors: a list page's
//! items and `next` link, or an item's description on its detail page. Pure:
//! bytes in, postings out; fetching and following links is `html.rs`.

use scraper::{ElementRef, Html as Document};
use url::Url;

use super::super::SourceError;
use crate::config::{Pick, Selectors};
use crate::model::RawPosting;
use crate::normalize::{fold_whitespace, parse_time, resolve_url};

/// One list page, read.
#[derive(Debug, Default)]
pub struct Page {
    /// The usable items.
    pub postings: Vec<RawPosting>,
    /// How many elements the item selector matched.
    pub items: usize,
    /// The next page's URL, when the `next` selector found one.
    pub next: Option<Url>,
}

/// Reads a list page; no items at all is an error ("0 items: selector `X` matched nothing").
pub fn parse(bytes: &[u8], url: &Url, sel: &Selectors) -> Result<Page, SourceError> {
    let page = read_page(bytes, url, sel)?;
    if page.items == 0 {
        return Err(SourceError::parse(
            url,
            format!("0 items: selector `{}` matched nothing", sel.item.written()),
        ));
    }
    Ok(page)
}

/// Reads a list page; `items == 0` when the item selector matched nothing.
pub(super) fn read_page(bytes: &[u8], url: &Url, sel: &Selectors) -> Result<Page, SourceError> {
    let doc = Document::parse_document(&String::from_utf8_lossy(bytes));
    let mut page = Page::default();
    let mut problems = Vec::new();
    if let Some(item_sel) = &sel.item.selector {
        for (i, el) in doc.select(item_sel).enumerate() {
            page.items += 1;
            match item(el, url, sel) {
                Ok(p) => page.postings.push(p),
                Err(why) => {
                    tracing::warn!(url = %url, item = i + 1, "item skipped: {why}");
                    problems.push(format!("item {}: {why}", i + 1));
                }
            }
        }
    }
    if page.items > 0 && page.postings.is_empty() {
        return Err(SourceError::parse(
            url,
            format!(
                "{} items, none usable ({})",
                page.items,
                problems.first().map(String::as_str).unwrap_or("")
            ),
        ));
    }
    page.next = sel
        .next
        .as_ref()
        .and_then(|p| value(doc.root_element(), p, Some("href")))
        .and_then(|href| resolve_url(url, &href))
        .and_then(|u| Url::parse(&u).ok());
    Ok(page)
}

/// One item; `Err` says which required selector found nothing.
fn item(el: ElementRef<'_>, page: &Url, sel: &Selectors) -> Result<RawPosting, String> {
    let title = value(el, &sel.title, None)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("title selector `{}` matched nothing", sel.title.written()))?;
    let href = value(el, &sel.link, Some("href")).ok_or_else(|| {
        format!(
            "link selector `{}` matched nothing (or no `{}` attribute)",
            sel.link.written(),
            sel.link.attr.as_deref().unwrap_or("href")
        )
    })?;
    let link = resolve_url(page, &href)
        .ok_or_else(|| format!("link `{href}` does not lead to an http(s) page"))?;
    let text = |p: &Option<Pick>| p.as_ref().and_then(|p| value(el, p, None));
    let mut posting = RawPosting {
        external_id: link.clone(),
        title,
        url: Some(link),
        company: text(&sel.company),
        locations: text(&sel.location).into_iter().collect(),
        posted_at: text(&sel.date).as_deref().and_then(parse_time),
        ..RawPosting::default()
    };
    if let Some(d) = sel.description.as_ref().and_then(|p| description(el, p)) {
        d.apply(&mut posting);
    }
    Ok(posting)
}

/// A description read from a page: HTML of an element, or an attribute's text.
#[derive(Debug, Clone)]
pub(super) enum Description {
    Html(String),
    Text(String),
}

impl Description {
    pub(super) fn apply(&self, p: &mut RawPosting) {
        match self {
            Description::Html(h) => {
                p.description_html = Some(h.clone());
                p.description_text = None;
            }
            Description::Text(t) => {
                p.description_html = None;
                p.description_text = Some(t.clone());
            }
        }
    }
}

fn description(scope: ElementRef<'_>, pick: &Pick) -> Option<Description> {
    let el = element(scope, pick)?;
    let d = match &pick.attr {
        Some(a) => Description::Text(el.attr(a)?.trim().to_string()),
        None => Description::Html(el.inner_html()),
    };
    Some(d)
}

/// The description on a detail page; matching nothing is an error.
pub(super) fn detail_description(
    bytes: &[u8],
    url: &Url,
    pick: &Pick,
) -> Result<Description, SourceError> {
    let doc = Document::parse_document(&String::from_utf8_lossy(bytes));
    description(doc.root_element(), pick).ok_or_else(|| {
        SourceError::parse(
            url,
            format!(
                "detail_description selector `{}` matched nothing",
                pick.written()
            ),
        )
    })
}

/// The first element `pick` selects inside `scope` (or `scope` itself for a bare `@attr`).
fn element<'a>(scope: ElementRef<'a>, pick: &Pick) -> Option<ElementRef<'a>> {
    match &pick.selector {
        Some(s) => scope.select(s).next(),
        None => Some(scope),
    }
}

/// The attribute (`pick`'s own, else `default_attr`) or the whitespace-folded text.
pub(in crate::sources) fn value(
    scope: ElementRef<'_>,
    pick: &Pick,
    default_attr: Option<&str>,
) -> Option<String> {
    let el = element(scope, pick)?;
    let v = match pick.attr.as_deref().or(default_attr) {
        Some(a) => fold_whitespace(el.attr(a)?),
        None => fold_whitespace(&el.text().collect::<String>()),
    };
    (!v.is_empty()).then_some(v)
}
