//! Which text encoding a file is in, decided from its first bytes, with the evidence kept.
//!
//! Order of evidence: a byte-order mark settles it; otherwise UTF-16 shows as NUL bytes in
//! every other position; otherwise valid UTF-8 is UTF-8; otherwise `chardetng` (the detector
//! Firefox uses) picks among the legacy encodings (Windows-1252, ISO-8859-x, Shift_JIS...).

use crate::error::{Error, ErrorKind, Result};
use encoding_rs::Encoding;
use serde::{Deserialize, Serialize};

/// The decided encoding and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EncodingGuess {
    /// WHATWG name, e.g. `UTF-8`, `windows-1252`, `UTF-16LE`.
    pub name: String,
    pub had_bom: bool,
    /// Plain words saying what settled it.
    pub evidence: String,
}

impl EncodingGuess {
    pub fn encoding(&self) -> &'static Encoding {
        Encoding::for_label(self.name.as_bytes()).unwrap_or(encoding_rs::UTF_8)
    }
}

/// Recognise common binary formats people drop by mistake, so the message can name them.
fn binary_format(sample: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive or an Excel .xlsx workbook"),
        (b"\xD0\xCF\x11\xE0", "an old Excel .xls workbook"),
        (b"\x1F\x8B", "a gzip archive"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| sample.starts_with(m))
        .map(|(_, name)| *name)
}

/// Decide the encoding of a file from its first bytes. `is_whole_file` tells the detector
/// that no more bytes follow (so a truncated multi-byte character at the end is an error).
pub fn detect_encoding(sample: &[u8], is_whole_file: bool) -> Result<EncodingGuess> {
    if sample.is_empty() {
        return Err(Error::new(ErrorKind::EmptyFile));
    }
    if let Some((enc, _)) = Encoding::for_bom(sample) {
        return Ok(EncodingGuess {
            name: enc.name().to_string(),
            had_bom: true,
            evidence: format!("byte-order mark for {}", enc.name()),
        });
    }
    if let Some(what) = binary_format(sample) {
        return Err(Error::new(ErrorKind::NotText {
            looks_like: what.into(),
        }));
    }
    // UTF-16 without a BOM: ASCII text leaves a NUL in every other byte.
    let pairs = sample.len() / 2;
    if pairs >= 8 {
        let even_nul = sample.iter().step_by(2).filter(|b| **b == 0).count();
        let odd_nul = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|b| **b == 0)
            .count();
        if odd_nul * 10 >= pairs * 7 && even_nul * 10 < pairs {
            return Ok(EncodingGuess {
                name: "UTF-16LE".into(),
                had_bom: false,
                evidence: "no byte-order mark; a NUL in every odd byte (UTF-16 little-endian)"
                    .into(),
            });
        }
        if even_nul * 10 >= pairs * 7 && odd_nul * 10 < pairs {
            return Ok(EncodingGuess {
                name: "UTF-16BE".into(),
                had_bom: false,
                evidence: "no byte-order mark; a NUL in every even byte (UTF-16 big-endian)".into(),
            });
        }
    }
    let nuls = sample.iter().filter(|b| **b == 0).count();
    if nuls > 0 {
        return Err(Error::new(ErrorKind::NotText {
            looks_like: format!(
                "binary data ({nuls} NUL bytes in the first {} bytes)",
                sample.len()
            ),
        }));
    }
    match std::str::from_utf8(sample) {
        Ok(s) => {
            let evidence = if s.is_ascii() {
                "only ASCII bytes (read as UTF-8)".to_string()
            } else {
                "valid UTF-8 with non-ASCII characters".to_string()
            };
            return Ok(EncodingGuess {
                name: "UTF-8".into(),
                had_bom: false,
                evidence,
            });
        }
        // A multi-byte character cut at the end of the sample is still UTF-8.
        Err(e) if e.error_len().is_none() && !is_whole_file => {
            return Ok(EncodingGuess {
                name: "UTF-8".into(),
                had_bom: false,
                evidence: "valid UTF-8 with non-ASCII characters".into(),
            });
        }
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(sample, is_whole_file);
    let enc = detector.guess(None, true);
    Ok(EncodingGuess {
        name: enc.name().to_string(),
        had_bom: false,
        evidence: format!(
            "not valid UTF-8; byte statistics (chardetng) point to {}",
            enc.name()
        ),
    })
}

/// An encoding chosen by the user (`--encoding latin1`), by any WHATWG label.
pub fn encoding_override(label: &str) -> Result<EncodingGuess> {
    let enc = Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| Error::new(ErrorKind::BadOption(format!("unknown encoding {label:?}"))))?;
    Ok(EncodingGuess {
        name: enc.name().to_string(),
        had_bom: false,
        evidence: "chosen by the user".into(),
    })
}

/// Decode a sample to text for sniffing; invalid sequences become U+FFFD.
pub fn decode_sample(sample: &[u8], guess: &EncodingGuess) -> String {
    let (text, _, _) = guess.encoding().decode(sample);
    text.into_owned()
}
