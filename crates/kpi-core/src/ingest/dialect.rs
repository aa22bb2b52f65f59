//! The CSV dialect: delimiter and header row, decided from a sample of decoded text.

use serde::{Deserialize, Serialize};

/// Delimiters we consider, in order of preference on a tie.
pub const CANDIDATE_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The decided delimiter and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
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

/// Split the sample into records with `delimiter`, honouring quotes (so embedded newlines
/// and delimiters inside quotes do not count). The last record is dropped when the sample is
/// a cut of a longer file, since it may be incomplete.
pub fn sample_records(sample: &str, delimiter: u8, whole_file: bool) -> Vec<Vec<String>> {
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

/// Choose the delimiter whose records most often share one field count (> 1), skipping
/// title lines above the table. Ties go to the candidate order `, ; \t |`.
pub fn detect_delimiter(sample: &str, whole_file: bool) -> DelimiterGuess {
    let mut best: Option<(u8, usize, usize, usize)> = None; // (delim, rows with mode, mode, rows)
    for &d in &CANDIDATE_DELIMITERS {
        let rows = sample_records(sample, d, whole_file);
        let mut counts = std::collections::HashMap::<usize, usize>::new();
        for r in rows
            .iter()
            .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
        {
            *counts.entry(r.len()).or_default() += 1;
        }
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
            best = Some((d, n, mode, rows.len()));
        }
    }
    match best {
        Some((d, n, mode, rows)) => DelimiterGuess {
            delimiter: d as char,
            evidence: format!(
                "{} gives {mode} columns on {n} of {rows} sampled lines",
                delimiter_name(d)
            ),
        },
        None => DelimiterGuess {
            delimiter: ',',
            evidence: "no delimiter splits the lines into columns; a single-column file".into(),
        },
    }
}
