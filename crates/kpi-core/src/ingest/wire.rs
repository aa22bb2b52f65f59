//! A compact binary form of a file part's unfinished rows, to hand them from one browser
//! worker to another (`postMessage` of one transferred buffer: no JSON, no copy per row).
//! Little-endian, lengths first; both ends are this crate, so there is no versioning.

use crate::error::{Error, ErrorKind, Result};

/// Appends values to a byte buffer.
#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }
    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    pub fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }
    /// Fixed-size values, each as its little-endian bytes.
    fn fixed<T: Copy, const N: usize>(&mut self, v: &[T], bytes: impl Fn(T) -> [u8; N]) {
        self.len(v.len());
        self.bytes.reserve(v.len() * N);
        for &x in v {
            self.bytes.extend_from_slice(&bytes(x));
        }
    }
    pub fn u32s(&mut self, v: &[u32]) {
        self.fixed(v, u32::to_le_bytes);
    }
    pub fn i32s(&mut self, v: &[i32]) {
        self.fixed(v, i32::to_le_bytes);
    }
    pub fn u64s(&mut self, v: &[u64]) {
        self.fixed(v, u64::to_le_bytes);
    }
    pub fn i64s(&mut self, v: &[i64]) {
        self.fixed(v, i64::to_le_bytes);
    }
    pub fn raw(&mut self, v: &[u8]) {
        self.len(v.len());
        self.bytes.extend_from_slice(v);
    }
    /// Ids, in one byte each when all are small (the usual handful of salespeople or
    /// regions; a column the file lacks is all zeros).
    pub fn ids(&mut self, v: &[u32]) {
        if v.iter().all(|&x| x < 256) {
            self.u8(1);
            self.raw(&v.iter().map(|&x| x as u8).collect::<Vec<u8>>());
        } else {
            self.u8(4);
            self.u32s(v);
        }
    }
    /// `ids` of a column that may store nothing (`Ids`): the same bytes, without writing
    /// its zeros out first (a column the file lacks is all zeros).
    pub fn id_column(&mut self, v: &crate::table::Ids) {
        if v.iter().all(|x| x < 256) {
            self.u8(1);
            self.len(v.len());
            self.bytes.extend(v.iter().map(|x| x as u8));
        } else {
            self.u8(4);
            self.u32s(&v.to_vec());
        }
    }
    /// A text list's end offsets as the entries' lengths (`ids`: usually a byte each).
    pub fn ends(&mut self, ends: &[u64]) {
        let mut last = 0;
        let lengths: Vec<u32> = ends
            .iter()
            .map(|&e| {
                let n = (e - last) as u32;
                last = e;
                n
            })
            .collect();
        self.ids(&lengths);
    }
}

/// Reads values back in the order they were written; a short or damaged buffer is an
/// error, never a panic.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

/// The error for a byte form that does not read back.
pub(crate) fn damaged() -> Error {
    Error::new(ErrorKind::Csv(
        "the second part of the file came back damaged".into(),
    ))
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.bytes.len() {
            return Err(damaged());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
    pub fn len(&mut self) -> Result<usize> {
        let n = self.u64()?;
        // A length can not exceed the bytes left (each item takes at least one byte).
        if n > self.bytes.len() as u64 {
            return Err(damaged());
        }
        Ok(n as usize)
    }
    pub fn str(&mut self) -> Result<String> {
        let n = self.len()?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| damaged())
    }
    fn fixed<const N: usize, T>(&mut self, f: impl Fn([u8; N]) -> T) -> Result<Vec<T>> {
        let n = self.len()?;
        let bytes = self.take(n.checked_mul(N).ok_or_else(damaged)?)?;
        Ok(bytes
            .chunks_exact(N)
            .map(|c| f(c.try_into().unwrap()))
            .collect())
    }
    pub fn u32s(&mut self) -> Result<Vec<u32>> {
        self.fixed(u32::from_le_bytes)
    }
    pub fn i32s(&mut self) -> Result<Vec<i32>> {
        self.fixed(i32::from_le_bytes)
    }
    pub fn u64s(&mut self) -> Result<Vec<u64>> {
        self.fixed(u64::from_le_bytes)
    }
    pub fn i64s(&mut self) -> Result<Vec<i64>> {
        self.fixed(i64::from_le_bytes)
    }
    pub fn raw(&mut self) -> Result<Vec<u8>> {
        let n = self.len()?;
        Ok(self.take(n)?.to_vec())
    }
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
    pub fn ids(&mut self) -> Result<Vec<u32>> {
        match self.u8()? {
            1 => Ok(self.raw()?.into_iter().map(u32::from).collect()),
            4 => self.u32s(),
            _ => Err(damaged()),
        }
    }
    /// `ids` into a column that stores nothing while they are all 0 (`Writer::id_column`).
    pub fn id_column(&mut self) -> Result<crate::table::Ids> {
        match self.u8()? {
            1 => {
                let n = self.len()?;
                let mut column = crate::table::Ids::default();
                column.reserve(n);
                for &b in self.take(n)? {
                    column.push(u32::from(b));
                }
                Ok(column)
            }
            4 => Ok(crate::table::Ids::from_vec(self.u32s()?)),
            _ => Err(damaged()),
        }
    }
    pub fn ends(&mut self) -> Result<Vec<u64>> {
        let mut end = 0u64;
        Ok(self
            .ids()?
            .into_iter()
            .map(|n| {
                end += n as u64;
                end
            })
            .collect())
    }
}
