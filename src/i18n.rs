//! The page's language (English or Italian, as our users write CSVs in both) and its number
//! and date formats. The language follows the browser (`navigator.language`) and can be
//! switched on the page; KPI ids, `data-value` and exports never change with it.
//!
//! Text is looked up by its English wording, so the English page needs no table and a
//! missing Italian entry shows English rather than a key.

use leptos::prelude::*;
use std::cell::Cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    It,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::It => "it",
        }
    }
    /// `it`, `it-IT`, `it-CH` -> Italian; anything else English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("it") {
            Lang::It
        } else {
            Lang::En
        }
    }
    /// Thousands and decimal separators.
    pub fn separators(self) -> (char, char) {
        match self {
            Lang::En => (',', '.'),
            Lang::It => ('.', ','),
        }
    }
}

thread_local! {
    // The formatters read this; `set_lang` keeps it equal to the page's signal.
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// The language in force for formatting (not reactive: read `use_lang` in views).
pub fn current() -> Lang {
    CURRENT.with(|c| c.get())
}

/// The page's language signal, provided by the root component.
#[derive(Clone, Copy)]
pub struct LangSignal(pub RwSignal<Lang>);

/// The browser's language, or English outside a browser.
pub fn browser_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .map(|l| Lang::from_tag(&l))
        .unwrap_or(Lang::En)
}

/// Make `lang` the page's language (formatters included).
pub fn set_lang(signal: LangSignal, lang: Lang) {
    CURRENT.with(|c| c.set(lang));
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", lang.code());
    }
    signal.0.set(lang);
}

/// The language, subscribing the calling view to changes of it.
pub fn use_lang() -> Lang {
    let lang = use_context::<LangSignal>()
        .map(|s| s.0.get())
        .unwrap_or(Lang::En);
    CURRENT.with(|c| c.set(lang));
    lang
}

/// `text` in the page's language (reactive).
pub fn tr(text: &'static str) -> &'static str {
    translate(use_lang(), text)
}

/// `text` in `lang`.
pub fn translate(lang: Lang, text: &'static str) -> &'static str {
    if lang == Lang::En {
        return text;
    }
    ITALIAN
        .iter()
        .find(|(en, _)| *en == text)
        .map_or(text, |(_, it)| it)
}

/// `text` (any string, e.g. a KPI label from the report) in `lang`.
pub fn translate_owned(lang: Lang, text: &str) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    ITALIAN
        .iter()
        .find(|(en, _)| *en == text)
        .map_or(text, |(_, it)| it)
        .to_string()
}

/// English -> Italian for the page's own words and the KPI labels and groups.
const ITALIAN: &[(&str, &str)] = &[
    ("B2B e-commerce KPIs from your CSV exports. ", "KPI e-commerce B2B dai tuoi export CSV. "),
    ("Processed locally: your files never leave this computer.", "Elaborato in locale: i tuoi file non lasciano mai questo computer."),
    ("Drop your CSV exports here", "Trascina qui i tuoi export CSV"),
    ("Orders from your ERP or web shop: any delimiter, encoding, date or number style.", "Ordini dal gestionale o dal negozio online: qualsiasi separatore, codifica, formato di data o numero."),
    ("Choose files…", "Scegli file…"),
    ("Try the demo data", "Prova i dati demo"),
    ("Clear", "Svuota"),
    ("Paste CSV text", "Incolla testo CSV"),
    ("Import pasted text", "Importa il testo incollato"),
    ("Cancel", "Annulla"),
    ("Working…", "Elaborazione…"),
    ("Data from", "Dati dal"),
    ("to", "al"),
    ("computed in", "calcolato in"),
    ("reading", "lettura"),
    ("From is after To: no day is in this range.", "Dal è dopo Al: nessun giorno è in questo intervallo."),
    ("KPIs", "KPI"),
    ("Period", "Periodo"),
    ("From", "Dal"),
    ("To", "Al"),
    ("Online launch", "Lancio online"),
    ("month", "mese"),
    ("quarter", "trimestre"),
    ("year", "anno"),
    ("all", "tutti"),
    ("salesperson", "venditore"),
    ("channel", "canale"),
    ("segment", "segmento"),
    ("region", "regione"),
    ("vs previous", "vs precedente"),
    ("vs last year", "vs anno scorso"),
    ("Needs: ", "Serve: "),
    ("Formula: ", "Formula: "),
    ("Inputs: ", "Dati usati: "),
    ("none yet", "nessuno"),
    ("Acquisition", "Acquisizione"),
    ("Conversion", "Conversione"),
    ("Revenue", "Fatturato"),
    ("Retention & loyalty", "Fidelizzazione"),
    ("Sales pipeline", "Pipeline di vendita"),
    ("Operations & service", "Operazioni e servizio"),
    ("Charts", "Grafici"),
    ("Tables", "Tabelle"),
    ("Export", "Esporta"),
    ("Report as CSV", "Report in CSV"),
    ("Report as JSON", "Report in JSON"),
    ("Report as Markdown", "Report in Markdown"),
    ("Print / Save as PDF", "Stampa / Salva in PDF"),
    ("Download CSV", "Scarica CSV"),
    ("Top customers", "Clienti principali"),
    ("At-risk customers", "Clienti a rischio"),
    ("Salespeople", "Venditori"),
    ("Customer", "Cliente"),
    ("Orders", "Ordini"),
    ("Days since last order", "Giorni dall'ultimo ordine"),
    ("RFM segment", "Segmento RFM"),
    ("Customers", "Clienti"),
    ("Online share", "Quota online"),
    ("Active users", "Utenti attivi"),
    ("Average order value", "Valore medio ordine"),
    ("Imported files", "File importati"),
    ("Preview", "Anteprima"),
    ("Language", "Lingua"),
    ("Revenue per period", "Fatturato per periodo"),
    ("Orders per period", "Ordini per periodo"),
    ("Average order value trend", "Andamento del valore medio ordine"),
    ("Channel mix over time", "Mix dei canali nel tempo"),
    ("Web shop funnel", "Funnel del negozio online"),
    ("Cart funnel", "Funnel dei carrelli"),
    ("Quote funnel", "Funnel dei preventivi"),
    ("Cohort retention", "Retention per coorte"),
    ("Salesperson leaderboard", "Classifica venditori"),
    ("NPS answers", "Risposte NPS"),
    ("Churn and retention", "Churn e retention"),
    ("SVG", "SVG"),
    ("PNG", "PNG"),
    ("Count", "Quantità"),
    ("Step conversion", "Conversione del passo"),
    ("First order month (customers)", "Mese del primo ordine (clienti)"),
    ("Months since first order", "Mesi dal primo ordine"),
    ("Detractors", "Detrattori"),
    ("Passives", "Passivi"),
    ("Promoters", "Promotori"),
    ("Answers", "Risposte"),
    ("Win rate", "Tasso di vittoria"),
    ("Salesperson", "Venditore"),
    ("Active users", "Utenti attivi"),
    ("Customer value (predictive)", "Valore cliente (predittivo)"),
    ("BG/NBD repeat purchases and Gamma-Gamma spend, fitted on every customer of the orders files, here on this computer.", "Acquisti ripetuti BG/NBD e spesa Gamma-Gamma, stimati su tutti i clienti dei file ordini, qui su questo computer."),
    ("Time unit", "Unità di tempo"),
    ("week", "settimana"),
    ("day", "giorno"),
    ("Horizon (units)", "Orizzonte (unità)"),
    ("Annual discount rate", "Tasso di sconto annuo"),
    ("Margin (share of revenue)", "Margine (quota del fatturato)"),
    ("Holdout from", "Verifica dal"),
    ("Compute customer value", "Calcola il valore cliente"),
    ("Prediction (all data)", "Previsione (tutti i dati)"),
    ("Validation fit", "Stima di verifica"),
    ("Top customers by predicted value", "Clienti principali per valore previsto"),
    ("High-value customers at risk", "Clienti di valore a rischio"),
    ("RFM segments", "Segmenti RFM"),
    ("Predicted vs actual repeat purchases", "Acquisti ripetuti previsti e reali"),
    ("Predicted value (CLV)", "Valore previsto (CLV)"),
    ("Expected purchases", "Acquisti attesi"),
    ("P(alive)", "P(attivo)"),
    ("Expected spend", "Spesa attesa"),
    ("Remember my column choices on this computer (headers and choices only, never data)", "Ricorda le mie scelte di colonne su questo computer (solo intestazioni e scelte, mai dati)"),
    ("Forget", "Dimentica"),
    ("Forgotten.", "Dimenticate."),
    // KPI labels
    ("Customers", "Clienti"),
    ("Orders", "Ordini"),
    ("Average order value", "Valore medio ordine"),
    ("Repeat-customer rate", "Tasso di clienti ricorrenti"),
    ("Active customers", "Clienti attivi"),
    ("New customers", "Nuovi clienti"),
    ("Churn rate", "Tasso di abbandono (churn)"),
    ("Retention rate", "Tasso di fidelizzazione"),
    ("Online retention rate", "Fidelizzazione online"),
    ("Online revenue share", "Quota di fatturato online"),
    ("Channel mix (largest channel)", "Mix canali (canale principale)"),
    ("Return rate", "Tasso di resi"),
    ("Wrong-delivery rate", "Tasso di consegne errate"),
    ("Conversion rate (visit to order)", "Tasso di conversione (visita-ordine)"),
    ("Cart abandonment rate", "Tasso di abbandono del carrello"),
    ("Quote acceptance rate", "Tasso di accettazione preventivi"),
    ("Net Promoter Score", "Net Promoter Score"),
    ("Customer satisfaction (CSAT)", "Soddisfazione clienti (CSAT)"),
];

/// A number with the language's separators: `1234567.891, 2` -> `1,234,567.89` (English) or
/// `1.234.567,89` (Italian).
pub fn group_thousands_in(lang: Lang, v: f64, decimals: usize) -> String {
    let (thousands, decimal) = lang.separators();
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(frac);
    }
    if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// An ISO date as people of the language write it: `2024-03-05` -> `5 Mar 2024` / `5 mar 2024`.
pub fn date_in(lang: Lang, iso: &str) -> String {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const IT: [&str; 12] = [
        "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
    ];
    let mut parts = iso.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_string();
    };
    let (Ok(m), Ok(d)) = (m.parse::<usize>(), d.parse::<u32>()) else {
        return iso.to_string();
    };
    let months = if lang == Lang::It { IT } else { EN };
    match months.get(m.wrapping_sub(1)) {
        Some(name) => format!("{d} {name} {y}"),
        None => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_follow_the_language() {
        assert_eq!(group_thousands_in(Lang::En, 1234567.891, 2), "1,234,567.89");
        assert_eq!(group_thousands_in(Lang::It, 1234567.891, 2), "1.234.567,89");
        assert_eq!(group_thousands_in(Lang::It, -0.004, 2), "0,00");
        assert_eq!(date_in(Lang::En, "2024-03-05"), "5 Mar 2024");
        assert_eq!(date_in(Lang::It, "2024-12-31"), "31 dic 2024");
        assert_eq!(date_in(Lang::It, "not a date"), "not a date");
        assert_eq!(Lang::from_tag("it-CH"), Lang::It);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
    }

    #[test]
    fn italian_covers_the_groups_and_falls_back_to_english() {
        assert_eq!(translate(Lang::It, "Retention & loyalty"), "Fidelizzazione");
        assert_eq!(translate(Lang::It, "no such text"), "no such text");
        assert_eq!(translate(Lang::En, "Revenue"), "Revenue");
        // Each English text has one Italian entry (a second one would never be used).
        let mut seen = std::collections::HashMap::new();
        for (en, it) in ITALIAN {
            if let Some(prev) = seen.insert(*en, *it) {
                assert_eq!(prev, *it, "{en} translated twice, differently");
            }
        }
    }
}
