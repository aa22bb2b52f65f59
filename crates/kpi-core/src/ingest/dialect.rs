//! The CSV dialect: delimiter and header row, decided from a sample of decoded text.

use serde::{Deserialize, Serialize};

/// Delimiters we consider, in order of preference on a tie.
pub const CANDIDATE_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The decided delimiter and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelimiterGuess {
    pub delimiter: char,
    pub evidence: String,
}

/// Printable name of a delimiter for messages.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comma",
        b';' => "semicolon",
        b'\t' => "tab",
        b'|' => "pipe",
        _ => "other",
    }
}

/// The sample's records, split with `delimiter` honouring quotes (embedded newlines and
/// delimiters inside quotes do not count), read one by one into a reused record (no text
/// kept): `each` gets every record but the last when the sample is a cut of a longer file
/// (it may be incomplete), or only the first `limit`. How many it got.
fn each_record(
    sample: &str,
    delimiter: u8,
    whole_file: bool,
    limit: usize,
    mut each: impl FnMut(&csv::StringRecord),
) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(sample.as_bytes());
    // One record behind: the last one read is handed out only once another follows it.
    let (mut record, mut held) = (csv::StringRecord::new(), csv::StringRecord::new());
    let mut count = 0;
    while reader.read_record(&mut record).unwrap_or(false) {
        if count > 0 {
            each(&held);
            if count == limit {
                return count;
            }
        }
        std::mem::swap(&mut record, &mut held);
        count += 1;
    }
    if count > 0 && (whole_file || count == 1) {
        each(&held);
        return count;
    }
    count.saturating_sub(1)
}

/// The first `keep` records of the sample as text and how many records it has in all: text
/// is made for the records kept only (the header is among the first few), the rest are
/// counted, unless `known_total` already says how many (`detect_delimiter` counted
/// them): then the sample is read no further than the records kept.
pub fn sample_head(
    sample: &str,
    delimiter: u8,
    whole_file: bool,
    keep: usize,
    known_total: Option<usize>,
) -> (Vec<Vec<String>>, usize) {
    let mut rows = Vec::new();
    let limit = if known_total.is_some() {
        keep
    } else {
        usize::MAX
    };
    let counted = each_record(sample, delimiter, whole_file, limit, |r| {
        if rows.len() < keep {
            rows.push(r.iter().map(str::to_string).collect());
        }
    });
    (rows, known_total.unwrap_or(counted))
}

/// Choose the delimiter whose records most often share one field count (> 1), skipping
/// title lines above the table. Ties go to the candidate order `, ; \t |`. With the guess,
/// the sample's record count under the chosen delimiter (what [`sample_head`] counts) when
/// one was chosen.
pub fn detect_delimiter(sample: &str, whole_file: bool) -> (DelimiterGuess, Option<usize>) {
    let mut best: Option<(u8, usize, usize, usize)> = None; // (delim, rows with mode, mode, rows)
    for &d in &CANDIDATE_DELIMITERS {
        // Field counts only: the sample is read once per candidate present, and a 256 KB
        // sample is thousands of records (their text made each time cost ~20 ms in
        // WebAssembly). A candidate the sample does not contain splits no record (one field
        // each, and one field never counts): not read at all. A comma file skips three of
        // the four reads.
        if memchr::memchr(d, sample.as_bytes()).is_none() {
            continue;
        }
        let mut counts = std::collections::HashMap::<usize, usize>::new();
        let rows = each_record(sample, d, whole_file, usize::MAX, |r| {
            if !(r.len() == 1 && r[0].trim().is_empty()) {
                *counts.entry(r.len()).or_default() += 1;
            }
        });
        let Some((&mode, &n)) = counts
            .iter()
            .filter(|(fields, _)| **fields > 1)
            .max_by_key(|(fields, n)| (**n, **fields))
        else {
            continue;
        };
        let better = match best {
            None => true,
            Some((_, bn, bmode, _)) => n > bn || (n == bn && mode > bmode),
        };
        if better {
            best = Some((d, n, mode, rows));
        }
    }
    match best {
        Some((d, n, mode, rows)) => (
            DelimiterGuess {
                delimiter: d as char,
                evidence: format!(
                    "{} gives {mode} columns on {n} of {rows} sampled lines",
                    delimiter_name(d)
                ),
            },
            Some(rows),
        ),
        None => (
            DelimiterGuess {
                delimiter: ',',
                evidence: "no delimiter splits the lines into columns; a single-column file".into(),
            },
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every record as text, the last dropped from a cut sample: what `sample_head` and
    /// the field counts stand for, made the plain way.
    fn all_records(sample: &str, delimiter: u8, whole_file: bool) -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let mut rows: Vec<Vec<String>> = reader
            .records()
            .map_while(|r| r.ok())
            .map(|r| r.iter().map(str::to_string).collect())
            .collect();
        if !whole_file && rows.len() > 1 {
            rows.pop();
        }
        rows
    }

    proptest! {
        #[test]
        fn the_head_and_the_count_are_those_of_all_records(
            sample in "[a;,\"\n ]{0,60}", whole in any::<bool>(), keep in 0usize..8,
        ) {
            for d in [b',', b';'] {
                let all = all_records(&sample, d, whole);
                let (head, total) = sample_head(&sample, d, whole, keep, None);
                prop_assert_eq!(total, all.len());
                prop_assert_eq!(&head[..], &all[..keep.min(all.len())]);
                // Told the count, it reads only the head: the same head.
                let (head, total) = sample_head(&sample, d, whole, keep, Some(all.len()));
                prop_assert_eq!(total, all.len());
                prop_assert_eq!(&head[..], &all[..keep.min(all.len())]);
            }
        }

        /// The guess is the one made from every candidate's field counts over all records
        /// (absent candidates included), and the count is that delimiter's record count.
        #[test]
        fn the_guess_is_made_from_every_candidate(
            sample in "[a,;\t|\"\n ]{0,80}", whole in any::<bool>(),
        ) {
            let mut best: Option<(u8, usize, usize, usize)> = None;
            for d in CANDIDATE_DELIMITERS {
                let all = all_records(&sample, d, whole);
                let mut counts = std::collections::BTreeMap::<usize, usize>::new();
                for r in &all {
                    if !(r.len() == 1 && r[0].trim().is_empty()) {
                        *counts.entry(r.len()).or_default() += 1;
                    }
                }
                let Some((mode, n)) = counts.into_iter().filter(|(f, _)| *f > 1)
                    .max_by_key(|(f, n)| (*n, *f)) else { continue };
                if best.is_none_or(|(_, bn, bmode, _)| n > bn || (n == bn && mode > bmode)) {
                    best = Some((d, n, mode, all.len()));
                }
            }
            let (guess, count) = detect_delimiter(&sample, whole);
            match best {
                Some((d, n, mode, rows)) => {
                    prop_assert_eq!(guess.delimiter, d as char);
                    prop_assert_eq!(count, Some(rows));
                    prop_assert_eq!(guess.evidence, format!(
                        "{} gives {mode} columns on {n} of {rows} sampled lines", delimiter_name(d)));
                }
                None => prop_assert_eq!(count, None),
            }
        }
    }

    #[test]
    fn the_delimiter_that_gives_one_field_count_wins() {
        let (guess, _) = detect_delimiter("Report\n\na;b;c\n1;2,5;3\n4;5;6\n7;8", false);
        assert_eq!(guess.delimiter, ';');
        // The cut last line is not counted: 3 of the 4 records read have 3 columns.
        assert_eq!(
            guess.evidence,
            "semicolon gives 3 columns on 3 of 4 sampled lines"
        );
    }
}
