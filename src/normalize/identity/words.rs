//! Words as identity compares them: runs of letters and digits, lower-cased.

use std::borrow::Cow;

use crate::normalize::text::ascii_lowered;

/// Lower-case words of letters and digits; everything else separates.
pub(super) fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// [`words`], borrowed from `lowered`, one lower-cased copy of `s`, when
/// `s` is ASCII (for other text, lowering it whole could split it otherwise).
pub(super) fn lower_words<'a>(s: &str, lowered: &'a mut String) -> Vec<Cow<'a, str>> {
    let Some(lowered) = ascii_lowered(s, lowered) else {
        return words(s).into_iter().map(Cow::Owned).collect();
    };
    lowered
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(Cow::Borrowed)
        .collect()
}

/// Whether `f` holds for every word of `s` as [`words`] gives them, without
/// collecting them: an ASCII word is lowered in one reused buffer.
pub(super) fn all_words(s: &str, mut f: impl FnMut(&str) -> bool) -> bool {
    let mut lower = String::new();
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| match ascii_lowered(w, &mut lower) {
            Some(l) => f(l),
            None => f(&w.to_lowercase()),
        })
}

/// Whether `s` has a word at all.
pub(super) fn has_word(s: &str) -> bool {
    s.split(|c: char| !c.is_alphanumeric())
        .any(|w| !w.is_empty())
}
