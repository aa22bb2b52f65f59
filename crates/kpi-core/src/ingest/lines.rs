//! Line endings normalised to `\n` while streaming, so line numbers are exact.
//!
//! People need the line their editor shows. With every line ending turned into a single
//! `\n` and a final `\n` guaranteed, a record's first line is one plus the line breaks
//! before it, which is how `records::Records` counts.

use std::io::{self, Read};

pub struct LfReader<R> {
    inner: R,
    /// The previous chunk ended in `\r` (now `\n`): drop a `\n` that starts the next one.
    skip_lf: bool,
    last: Option<u8>,
    finished: bool,
}

impl<R: Read> LfReader<R> {
    pub fn new(inner: R) -> Self {
        LfReader {
            inner,
            skip_lf: false,
            last: None,
            finished: false,
        }
    }
}

impl<R: Read> Read for LfReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.finished || buf.is_empty() {
            return Ok(0);
        }
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                self.finished = true;
                // A last line without a line ending gets one.
                return Ok(match self.last {
                    Some(b) if b != b'\n' => {
                        buf[0] = b'\n';
                        1
                    }
                    _ => 0,
                });
            }
            let mut w = 0;
            if !self.skip_lf && memchr::memchr(b'\r', &buf[..n]).is_none() {
                w = n;
            } else {
                for r in 0..n {
                    let b = buf[r];
                    if self.skip_lf && b == b'\n' {
                        self.skip_lf = false;
                        continue;
                    }
                    self.skip_lf = b == b'\r';
                    buf[w] = if b == b'\r' { b'\n' } else { b };
                    w += 1;
                }
            }
            if w > 0 {
                self.last = Some(buf[w - 1]);
                return Ok(w);
            }
            // The whole chunk was one dropped `\n`: read again rather than signal the end.
        }
    }
}

/// Yields its bytes in pieces of a given size, to move a reader's seams around (tests).
#[cfg(test)]
pub(crate) struct Chunked<'a>(pub &'a [u8], pub usize);

#[cfg(test)]
impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.len().min(self.1).min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalise(input: &[u8], chunk: usize) -> Vec<u8> {
        let mut out = Vec::new();
        LfReader::new(Chunked(input, chunk))
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn every_line_ending_becomes_one_lf_at_any_chunk_size() {
        for chunk in 1..6 {
            assert_eq!(normalise(b"a\r\nb\rc\nd", chunk), b"a\nb\nc\nd\n");
            assert_eq!(normalise(b"a\r\n\r\n", chunk), b"a\n\n");
            assert_eq!(normalise(b"", chunk), b"");
        }
    }
}
