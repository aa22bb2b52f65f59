//! File kinds, their canonical fields, and the header words (in English, Italian, German,
//! French and Spanish) that name each field. Matching ignores case, accents, spaces and
//! punctuation, so `Data ordine`, `DATA_ORDINE` and `data-ordine` are the same header.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The kinds of file KPI Lens reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileKind {
    /// One row per order, or per order line (aggregated into orders).
    Orders,
    Customers,
    /// Buyer accounts (several per customer).
    Users,
    /// Web sessions or visitors: daily aggregates or one row per session.
    Traffic,
    Carts,
    Quotes,
    /// Opportunities or leads in the sales pipeline.
    Opportunities,
    /// Marketing and sales spend.
    Spend,
    /// Customer service calls, emails, chats.
    Support,
    /// NPS or CSAT survey answers.
    Surveys,
    /// Inventory value snapshots.
    Inventory,
    Returns,
}

/// How a field's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// An identifier or a category word, kept as text.
    Text,
    Date,
    Number,
}

impl FileKind {
    pub const ALL: [FileKind; 12] = [
        FileKind::Orders,
        FileKind::Customers,
        FileKind::Users,
        FileKind::Traffic,
        FileKind::Carts,
        FileKind::Quotes,
        FileKind::Opportunities,
        FileKind::Spend,
        FileKind::Support,
        FileKind::Surveys,
        FileKind::Inventory,
        FileKind::Returns,
    ];
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Orders => "orders",
            FileKind::Customers => "customers",
            FileKind::Users => "users",
            FileKind::Traffic => "traffic",
            FileKind::Carts => "carts",
            FileKind::Quotes => "quotes",
            FileKind::Opportunities => "opportunities",
            FileKind::Spend => "spend",
            FileKind::Support => "support",
            FileKind::Surveys => "surveys",
            FileKind::Inventory => "inventory",
            FileKind::Returns => "returns",
        }
    }
    pub fn parse(s: &str) -> Option<FileKind> {
        let s = s.trim().to_ascii_lowercase();
        let alias = match s.as_str() {
            "order" | "order_lines" => "orders",
            "leads" | "pipeline" | "deals" => "opportunities",
            "web" | "sessions" | "visits" => "traffic",
            "contacts" | "tickets" => "support",
            "nps" | "csat" | "survey" => "surveys",
            other => other,
        };
        FileKind::ALL.into_iter().find(|k| k.name() == alias)
    }
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            FileKind::Orders => ORDER_FIELDS,
            FileKind::Customers => CUSTOMER_FIELDS,
            FileKind::Users => USER_FIELDS,
            FileKind::Traffic => TRAFFIC_FIELDS,
            FileKind::Carts => CART_FIELDS,
            FileKind::Quotes => QUOTE_FIELDS,
            FileKind::Opportunities => OPPORTUNITY_FIELDS,
            FileKind::Spend => SPEND_FIELDS,
            FileKind::Support => SUPPORT_FIELDS,
            FileKind::Surveys => SURVEY_FIELDS,
            FileKind::Inventory => INVENTORY_FIELDS,
            FileKind::Returns => RETURN_FIELDS,
        }
    }
    /// Required fields not found in `mapping`, including "one of" groups the table of
    /// fields cannot express (traffic needs sessions or visitors, orders an amount or a
    /// quantity and unit price).
    pub fn missing(self, mapping: &[ColumnMapping]) -> Vec<String> {
        let has = |f: &str| {
            mapping
                .iter()
                .any(|m| m.field == f && m.column_index.is_some())
        };
        let mut missing: Vec<String> = self
            .fields()
            .iter()
            .filter(|s| s.required && !has(s.name))
            .map(|s| s.name.to_string())
            .collect();
        match self {
            FileKind::Orders if !(has("amount") || has("quantity") && has("unit_price")) => {
                missing.push("amount (or quantity and unit_price)".into())
            }
            FileKind::Traffic if !has("sessions") && !has("visitors") => {
                missing.push("sessions or visitors".into())
            }
            _ => {}
        }
        missing
    }
    pub fn field_type(self, field: &str) -> FieldType {
        self.fields()
            .iter()
            .find(|f| f.name == field)
            .map(|f| f.ty)
            .unwrap_or(FieldType::Text)
    }
}

/// A canonical field of a file kind and the header words that name it, best first.
#[derive(Debug)]
pub struct FieldSpec {
    pub name: &'static str,
    pub required: bool,
    pub ty: FieldType,
    pub synonyms: &'static [&'static str],
}

const fn f(name: &'static str, required: bool, synonyms: &'static [&'static str]) -> FieldSpec {
    FieldSpec {
        name,
        required,
        ty: FieldType::Text,
        synonyms,
    }
}

const fn d(name: &'static str, required: bool, synonyms: &'static [&'static str]) -> FieldSpec {
    FieldSpec {
        name,
        required,
        ty: FieldType::Date,
        synonyms,
    }
}

const fn n(name: &'static str, required: bool, synonyms: &'static [&'static str]) -> FieldSpec {
    FieldSpec {
        name,
        required,
        ty: FieldType::Number,
        synonyms,
    }
}

const CUSTOMER_ID: &[&str] = &[
    "customer_id",
    "customer id",
    "customer number",
    "customer no",
    "customer code",
    "customer",
    "client id",
    "client",
    "account id",
    "account number",
    "account",
    "id cliente",
    "codice cliente",
    "cliente",
    "kundennummer",
    "kunden nr",
    "kundennr",
    "kunde",
    "numero client",
    "code client",
    "numero de cliente",
    "codigo cliente",
];
const SALESPERSON: &[&str] = &[
    "salesperson",
    "sales rep",
    "sales representative",
    "account manager",
    "owner",
    "rep",
    "agent",
    "venditore",
    "commerciale",
    "agente",
    "vertreter",
    "verkaufer",
    "aussendienst",
    "commercial",
    "vendeur",
    "vendedor",
    "comercial",
];
const CHANNEL: &[&str] = &["channel", "canale", "kanal", "canal", "medium"];
const STATUS: &[&str] = &[
    "status",
    "state",
    "stato",
    "statut",
    "estado",
    "outcome",
    "stage",
    "esito",
    "ergebnis",
    "resultat",
    "resultado",
];

pub const CUSTOMER_FIELDS: &[FieldSpec] = &[
    f("customer_id", true, CUSTOMER_ID),
    d(
        "created",
        false,
        &[
            "created",
            "created at",
            "created date",
            "signup date",
            "since",
            "customer since",
            "first order date",
            "acquired",
            "acquisition date",
            "data creazione",
            "data acquisizione",
            "cliente dal",
            "erstellt",
            "angelegt am",
            "kunde seit",
            "date de creation",
            "client depuis",
            "fecha de alta",
            "fecha alta",
            "alta",
        ],
    ),
    f(
        "source",
        false,
        &[
            "acquisition source",
            "source",
            "lead source",
            "origin",
            "acquired by",
            "fonte",
            "origine",
            "canale di acquisizione",
            "quelle",
            "herkunft",
            "provenance",
            "origen",
            "fuente",
        ],
    ),
    f("salesperson", false, SALESPERSON),
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
        "name",
        false,
        &[
            "name",
            "customer name",
            "company",
            "company name",
            "ragione sociale",
            "azienda",
            "firma",
            "firmenname",
            "raison sociale",
            "societe",
            "empresa",
            "razon social",
        ],
    ),
];

pub const USER_FIELDS: &[FieldSpec] = &[
    f(
        "user_id",
        true,
        &[
            "user_id",
            "user id",
            "user",
            "login",
            "username",
            "email",
            "contact id",
            "id utente",
            "utente",
            "benutzer",
            "benutzer id",
            "utilisateur",
            "usuario",
        ],
    ),
    f("customer_id", true, CUSTOMER_ID),
    d(
        "created",
        false,
        &[
            "created",
            "created at",
            "registered",
            "registration date",
            "signup date",
            "data registrazione",
            "registriert",
            "date d inscription",
            "fecha de registro",
        ],
    ),
    d(
        "last_active",
        false,
        &[
            "last active",
            "last login",
            "last seen",
            "last activity",
            "ultimo accesso",
            "letzter login",
            "letzte anmeldung",
            "derniere connexion",
            "ultimo acceso",
        ],
    ),
];

pub const TRAFFIC_FIELDS: &[FieldSpec] = &[
    d(
        "date",
        true,
        &[
            "date",
            "day",
            "session start",
            "session date",
            "visit date",
            "data",
            "giorno",
            "datum",
            "tag",
            "jour",
            "fecha",
            "dia",
        ],
    ),
    n(
        "sessions",
        false,
        &[
            "sessions",
            "visits",
            "sessioni",
            "visite",
            "sitzungen",
            "besuche",
            "visites",
            "sesiones",
            "visitas",
        ],
    ),
    n(
        "visitors",
        false,
        &[
            "visitors",
            "users",
            "unique visitors",
            "visitatori",
            "utenti",
            "besucher",
            "visiteurs",
            "visitantes",
        ],
    ),
    n(
        "add_to_cart",
        false,
        &[
            "add to cart",
            "add to carts",
            "adds to cart",
            "added to cart",
            "aggiunte al carrello",
            "in den warenkorb",
            "ajouts au panier",
            "anadir al carrito",
        ],
    ),
    n(
        "checkouts",
        false,
        &[
            "checkouts",
            "checkouts started",
            "checkout",
            "begin checkout",
            "checkout iniziati",
            "kasse",
            "paiements inities",
        ],
    ),
    n(
        "orders",
        false,
        &[
            "orders",
            "transactions",
            "purchases",
            "conversions",
            "ordini",
            "bestellungen",
            "commandes",
            "pedidos",
        ],
    ),
    f(
        "session_id",
        false,
        &["session id", "session", "visit id", "id sessione"],
    ),
];

pub const CART_FIELDS: &[FieldSpec] = &[
    f(
        "cart_id",
        true,
        &[
            "cart_id",
            "cart id",
            "cart",
            "basket id",
            "basket",
            "id carrello",
            "carrello",
            "warenkorb id",
            "warenkorb",
            "panier",
            "id panier",
            "carrito",
        ],
    ),
    d(
        "created",
        true,
        &[
            "created",
            "created at",
            "date",
            "cart created",
            "data creazione",
            "data",
            "erstellt",
            "datum",
            "date de creation",
            "date",
            "fecha",
        ],
    ),
    f("status", false, STATUS),
    f(
        "order_id",
        false,
        &[
            "order_id",
            "order id",
            "converted order",
            "converted order id",
            "order",
            "ordine",
            "bestellung",
            "commande",
            "pedido",
        ],
    ),
    f("customer_id", false, CUSTOMER_ID),
];

pub const QUOTE_FIELDS: &[FieldSpec] = &[
    f(
        "quote_id",
        true,
        &[
            "quote_id",
            "quote id",
            "quote",
            "quote number",
            "quotation",
            "rfq",
            "offer id",
            "offerta",
            "preventivo",
            "numero preventivo",
            "angebot",
            "angebotsnummer",
            "devis",
            "numero de devis",
            "presupuesto",
            "cotizacion",
        ],
    ),
    d(
        "requested",
        true,
        &[
            "requested",
            "requested date",
            "request date",
            "created",
            "date",
            "data richiesta",
            "data",
            "anfragedatum",
            "datum",
            "date de demande",
            "date",
            "fecha de solicitud",
            "fecha",
        ],
    ),
    f("status", false, STATUS),
    d(
        "accepted",
        false,
        &[
            "accepted",
            "accepted date",
            "accepted at",
            "won date",
            "data accettazione",
            "angenommen am",
            "date d acceptation",
            "fecha de aceptacion",
        ],
    ),
    n(
        "value",
        false,
        &[
            "value",
            "amount",
            "total",
            "quote value",
            "importo",
            "valore",
            "betrag",
            "wert",
            "montant",
            "importe",
            "valor",
        ],
    ),
    f("customer_id", false, CUSTOMER_ID),
    f("salesperson", false, SALESPERSON),
];

pub const OPPORTUNITY_FIELDS: &[FieldSpec] = &[
    f(
        "opportunity_id",
        true,
        &[
            "opportunity_id",
            "opportunity id",
            "opportunity",
            "deal id",
            "deal",
            "lead id",
            "lead",
            "id",
            "opportunita",
            "trattativa",
            "chance",
            "verkaufschance",
            "opportunite",
            "oportunidad",
        ],
    ),
    d(
        "created",
        true,
        &[
            "created",
            "created date",
            "created at",
            "open date",
            "date",
            "data creazione",
            "data apertura",
            "erstellt",
            "erstellt am",
            "date de creation",
            "fecha de creacion",
            "fecha",
        ],
    ),
    d(
        "closed",
        false,
        &[
            "closed",
            "close date",
            "closed date",
            "closed at",
            "data chiusura",
            "abschlussdatum",
            "geschlossen am",
            "date de cloture",
            "fecha de cierre",
        ],
    ),
    f(
        "outcome",
        false,
        &[
            "outcome",
            "status",
            "stage",
            "result",
            "won lost",
            "esito",
            "stato",
            "fase",
            "ergebnis",
            "phase",
            "resultat",
            "etape",
            "resultado",
            "etapa",
        ],
    ),
    n(
        "value",
        false,
        &[
            "value",
            "amount",
            "deal value",
            "deal size",
            "expected revenue",
            "importo",
            "valore",
            "betrag",
            "wert",
            "volumen",
            "montant",
            "importe",
            "valor",
        ],
    ),
    f("salesperson", false, SALESPERSON),
    f(
        "source",
        false,
        &[
            "source",
            "lead source",
            "origin",
            "fonte",
            "origine",
            "quelle",
            "provenance",
            "origen",
        ],
    ),
    f("customer_id", false, CUSTOMER_ID),
];

pub const SPEND_FIELDS: &[FieldSpec] = &[
    d(
        "date",
        true,
        &[
            "date", "month", "period", "day", "data", "mese", "periodo", "datum", "monat",
            "zeitraum", "mois", "periode", "fecha", "mes",
        ],
    ),
    n(
        "amount",
        true,
        &[
            "amount",
            "spend",
            "cost",
            "costs",
            "budget spent",
            "importo",
            "spesa",
            "costo",
            "betrag",
            "ausgaben",
            "kosten",
            "montant",
            "depense",
            "cout",
            "importe",
            "gasto",
            "coste",
        ],
    ),
    f(
        "category",
        false,
        &[
            "category",
            "type",
            "department",
            "function",
            "team",
            "categoria",
            "tipo",
            "reparto",
            "kategorie",
            "typ",
            "abteilung",
            "categorie",
            "departement",
            "categoria",
            "departamento",
        ],
    ),
    f("channel", false, CHANNEL),
];

pub const SUPPORT_FIELDS: &[FieldSpec] = &[
    d(
        "date",
        true,
        &[
            "date",
            "created",
            "created at",
            "opened",
            "received",
            "data",
            "data apertura",
            "datum",
            "erstellt",
            "date",
            "fecha",
        ],
    ),
    f(
        "type",
        true,
        &[
            "type",
            "channel",
            "contact type",
            "medium",
            "via",
            "tipo",
            "canale",
            "typ",
            "kanal",
            "art",
            "canal",
        ],
    ),
    f("customer_id", false, CUSTOMER_ID),
    f(
        "reason",
        false,
        &[
            "reason",
            "topic",
            "subject",
            "category",
            "motivo",
            "argomento",
            "grund",
            "thema",
            "motif",
            "sujet",
            "motivo",
            "asunto",
        ],
    ),
];

pub const SURVEY_FIELDS: &[FieldSpec] = &[
    d(
        "date",
        true,
        &[
            "date",
            "response date",
            "submitted",
            "submitted at",
            "data",
            "data risposta",
            "datum",
            "antwortdatum",
            "date de reponse",
            "fecha",
        ],
    ),
    n(
        "score",
        true,
        &[
            "score",
            "rating",
            "nps",
            "nps score",
            "csat",
            "csat score",
            "likelihood to recommend",
            "punteggio",
            "voto",
            "valutazione",
            "bewertung",
            "punktzahl",
            "note",
            "puntuacion",
            "valoracion",
        ],
    ),
    f(
        "type",
        false,
        &[
            "type",
            "survey",
            "survey type",
            "question",
            "tipo",
            "typ",
            "umfrage",
            "enquete",
            "encuesta",
        ],
    ),
    f("customer_id", false, CUSTOMER_ID),
];

pub const INVENTORY_FIELDS: &[FieldSpec] = &[
    d(
        "date",
        true,
        &[
            "date",
            "snapshot date",
            "as of",
            "month",
            "data",
            "datum",
            "stichtag",
            "date",
            "fecha",
        ],
    ),
    n(
        "value",
        true,
        &[
            "inventory value",
            "stock value",
            "value",
            "inventory",
            "valore magazzino",
            "valore giacenza",
            "valore",
            "lagerwert",
            "bestandswert",
            "wert",
            "valeur du stock",
            "valeur",
            "valor del inventario",
            "valor",
        ],
    ),
    f(
        "sku",
        false,
        &[
            "sku",
            "product",
            "item",
            "article",
            "codice articolo",
            "articolo",
            "artikel",
            "artikelnummer",
            "produit",
            "producto",
        ],
    ),
];

pub const RETURN_FIELDS: &[FieldSpec] = &[
    f(
        "order_id",
        true,
        &[
            "order_id",
            "order id",
            "order number",
            "order",
            "original order",
            "id ordine",
            "numero ordine",
            "ordine",
            "bestellnummer",
            "bestellung",
            "commande",
            "numero de commande",
            "pedido",
            "numero de pedido",
        ],
    ),
    d(
        "date",
        true,
        &[
            "date",
            "return date",
            "returned",
            "returned at",
            "data reso",
            "data",
            "rucksendedatum",
            "datum",
            "date de retour",
            "date",
            "fecha de devolucion",
            "fecha",
        ],
    ),
    f(
        "reason",
        false,
        &[
            "reason",
            "return reason",
            "cause",
            "motivo",
            "motivo reso",
            "causale",
            "grund",
            "rucksendegrund",
            "motif",
            "motif de retour",
            "motivo de devolucion",
        ],
    ),
    n(
        "amount",
        false,
        &[
            "amount",
            "refund",
            "refund amount",
            "value",
            "credit",
            "importo",
            "rimborso",
            "betrag",
            "erstattung",
            "montant",
            "remboursement",
            "importe",
            "reembolso",
        ],
    ),
    f("customer_id", false, CUSTOMER_ID),
];

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
    d(
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
    n(
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
    n(
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
    n(
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
    n(
        "quantity",
        false,
        &[
            "quantity", "qty", "quantita", "qta", "menge", "anzahl", "quantite", "qte", "cantidad",
        ],
    ),
    n(
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
                let syn = normalized_synonym(syn);
                keys.iter().enumerate().position(|(i, k)| {
                    !used[i]
                        && if pass == "exact" {
                            *k == syn
                        } else {
                            syn.len() >= 4 && k.contains(&*syn)
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

/// A synonym as `normalize_header` writes it, worked out once for all kinds: the header row
/// is looked for among 30 candidate rows for every kind, and the synonyms are hundreds.
fn normalized_synonym(synonym: &'static str) -> std::borrow::Cow<'static, str> {
    static NORMALIZED: std::sync::OnceLock<HashMap<&'static str, String>> =
        std::sync::OnceLock::new();
    NORMALIZED
        .get_or_init(|| {
            FileKind::ALL
                .iter()
                .flat_map(|k| k.fields())
                .flat_map(|f| f.synonyms)
                .map(|s| (*s, normalize_header(s)))
                .collect()
        })
        .get(synonym)
        .map(|s| std::borrow::Cow::Borrowed(s.as_str()))
        .unwrap_or_else(|| normalize_header(synonym).into())
}

/// How well a header row fits a kind: the share of its requirements met (required fields
/// and "one of" groups), and how many columns were recognised at all.
pub fn kind_score(kind: FileKind, mapping: &[ColumnMapping]) -> (f64, usize) {
    let groups = usize::from(matches!(kind, FileKind::Orders | FileKind::Traffic));
    let requirements = kind.fields().iter().filter(|s| s.required).count() + groups;
    let met = requirements - kind.missing(mapping).len().min(requirements);
    let found = mapping.iter().filter(|m| m.column_index.is_some()).count();
    (met as f64 / requirements.max(1) as f64, found)
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
