//! A SmartRecruiters posting's detail (`GET …/postings/{id}`, the list item's
//! `ref`): what it adds to the list fields, namely the posting and apply URLs
//! and the job ad's sections as one HTML description.

use serde::Deserialize;
use url::Url;

use super::Id;
use crate::model::RawPosting;
use crate::normalize::escape_html;
use crate::normalize::text::non_empty;
use crate::sources::SourceError;

/// What a posting's detail adds to its list fields.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Detail {
    /// Required, and checked against the listed id, so that no other answer
    /// is taken for this posting's detail.
    id: Id,
    #[serde(default)]
    posting_url: Option<String>,
    #[serde(default)]
    apply_url: Option<String>,
    #[serde(default)]
    job_ad: Option<JobAd>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct JobAd {
    sections: Option<Sections>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Sections {
    company_description: Option<Section>,
    job_description: Option<Section>,
    qualifications: Option<Section>,
    additional_information: Option<Section>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct Section {
    title: Option<String>,
    text: Option<String>,
}

impl Detail {
    /// The job ad's sections in reading order, each under its title.
    pub(super) fn description_html(&self) -> Option<String> {
        let s = self.job_ad.as_ref()?.sections.as_ref()?;
        let mut html = String::new();
        let sections = [
            &s.company_description,
            &s.job_description,
            &s.qualifications,
            &s.additional_information,
        ];
        for section in sections.into_iter().flatten() {
            let Some(text) = section.text.as_deref().filter(|t| !t.trim().is_empty()) else {
                continue;
            };
            if let Some(title) = section.title.as_deref().and_then(non_empty) {
                html.push_str(&format!("<h3>{}</h3>", escape_html(&title)));
            }
            html.push_str(text);
        }
        (!html.is_empty()).then_some(html)
    }

    /// The posting id the detail is for.
    pub fn id(&self) -> String {
        self.id.text()
    }

    /// Adds the detail's URLs and description to a listed posting.
    pub fn apply(self, p: &mut RawPosting) {
        p.description_html = self.description_html().or(p.description_html.take());
        let known = |v: Option<String>| v.filter(|u| !u.trim().is_empty());
        p.url = known(self.posting_url).or(p.url.take());
        p.apply_url = known(self.apply_url).or(p.apply_url.take());
    }
}

/// Parses one posting detail.
pub fn parse_detail(bytes: &[u8], url: &Url) -> Result<Detail, SourceError> {
    crate::sources::json(bytes, url)
}
