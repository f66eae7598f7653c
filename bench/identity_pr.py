#!/usr/bin/env python3
"""Pairwise precision and recall of jobhound's cross-source identity on a
generated feed corpus, against the corpus's answer key.

    bench/identity_pr.py CORPUS/truth.tsv STATE/jobhound.toml STATE/jobhound.db

truth.tsv (from ../shared/bench/gen_feeds.py) names the job of every item, by
feed URL and guid. jobhound.toml maps each source name to its feed URL, and
the database's sightings say which posting each (source, guid) became. Two
listings form a predicted pair when they are sightings of one posting, a true
pair when the key names one job. Items that share a guid within the corpus
(syndicated copies) are one listing per feed.
"""

import csv
import itertools
import sqlite3
import sys
import tomllib
from collections import defaultdict
from urllib.parse import urlsplit


def pairs(groups):
    out = set()
    for members in groups.values():
        for a, b in itertools.combinations(sorted(members), 2):
            out.add((a, b))
    return out


def main():
    truth_path, config_path, db_path = sys.argv[1:4]
    with open(config_path, "rb") as fh:
        config = tomllib.load(fh)
    # By path: the corpus may be served on another port than its key says.
    source_of_url = {
        urlsplit(s["url"]).path: s["name"] for s in config.get("source", []) if "url" in s
    }

    job_of = {}
    with open(truth_path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            source = source_of_url.get(urlsplit(row["feed_url"]).path)
            if source is not None:
                job_of[(source, row["guid"])] = row["job_id"]

    db = sqlite3.connect(db_path)
    posting_of = {
        (source, ext): pid
        for source, ext, pid in db.execute("SELECT source, external_id, posting_id FROM sightings")
    }
    listings = sorted(set(job_of) & set(posting_of))
    missing = len(job_of) - len(listings)

    by_job, by_posting = defaultdict(list), defaultdict(list)
    for l in listings:
        by_job[job_of[l]].append(l)
        by_posting[posting_of[l]].append(l)
    true_pairs, predicted = pairs(by_job), pairs(by_posting)
    hit = len(true_pairs & predicted)
    precision = hit / len(predicted) if predicted else 1.0
    recall = hit / len(true_pairs) if true_pairs else 1.0
    print(f"listings {len(listings)} (unmatched {missing}), jobs {len(by_job)}, "
          f"postings {len(by_posting)}")
    print(f"true pairs {len(true_pairs)}, predicted pairs {len(predicted)}, correct {hit}")
    print(f"precision {precision:.4f}  recall {recall:.4f}")
    wrong = sorted(predicted - true_pairs)[:5]
    for a, b in wrong:
        print(f"  wrongly joined: {a} / {b}")
    missed = sorted(true_pairs - predicted)[:5]
    for a, b in missed:
        print(f"  missed: {a} / {b}")


if __name__ == "__main__":
    main()
