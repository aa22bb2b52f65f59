//! File kinds, their canonical fields, and the header words (in English, Italian, German,
//! French and Spanish) that name each field. Matching ignores case, accents, spaces and
//! punctuation, so `Data ordine`, `DATA_ORDINE` and `data-ordine` are the same header.

use serde::{Deserialize, Serialize};

/// The kinds of file KPI Lens reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileKind {
    /// One row per order, or per order line (aggregated into orders).
    Orders,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Orders => "orders",
        }
    }
    pub fn parse(s: &str) -> Option<FileKind> {
        match s {
            "orders" | "order" | "order_lines" => Some(FileKind::Orders),
            _ => None,
        }
    }
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            FileKind::Orders => ORDER_FIELDS,
        }
    }
}

/// A canonical field of a file kind and the header words that name it, best first.
#[derive(Debug)]
pub struct FieldSpec {
    pub name: &'static str,
    pub required: bool,
    pub synonyms: &'static [&'static str],
}

const fn f(name: &'static str, required: bool, synonyms: &'static [&'static str]) -> FieldSpec {
    FieldSpec {
        name,
        required,
        synonyms,
    }
}

/// Orders (and order lines). Order matters: earlier fields pick their header first.
pub const ORDER_FIELDS: &[FieldSpec] = &[
    f(
        "order_id",
        true,
        &[
            "order_id",
            "order id",
            "order number",
            "order no",
            "order nr",
            "order ref",
            "order",
            "orderid",
            "order reference",
            "sales order",
            "document number",
            "doc no",
            "id ordine",
            "numero ordine",
            "n ordine",
            "nr ordine",
            "num ordine",
            "codice ordine",
            "ordine",
            "bestellnummer",
            "bestell nr",
            "bestellung",
            "auftragsnummer",
            "auftrags nr",
            "auftrag",
            "numero de commande",
            "n de commande",
            "n commande",
            "id commande",
            "commande",
            "numero de pedido",
            "numero pedido",
            "num pedido",
            "id pedido",
            "pedido",
        ],
    ),
    f(
        "customer_id",
        true,
        &[
            "customer_id",
            "customer id",
            "customer number",
            "customer no",
            "customer nr",
            "customer code",
            "customer",
            "client id",
            "client",
            "account id",
            "account number",
            "account",
            "buyer",
            "sold to",
            "sold to party",
            "id cliente",
            "codice cliente",
            "cod cliente",
            "numero cliente",
            "cliente",
            "kundennummer",
            "kunden nr",
            "kundennr",
            "kunden id",
            "kunde",
            "numero client",
            "code client",
            "id client",
            "numero de cliente",
            "codigo cliente",
            "codigo de cliente",
            "customer name",
            "company",
            "ragione sociale",
            "azienda",
            "firma",
            "societe",
            "empresa",
        ],
    ),
    f(
        "order_date",
        true,
        &[
            "order_date",
            "order date",
            "date",
            "order created",
            "created at",
            "created",
            "placed at",
            "purchase date",
            "invoice date",
            "document date",
            "data ordine",
            "data",
            "data documento",
            "data fattura",
            "bestelldatum",
            "auftragsdatum",
            "belegdatum",
            "datum",
            "date de commande",
            "date commande",
            "date",
            "fecha de pedido",
            "fecha pedido",
            "fecha",
        ],
    ),
    f(
        "amount",
        false,
        &[
            "amount",
            "order total",
            "total amount",
            "total",
            "net amount",
            "net total",
            "value",
            "order value",
            "revenue",
            "sales",
            "grand total",
            "line total",
            "line amount",
            "importo",
            "importo totale",
            "totale",
            "totale ordine",
            "imponibile",
            "valore",
            "betrag",
            "gesamtbetrag",
            "nettobetrag",
            "summe",
            "umsatz",
            "wert",
            "montant",
            "montant ht",
            "total ht",
            "montant ttc",
            "total ttc",
            "importe",
            "importe total",
            "total pedido",
            "monto",
            "valor",
        ],
    ),
    f(
        "channel",
        false,
        &[
            "channel",
            "sales channel",
            "order channel",
            "order source",
            "source",
            "canale",
            "canale di vendita",
            "kanal",
            "vertriebskanal",
            "bestellkanal",
            "canal",
            "canal de vente",
            "canal de venta",
        ],
    ),
    f(
        "salesperson",
        false,
        &[
            "salesperson",
            "sales person",
            "sales rep",
            "sales representative",
            "rep",
            "account manager",
            "sales owner",
            "owner",
            "seller",
            "agent",
            "venditore",
            "commerciale",
            "agente",
            "vertreter",
            "verkaufer",
            "aussendienst",
            "aussendienstmitarbeiter",
            "commercial",
            "vendeur",
            "vendedor",
            "comercial",
            "representante",
        ],
    ),
    f(
        "status",
        false,
        &[
            "status",
            "order status",
            "state",
            "stato",
            "stato ordine",
            "bestellstatus",
            "auftragsstatus",
            "statut",
            "etat",
            "estado",
            "estado del pedido",
        ],
    ),
    f(
        "user_id",
        false,
        &[
            "user_id",
            "user id",
            "user",
            "buyer id",
            "contact id",
            "login",
            "id utente",
            "utente",
            "benutzer",
            "benutzer id",
            "utilisateur",
            "usuario",
        ],
    ),
    f(
        "cost",
        false,
        &[
            "cost",
            "cogs",
            "cost of goods",
            "cost of goods sold",
            "costo",
            "costi",
            "kosten",
            "einstandspreis",
            "cout",
            "coste",
        ],
    ),
    f(
        "margin",
        false,
        &[
            "margin",
            "gross margin",
            "contribution margin",
            "profit",
            "margine",
            "marge",
            "deckungsbeitrag",
            "margen",
            "beneficio",
        ],
    ),
    f(
        "region",
        false,
        &[
            "region",
            "area",
            "territory",
            "country",
            "regione",
            "zona",
            "paese",
            "gebiet",
            "land",
            "pays",
            "pais",
        ],
    ),
    f(
        "segment",
        false,
        &[
            "segment",
            "customer segment",
            "tier",
            "industry",
            "segmento",
            "settore",
            "branche",
            "secteur",
        ],
    ),
    f(
        "currency",
        false,
        &["currency", "curr", "valuta", "wahrung", "devise", "moneda"],
    ),
    f(
        "sku",
        false,
        &[
            "sku",
            "product id",
            "product code",
            "item code",
            "product",
            "item",
            "article",
            "codice articolo",
            "articolo",
            "artikelnummer",
            "artikel",
            "reference",
            "produit",
            "producto",
            "articulo",
        ],
    ),
    f(
        "quantity",
        false,
        &[
            "quantity", "qty", "quantita", "qta", "menge", "anzahl", "quantite", "qte", "cantidad",
        ],
    ),
    f(
        "unit_price",
        false,
        &[
            "unit price",
            "price",
            "prezzo unitario",
            "prezzo",
            "einzelpreis",
            "preis",
            "prix unitaire",
            "prix",
            "precio unitario",
            "precio",
        ],
    ),
];

/// Fold a header to a comparable key: lowercase, accents removed, only letters and digits.
pub fn normalize_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'á' | 'â' | 'ã' | 'å' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'ß' => 's',
            c => c,
        };
        if folded.is_alphanumeric() {
            out.push(folded);
        }
    }
    out
}

/// How a header was matched to a field.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// Canonical field name (`order_date`).
    pub field: String,
    /// The header as written in the file (`Data ordine`), or None when not found.
    pub column: Option<String>,
    pub column_index: Option<usize>,
    /// `exact`, `partial`, `user` (overridden) or `missing`.
    pub how: String,
}

/// Map headers to the fields of `kind`. Exact matches win over partial ones (`Order date
/// (UTC)` contains `order date`); each header is used at most once. `overrides` are
/// (field, header) pairs chosen by the user; a header of `""` unmaps the field.
pub fn map_columns(
    kind: FileKind,
    headers: &[String],
    overrides: &[(String, String)],
) -> Vec<ColumnMapping> {
    let keys: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let mut used = vec![false; headers.len()];
    let mut result: Vec<ColumnMapping> = kind
        .fields()
        .iter()
        .map(|spec| ColumnMapping {
            field: spec.name.to_string(),
            column: None,
            column_index: None,
            how: "missing".into(),
        })
        .collect();
    // User choices first.
    for (field, header) in overrides {
        if let Some(m) = result.iter_mut().find(|m| &m.field == field) {
            let key = normalize_header(header);
            m.how = "user".into();
            // Not marked as used: a user may let one column serve two fields (say, the
            // order number as the customer when a file has no customer column).
            if let Some(i) = keys.iter().position(|k| !key.is_empty() && *k == key) {
                m.column = Some(headers[i].clone());
                m.column_index = Some(i);
            }
        }
    }
    for pass in ["exact", "partial"] {
        for (spec, m) in kind.fields().iter().zip(result.iter_mut()) {
            if m.column_index.is_some() || m.how == "user" {
                continue;
            }
            let found = spec.synonyms.iter().find_map(|syn| {
                let syn = normalize_header(syn);
                keys.iter().enumerate().position(|(i, k)| {
                    !used[i]
                        && if pass == "exact" {
                            *k == syn
                        } else {
                            syn.len() >= 4 && k.contains(&syn)
                        }
                })
            });
            if let Some(i) = found {
                used[i] = true;
                m.column = Some(headers[i].clone());
                m.column_index = Some(i);
                m.how = pass.into();
            }
        }
    }
    result
}

/// How well a header row fits a kind: the share of required fields found, and how many
/// columns were recognised at all.
pub fn kind_score(kind: FileKind, mapping: &[ColumnMapping]) -> (f64, usize) {
    let specs = kind.fields();
    let required = specs.iter().filter(|s| s.required).count();
    let found_required = specs
        .iter()
        .zip(mapping)
        .filter(|(s, m)| s.required && m.column_index.is_some())
        .count();
    let found = mapping.iter().filter(|m| m.column_index.is_some()).count();
    (found_required as f64 / required.max(1) as f64, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    fn col(m: &[ColumnMapping], field: &str) -> Option<String> {
        m.iter()
            .find(|c| c.field == field)
            .and_then(|c| c.column.clone())
    }

    #[test]
    fn english_headers_map_exactly() {
        let m = map_columns(
            FileKind::Orders,
            &headers(&["order_id", "customer_id", "order_date", "amount"]),
            &[],
        );
        assert_eq!(col(&m, "order_id").as_deref(), Some("order_id"));
        assert_eq!(col(&m, "amount").as_deref(), Some("amount"));
        assert_eq!(kind_score(FileKind::Orders, &m), (1.0, 4));
    }

    #[test]
    fn italian_and_german_headers_with_accents_and_case() {
        let m = map_columns(
            FileKind::Orders,
            &headers(&[
                "N° Ordine",
                "Cliente",
                "Data ordine",
                "Importo",
                "Agente",
                "Canale",
            ]),
            &[],
        );
        assert_eq!(col(&m, "order_id").as_deref(), Some("N° Ordine"));
        assert_eq!(col(&m, "order_date").as_deref(), Some("Data ordine"));
        assert_eq!(col(&m, "amount").as_deref(), Some("Importo"));
        assert_eq!(col(&m, "salesperson").as_deref(), Some("Agente"));
        let m = map_columns(
            FileKind::Orders,
            &headers(&[
                "Bestellnummer",
                "Kunde",
                "Bestelldatum",
                "Betrag",
                "Verkäufer",
            ]),
            &[],
        );
        assert_eq!(col(&m, "customer_id").as_deref(), Some("Kunde"));
        assert_eq!(col(&m, "salesperson").as_deref(), Some("Verkäufer"));
    }

    #[test]
    fn partial_match_and_user_override() {
        let h = headers(&["Order #", "Customer", "Order Date (UTC)", "Net", "Gross"]);
        let m = map_columns(FileKind::Orders, &h, &[]);
        assert_eq!(col(&m, "order_date").as_deref(), Some("Order Date (UTC)"));
        assert_eq!(col(&m, "amount"), None);
        let m = map_columns(FileKind::Orders, &h, &[("amount".into(), "gross".into())]);
        assert_eq!(col(&m, "amount").as_deref(), Some("Gross"));
        // A user's choice may reuse a column another field matched on its own.
        let h = headers(&["order_id", "order_date", "amount"]);
        let m = map_columns(
            FileKind::Orders,
            &h,
            &[("customer_id".into(), "order_id".into())],
        );
        assert_eq!(col(&m, "customer_id").as_deref(), Some("order_id"));
        assert_eq!(col(&m, "order_id").as_deref(), Some("order_id"));
        assert_eq!(col(&m, "order_date").as_deref(), Some("order_date"));
        // "" unmaps a field.
        let m = map_columns(FileKind::Orders, &h, &[("amount".into(), String::new())]);
        assert_eq!(col(&m, "amount"), None);
    }
}
