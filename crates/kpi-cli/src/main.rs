//! `kpi-lens`: the KPI Lens command line. Same core, same numbers as the browser app.

use clap::{Parser, Subcommand, ValueEnum};
use kpi_core::ingest::schema::FileKind;
use kpi_core::ingest::values::{DateOrder, DecimalSeparator};
use kpi_core::report::Granularity;
use kpi_core::{Dataset, ImportOptions, ReportOptions};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kpi-lens",
    version,
    about = "B2B e-commerce KPIs from CSV exports, computed locally"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
    Md,
}

#[derive(clap::Args, Clone, Default)]
struct Overrides {
    /// Field delimiter (`,` `;` `tab` `|`), instead of detecting it.
    #[arg(long)]
    delimiter: Option<String>,
    /// Text encoding by any WHATWG label (`utf-8`, `windows-1252`, `latin1`, `utf-16le`...).
    #[arg(long)]
    encoding: Option<String>,
    /// Order of day and month in numeric dates: `dmy` or `mdy`.
    #[arg(long)]
    date_order: Option<DateOrder>,
    /// Decimal separator: `dot` or `comma`.
    #[arg(long)]
    decimal: Option<String>,
    /// 1-based line of the header row.
    #[arg(long)]
    header_line: Option<usize>,
    /// File kind, instead of detecting it from the headers: orders, customers, users,
    /// traffic, carts, quotes, opportunities, spend, support, surveys, inventory, returns.
    #[arg(long)]
    kind: Option<String>,
    /// Column mapping, `FIELD=Header as written` (repeatable), e.g. `--map amount=Importo`.
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    mapping: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Import files (kinds detected from their headers) and print the KPI report.
    Report {
        /// CSV files of any supported kind.
        files: Vec<PathBuf>,
        /// An orders file (its kind is not detected but taken as orders).
        #[arg(long)]
        orders: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        /// Series granularity.
        #[arg(long, default_value = "month")]
        period: Granularity,
        /// First day to include (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Last day to include (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// When the web shop went live (YYYY-MM-DD): contacts per order before and after.
        #[arg(long)]
        online_launch: Option<String>,
        /// Only data of one salesperson, channel, segment or region (repeatable, all must
        /// hold), e.g. `--filter salesperson="Anna Müller" --filter channel=web`.
        #[arg(long, value_name = "DIMENSION=VALUE")]
        filter: Vec<String>,
        /// Skip splitting the catalogue KPIs by salesperson, channel, segment and region.
        #[arg(long)]
        no_breakdowns: bool,
        /// Churn definition: previous-period (default: active in P-1, no order in P) or
        /// start-of-period (ChartMogul-style: customers at the start of P).
        #[arg(long, default_value = "previous-period")]
        churn: kpi_core::metrics::ChurnDefinition,
        /// Top of the CSAT scale (answers 1 to N; satisfied = the top two points).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(2..=10))]
        csat_scale: u8,
        /// Print the import summaries to stderr.
        #[arg(long)]
        verbose: bool,
        /// Read every file in one pass on one thread (by default a big orders file is read
        /// as two halves on two threads; the result is the same).
        #[arg(long)]
        one_pass: bool,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Write the rejected rows of a file (line, reason, raw) as CSV to stdout.
    Rejected {
        file: PathBuf,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Fit BG/NBD (repeat purchases) and Gamma-Gamma (spend) on an orders file's completed
    /// orders up to the calibration end; prints the parameters as JSON.
    Clv {
        file: PathBuf,
        /// Last day of the calibration period (YYYY-MM-DD).
        #[arg(long)]
        calibration_end: String,
        /// Time unit: day, week or month (30.4375 days).
        #[arg(long, default_value = "week")]
        unit: String,
        /// How far ahead expected purchases and CLV look, in units.
        #[arg(long, default_value_t = 52.0)]
        horizon: f64,
        /// Annual discount rate of future value (0.1 = 10 %).
        #[arg(long, default_value_t = 0.1)]
        discount_rate: f64,
        /// Contribution margin as a share of revenue (1 = revenue).
        #[arg(long, default_value_t = 1.0)]
        margin: f64,
        /// Customers in the top and at-risk lists.
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Write a large deterministic orders file for benchmarks (100k, 1M, 5M rows...).
    Gen {
        /// Number of orders (or rows of `--kind`; with `--kind all`, of the orders file).
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        /// Output file (a directory with `--kind all`).
        #[arg(long)]
        out: PathBuf,
        /// Number of customers (default: one per 20 orders).
        #[arg(long)]
        customers: Option<usize>,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The kind of file: orders, customers, users, traffic, carts, quotes,
        /// opportunities, spend, support, surveys, inventory, returns; or `all`: one file of
        /// every kind in the `--out` directory, the others sized to a business with
        /// `--rows` orders, naming its customers and orders.
        #[arg(long, default_value = "orders")]
        kind: String,
        /// For a file of another kind than orders: the orders (and so the customers, one per
        /// 20) of the bench orders file its rows name (default: `--rows`).
        #[arg(long)]
        orders: Option<usize>,
    },
    /// Write the built-in demo dataset (the one behind the app's demo button): one file of
    /// every kind, `demo_orders.csv`, `demo_customers.csv`, ...
    Demo {
        /// Directory to write the files into.
        #[arg(long, default_value = ".")]
        out: PathBuf,
        #[arg(long, default_value_t = kpi_lens_demo_seed())]
        seed: u64,
    },
}

/// The seed the app's demo button uses.
fn kpi_lens_demo_seed() -> u64 {
    kpi_core::demo::DEMO_SEED
}

fn parse_day(s: &str) -> Result<i32, String> {
    match kpi_core::ingest::values::parse_date(s) {
        kpi_core::ingest::values::DateCell::Day(d) => Ok(d),
        _ => Err(format!("{s:?} is not a YYYY-MM-DD date")),
    }
}

fn import_options(o: &Overrides, kind: Option<FileKind>) -> Result<ImportOptions, String> {
    let kind = match (kind, o.kind.as_deref()) {
        (Some(k), _) => Some(k),
        (None, Some(name)) => {
            Some(FileKind::parse(name).ok_or_else(|| format!("unknown file kind {name:?}"))?)
        }
        (None, None) => None,
    };
    let delimiter = match o.delimiter.as_deref() {
        None => None,
        Some("tab") | Some("\\t") => Some(b'\t'),
        Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
        Some(d) => {
            return Err(format!(
                "delimiter must be one character or `tab`, not {d:?}"
            ))
        }
    };
    let decimal = match o.decimal.as_deref() {
        None => None,
        Some("dot") | Some(".") => Some(DecimalSeparator::Dot),
        Some("comma") | Some(",") => Some(DecimalSeparator::Comma),
        Some(d) => return Err(format!("decimal must be dot or comma, not {d:?}")),
    };
    let mapping = o
        .mapping
        .iter()
        .map(|m| {
            m.split_once('=')
                .map(|(f, h)| (f.trim().to_string(), h.to_string()))
                .ok_or_else(|| format!("--map takes FIELD=Header, not {m:?}"))
        })
        .collect::<Result<_, _>>()?;
    Ok(ImportOptions {
        encoding: o.encoding.clone(),
        delimiter,
        header_line: o.header_line,
        kind,
        date_order: o.date_order,
        decimal,
        mapping,
    })
}

/// A range given backwards holds nothing: say so before reading any file.
fn check_range(from: Option<&str>, to: Option<&str>) -> Result<(), String> {
    if let (Some(a), Some(b)) = (from, to) {
        if parse_day(a)? > parse_day(b)? {
            return Err(format!(
                "--from {a} is after --to {b}: no day is in that range"
            ));
        }
    }
    Ok(())
}

/// `--verbose`, for the importer's timings.
static VERBOSE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn verbose() -> bool {
    VERBOSE.load(std::sync::atomic::Ordering::Relaxed)
}

/// `--one-pass`.
static ONE_PASS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn import(path: &PathBuf, opts: &ImportOptions) -> Result<kpi_core::ImportedFile, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let err = |e: kpi_core::Error| format!("{}: {e}", path.display());
    if let Some(imported) = import_in_two(path, &name, size, opts).map_err(err)? {
        return Ok(imported);
    }
    // No BufReader: the CSV reader buffers, and one copy fewer is measurably faster.
    kpi_core::import_reader(&name, file, size, opts, &mut |_, _| true).map_err(err)
}

/// A big orders file read as two halves on two threads (the result is the one-pass one);
/// `None` when the file is small, of another kind, or its middle line break is inside a
/// quoted field.
fn import_in_two(
    path: &PathBuf,
    name: &str,
    size: u64,
    opts: &ImportOptions,
) -> kpi_core::Result<Option<kpi_core::ImportedFile>> {
    use kpi_core::ingest::parallel::{self, FirstOutcome};
    use std::io::{Read, Seek, SeekFrom};
    if size < parallel::MIN_SPLIT_BYTES || ONE_PASS.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(None);
    }
    let open_at = |offset: u64| -> std::io::Result<std::fs::File> {
        let mut f = std::fs::File::open(path)?;
        f.seek(SeekFrom::Start(offset))?;
        Ok(f)
    };
    let read_at = |offset: u64, len: usize| -> std::io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(len);
        open_at(offset)?.take(len as u64).read_to_end(&mut buf)?;
        Ok(buf)
    };
    let head = read_at(0, kpi_core::ingest::SAMPLE_BYTES)?;
    let Some(plan) = parallel::plan_split(&head, size, opts) else {
        return Ok(None);
    };
    // Two threads at one pace: the middle (the browser's helper also serialises its half).
    let middle = size / 2;
    let Some(split) = parallel::split_point(&read_at(middle, parallel::MIDDLE_BYTES)?, middle)
    else {
        return Ok(None);
    };
    let started = std::time::Instant::now();
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let part = parallel::read_second_part(&plan, open_at(split)?, &mut |_, _| true);
            Ok::<_, kpi_core::Error>((part?, started.elapsed()))
        });
        let first = open_at(0)
            .map_err(kpi_core::Error::from)
            .and_then(|f| parallel::read_first_part(plan.clone(), f.take(split), &mut |_, _| true));
        (
            first.map(|f| (f, started.elapsed())),
            second.join().expect("the second part's thread panicked"),
        )
    });
    let ((first, t1), (second, t2)) = (first?, second?);
    let joined = match first {
        FirstOutcome::Read(first) => first.join(second, name, size, opts, || open_at(split))?,
        FirstOutcome::Misaligned => return Ok(None),
    };
    if verbose() {
        eprintln!(
            "{name}: read in two parts on two threads: first {} ms, second {} ms, joined at {} ms",
            t1.as_millis(),
            t2.as_millis(),
            started.elapsed().as_millis()
        );
    }
    Ok(Some(joined))
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Report {
            files,
            orders,
            format,
            period,
            from,
            to,
            online_launch,
            filter,
            no_breakdowns,
            churn,
            csat_scale,
            verbose,
            one_pass,
            overrides,
        } => {
            if files.is_empty() && orders.is_empty() {
                return Err("give at least one CSV file".into());
            }
            VERBOSE.store(verbose, std::sync::atomic::Ordering::Relaxed);
            check_range(from.as_deref(), to.as_deref())?;
            ONE_PASS.store(one_pass, std::sync::atomic::Ordering::Relaxed);
            let mut data = Dataset::default();
            let detect = import_options(&overrides, None)?;
            let as_orders = import_options(&overrides, Some(FileKind::Orders))?;
            for (path, opts) in files
                .iter()
                .map(|p| (p, &detect))
                .chain(orders.iter().map(|p| (p, &as_orders)))
            {
                let started = std::time::Instant::now();
                let imported = import(path, opts)?;
                let s = &imported.summary;
                if verbose {
                    eprintln!(
                        "{}: {} rows read, {} ok, {} rejected in {:.0} ms",
                        s.file_name,
                        s.rows_read,
                        s.rows_ok,
                        s.rows_rejected,
                        started.elapsed().as_secs_f64() * 1e3
                    );
                }
                for d in [
                    s.date_order
                        .as_ref()
                        .filter(|d| d.ambiguous)
                        .map(|d| &d.evidence),
                    s.decimal
                        .as_ref()
                        .filter(|d| d.ambiguous)
                        .map(|d| &d.evidence),
                ]
                .into_iter()
                .flatten()
                {
                    eprintln!("warning: {}: {d}", s.file_name);
                }
                data.add(imported);
            }
            let opts = ReportOptions {
                granularity: period,
                from: from.as_deref().map(parse_day).transpose()?,
                to: to.as_deref().map(parse_day).transpose()?,
                online_launch: online_launch.as_deref().map(parse_day).transpose()?,
                filters: filter
                    .iter()
                    .map(|f| {
                        let (dim, value) = f
                            .split_once('=')
                            .ok_or_else(|| format!("--filter takes DIMENSION=value, not {f:?}"))?;
                        if !kpi_core::metrics::DIMENSIONS.contains(&dim) {
                            return Err(format!(
                                "--filter dimension must be one of {:?}, not {dim:?}",
                                kpi_core::metrics::DIMENSIONS
                            ));
                        }
                        Ok((dim.to_string(), value.to_string()))
                    })
                    .collect::<Result<_, String>>()?,
                breakdowns: !no_breakdowns,
                churn,
                csat_scale,
            };
            let started = std::time::Instant::now();
            let report = compute_on_two_cores(&data, &opts);
            if verbose {
                eprintln!(
                    "KPIs computed in {:.0} ms",
                    started.elapsed().as_secs_f64() * 1e3
                );
            }
            let text = match format {
                Format::Json => serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?,
                Format::Csv => report.to_csv(),
                Format::Md => report.to_markdown(),
            };
            println!("{text}");
            Ok(())
        }
        Command::Rejected { file, overrides } => {
            let imported = import(&file, &import_options(&overrides, None)?)?;
            print!("{}", kpi_core::ingest::rejected_csv(&imported.rejected));
            Ok(())
        }
        Command::Clv {
            file,
            calibration_end,
            unit,
            horizon,
            discount_rate,
            margin,
            top,
            format: _,
            overrides,
        } => {
            let unit_days = match unit.as_str() {
                "day" => 1.0,
                "week" => 7.0,
                "month" => 365.25 / 12.0,
                u => return Err(format!("unit must be day, week or month, not {u:?}")),
            };
            let end = parse_day(&calibration_end)?;
            let mut data = Dataset::default();
            data.add(import(
                &file,
                &import_options(&overrides, Some(FileKind::Orders))?,
            )?);
            // The same purchases the app's Customer value view reads.
            let prepared = kpi_core::Prepared::new(&data);
            let purchases = prepared.purchases();
            let summaries = kpi_core::clv::summarize(&purchases, end, unit_days);
            let started = std::time::Instant::now();
            let bgnbd = kpi_core::clv::fit_bgnbd(&summaries);
            let gamma_gamma = kpi_core::clv::fit_gamma_gamma(&summaries);
            let fit_ms = started.elapsed().as_secs_f64() * 1e3;
            let opts = kpi_core::clv::analysis::ClvOptions {
                calibration_end: Some(end),
                unit_days,
                horizon,
                discount_rate,
                margin,
                top,
            };
            let started = std::time::Instant::now();
            let analysis = kpi_core::clv::analysis::analyze(
                &purchases,
                &|c| prepared.customer_name(c).to_string(),
                &opts,
            );
            let out = serde_json::json!({
                "customers": summaries.len(),
                "repeat_buyers": summaries.iter().filter(|s| s.frequency > 0.0).count(),
                "unit": unit,
                "calibration_end": calibration_end,
                "bgnbd": match &bgnbd { Ok(f) => serde_json::to_value(f).unwrap_or_default(), Err(e) => serde_json::json!({"error": e.to_string()}) },
                "gamma_gamma": match &gamma_gamma { Ok(f) => serde_json::to_value(f).unwrap_or_default(), Err(e) => serde_json::json!({"error": e.to_string()}) },
                "fit_ms": fit_ms,
                "analysis": analysis,
                "analysis_ms": started.elapsed().as_secs_f64() * 1e3,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
            );
            Ok(())
        }
        Command::Gen {
            rows,
            out,
            customers,
            seed,
            kind,
            orders,
        } => {
            use kpi_core::bench_files;
            use kpi_core::ingest::schema::FileKind;
            let create = |path: &std::path::Path| {
                std::fs::File::create(path)
                    .map(std::io::BufWriter::new)
                    .map_err(|e| format!("{}: {e}", path.display()))
            };
            if kind == "all" {
                std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
                for kind in FileKind::ALL {
                    let path = out.join(bench_files::file_name(kind));
                    let n = bench_files::rows_for(kind, rows);
                    bench_files::write_kind(kind, create(&path)?, n, rows, seed)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    eprintln!("wrote {} ({n} rows)", path.display());
                }
                return Ok(());
            }
            let kind = FileKind::parse(&kind).ok_or_else(|| {
                format!("--kind {kind}: not a kind (orders, customers, ..., returns, or all)")
            })?;
            let file = create(&out)?;
            let written = if kind == FileKind::Orders {
                let customers = customers.unwrap_or(rows / 20);
                kpi_core::demo::write_bench_orders_for(file, rows, customers, seed)
            } else {
                bench_files::write_kind(kind, file, rows, orders.unwrap_or(rows), seed)
            };
            written.map_err(|e| format!("{}: {e}", out.display()))?;
            Ok(())
        }
        Command::Demo { out, seed } => {
            std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
            for (name, csv) in kpi_core::demo::demo_dataset(seed) {
                let path = out.join(name);
                std::fs::write(&path, csv).map_err(|e| format!("{}: {e}", path.display()))?;
                eprintln!("wrote {}", path.display());
            }
            Ok(())
        }
    }
}

/// `kpi_core::compute`, with the catalogue breakdowns (one catalogue computation per
/// salesperson, channel, segment and region) on a second thread while this one computes
/// the rest. Same report, bit for bit: the same functions on the same data.
fn compute_on_two_cores(data: &Dataset, opts: &ReportOptions) -> kpi_core::Report {
    let t = std::time::Instant::now();
    let prepared = kpi_core::Prepared::new(data);
    if verbose() {
        eprintln!("orders arranged in {} ms", t.elapsed().as_millis());
    }
    if !opts.breakdowns {
        return kpi_core::compute_prepared(data, &prepared, opts);
    }
    let first = ReportOptions {
        breakdowns: false,
        ..opts.clone()
    };
    // The second core starts on the breakdowns; the first joins in once the report is done.
    // Each takes the next dimension not yet taken.
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Each thread keeps what its first report or dimension read off the orders for the next.
    let take_dimensions = |reuse: &mut kpi_core::Reuse| {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(dim) = kpi_core::metrics::DIMENSIONS.get(i) else {
                return done;
            };
            let split =
                kpi_core::metrics::dimension_breakdowns_reusing(data, &prepared, opts, dim, reuse);
            done.push((i, split));
        }
    };
    std::thread::scope(|scope| {
        let theirs = scope.spawn(|| take_dimensions(&mut kpi_core::Reuse::default()));
        let mut reuse = kpi_core::Reuse::default();
        let mut report = kpi_core::compute_reusing(data, &prepared, &first, &mut reuse);
        if verbose() {
            eprintln!(
                "report (without breakdowns) at {} ms",
                t.elapsed().as_millis()
            );
        }
        let mut splits = take_dimensions(&mut reuse);
        splits.extend(
            theirs
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        );
        // In the dimensions' order, as `compute` does: a KPI that splits itself by a
        // dimension keeps its own split.
        splits.sort_by_key(|(i, _)| *i);
        for (i, mut split) in splits {
            let dim = kpi_core::metrics::DIMENSIONS[i].to_string();
            for k in report.kpis.iter_mut() {
                if k.breakdowns.contains_key(&dim) {
                    continue;
                }
                if let Some(slices) = split.remove(&k.id) {
                    k.breakdowns.insert(dim.clone(), slices);
                }
            }
        }
        report
    })
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kpi-lens: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backwards_range_is_refused_with_its_dates() {
        assert_eq!(
            check_range(Some("2024-06-01"), Some("2024-01-01")),
            Err("--from 2024-06-01 is after --to 2024-01-01: no day is in that range".into())
        );
        assert_eq!(check_range(Some("2024-01-01"), Some("2024-01-01")), Ok(()));
        assert_eq!(check_range(Some("2024-06-01"), None), Ok(()));
    }

    /// Two threads give the report one thread gives, for every filter and period tried.
    #[test]
    fn two_cores_equal_one() {
        let mut data = Dataset::default();
        for (name, csv) in kpi_core::demo::demo_dataset(3) {
            data.add(
                kpi_core::import_bytes(name, csv.as_bytes(), &ImportOptions::default()).unwrap(),
            );
        }
        for opts in [
            ReportOptions::default(),
            ReportOptions {
                granularity: Granularity::Quarter,
                filters: vec![("channel".into(), "email".into())],
                ..Default::default()
            },
        ] {
            let json = |r: &kpi_core::Report| serde_json::to_string(r).unwrap();
            assert_eq!(
                json(&compute_on_two_cores(&data, &opts)),
                json(&kpi_core::compute(&data, &opts))
            );
        }
    }
}
