//! Status and channel words, as ERPs and shops in five languages write them.

use super::schema::normalize_header as fold;
use crate::table::{Channel, OrderStatus};

/// Map a status cell to a status. Empty means completed (files without a status column
/// list only real orders). Unknown words return None: the caller counts them as completed
/// and says so.
pub fn order_status(cell: &str) -> Option<OrderStatus> {
    let key = fold(cell);
    if key.is_empty() {
        return Some(OrderStatus::Completed);
    }
    const COMPLETED: &[&str] = &[
        "completed",
        "complete",
        "shipped",
        "delivered",
        "paid",
        "closed",
        "invoiced",
        "fulfilled",
        "done",
        "ok",
        "evaso",
        "evasa",
        "consegnato",
        "spedito",
        "fatturato",
        "chiuso",
        "pagato",
        "completato",
        "geliefert",
        "versandt",
        "abgeschlossen",
        "bezahlt",
        "erledigt",
        "fakturiert",
        "livre",
        "livree",
        "expedie",
        "paye",
        "termine",
        "facture",
        "entregado",
        "enviado",
        "completado",
        "pagado",
        "facturado",
        "cerrado",
        "terminee",
        "expediee",
        "payee",
        "facturee",
    ];
    const CANCELLED: &[&str] = &[
        "cancelled",
        "canceled",
        "cancel",
        "void",
        "voided",
        "annullato",
        "annullata",
        "cancellato",
        "storniert",
        "storno",
        "annulliert",
        "annule",
        "annulee",
        "cancelado",
        "anulado",
        "rejected",
        "declined",
        "failed",
        "echoue",
        "echouee",
        "fallito",
        "fehlgeschlagen",
        "fallido",
    ];
    const RETURNED: &[&str] = &[
        "returned",
        "refunded",
        "return",
        "reso",
        "restituito",
        "rimborsato",
        "retourniert",
        "zuruckgegeben",
        "erstattet",
        "retourne",
        "rembourse",
        "devuelto",
        "reembolsado",
        "remboursee",
        "retournee",
    ];
    const OPEN: &[&str] = &[
        "open",
        "pending",
        "processing",
        "onhold",
        "backorder",
        "new",
        "draft",
        "aperto",
        "inlavorazione",
        "inattesa",
        "offen",
        "inbearbeitung",
        "encours",
        "enattente",
        "pendiente",
        "enproceso",
        "abierto",
    ];
    if COMPLETED.contains(&key.as_str()) {
        Some(OrderStatus::Completed)
    } else if CANCELLED.contains(&key.as_str()) {
        Some(OrderStatus::Cancelled)
    } else if RETURNED.contains(&key.as_str()) {
        Some(OrderStatus::Returned)
    } else if OPEN.contains(&key.as_str()) {
        Some(OrderStatus::Open)
    } else {
        None
    }
}

/// Map a channel cell to a channel.
pub fn channel(cell: &str) -> Channel {
    let key = fold(cell);
    if key.is_empty() {
        return Channel::Unknown;
    }
    match key.as_str() {
        "web" | "online" | "webshop" | "website" | "ecommerce" | "shop" | "onlineshop"
        | "portal" | "b2bportal" | "webportal" | "store" | "app" | "sito" | "sitoweb"
        | "negoziononline" | "internet" | "tiendaonline" | "siteweb" | "boutiqueenligne" => {
            Channel::Web
        }
        "edi" | "ediportal" | "edifact" | "x12" => Channel::Edi,
        "email" | "mail" | "posta" | "postaelettronica" | "courriel" | "correo"
        | "correoelectronico" => Channel::Email,
        "phone" | "telephone" | "tel" | "call" | "callcenter" | "telefono" | "telefon"
        | "telefonico" | "telefonisch" | "anruf" => Channel::Phone,
        _ => Channel::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_in_five_languages() {
        assert_eq!(order_status("Evaso"), Some(OrderStatus::Completed));
        assert_eq!(order_status("Storniert"), Some(OrderStatus::Cancelled));
        assert_eq!(order_status("Annulé"), Some(OrderStatus::Cancelled));
        assert_eq!(order_status("Reso"), Some(OrderStatus::Returned));
        assert_eq!(order_status("En cours"), Some(OrderStatus::Open));
        assert_eq!(order_status(""), Some(OrderStatus::Completed));
        assert_eq!(order_status("weird"), None);
    }

    #[test]
    fn channel_words() {
        assert_eq!(channel("EDI"), Channel::Edi);
        assert_eq!(channel("e-mail"), Channel::Email);
        assert_eq!(channel("Web Shop"), Channel::Web);
        assert_eq!(channel("Telefono"), Channel::Phone);
        assert_eq!(channel("Field sales"), Channel::Other);
        assert_eq!(channel(""), Channel::Unknown);
    }
}

fn any_of(cell: &str, words: &[&str]) -> bool {
    let key = fold(cell);
    !key.is_empty()
        && words
            .iter()
            .any(|w| key == *w || (w.len() >= 5 && key.contains(w)))
}

/// Opportunity won (`Won`, `Closed Won`, `Vinta`, `Gewonnen`, `Gagné`, `Ganada`...).
pub fn is_won(cell: &str) -> bool {
    any_of(
        cell,
        &[
            "won",
            "win",
            "closedwon",
            "vinto",
            "vinta",
            "acquisito",
            "gewonnen",
            "gagne",
            "gagnee",
            "ganado",
            "ganada",
            "signed",
            "firmato",
        ],
    )
}

/// Opportunity lost.
pub fn is_lost(cell: &str) -> bool {
    any_of(
        cell,
        &[
            "lost",
            "closedlost",
            "perso",
            "persa",
            "verloren",
            "perdu",
            "perdue",
            "perdido",
            "perdida",
            "disqualified",
            "squalificato",
        ],
    )
}

/// Quote accepted (by status word).
pub fn quote_accepted(cell: &str) -> bool {
    any_of(
        cell,
        &[
            "accepted",
            "approved",
            "won",
            "ordered",
            "converted",
            "accettato",
            "accettata",
            "approvato",
            "confermato",
            "angenommen",
            "akzeptiert",
            "beauftragt",
            "accepte",
            "acceptee",
            "aceptado",
            "aceptada",
            "aprobado",
        ],
    )
}

/// Cart converted into an order (by status word).
pub fn cart_converted(cell: &str) -> bool {
    any_of(
        cell,
        &[
            "converted",
            "ordered",
            "purchased",
            "completed",
            "checkout",
            "convertito",
            "ordinato",
            "acquistato",
            "bestellt",
            "gekauft",
            "converti",
            "commande",
            "achete",
            "convertido",
            "comprado",
            "pedido",
        ],
    )
}

/// What spend was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpendCategory {
    Marketing,
    Sales,
    Other,
}

pub fn spend_category(cell: &str) -> SpendCategory {
    if any_of(
        cell,
        &[
            "marketing",
            "ads",
            "advertising",
            "adwords",
            "googleads",
            "campaign",
            "seo",
            "sem",
            "ppc",
            "socialmedia",
            "events",
            "tradeshow",
            "fiera",
            "pubblicita",
            "werbung",
            "publicite",
            "publicidad",
            "mkt",
        ],
    ) {
        SpendCategory::Marketing
    } else if any_of(
        cell,
        &[
            "sales",
            "salesteam",
            "commission",
            "commissions",
            "vendite",
            "commerciale",
            "provvigioni",
            "vertrieb",
            "provision",
            "ventes",
            "ventas",
            "comisiones",
        ],
    ) {
        SpendCategory::Sales
    } else {
        SpendCategory::Other
    }
}

/// Customer acquired through marketing (lead source / acquisition source).
pub fn is_marketing_source(cell: &str) -> bool {
    spend_category(cell) == SpendCategory::Marketing
        || any_of(
            cell,
            &[
                "web",
                "website",
                "inbound",
                "newsletter",
                "email campaign",
                "webinar",
                "content",
                "organic",
                "paid",
                "social",
                "linkedin",
                "google",
            ],
        )
}

/// A service contact's channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactType {
    Call,
    Email,
    Other,
}

pub fn contact_type(cell: &str) -> ContactType {
    match channel(cell) {
        Channel::Phone => ContactType::Call,
        Channel::Email => ContactType::Email,
        _ if any_of(
            cell,
            &[
                "voice",
                "inbound call",
                "chiamata",
                "anruf",
                "appel",
                "llamada",
            ],
        ) =>
        {
            ContactType::Call
        }
        _ => ContactType::Other,
    }
}

/// A return reason that means the wrong goods or quantity were delivered.
pub fn is_wrong_delivery(cell: &str) -> bool {
    any_of(
        cell,
        &[
            "wrongdelivery",
            "wrongitem",
            "wrongproduct",
            "wrong",
            "incorrect",
            "notordered",
            "errata",
            "errato",
            "sbagliato",
            "sbagliata",
            "falschlieferung",
            "falsch",
            "mauvais",
            "erreur",
            "equivocado",
            "incorrecto",
            "error",
        ],
    )
}

#[cfg(test)]
mod word_tests {
    use super::*;

    #[test]
    fn outcome_and_category_words() {
        assert!(is_won("Closed Won") && is_won("Vinta") && !is_won("Closed Lost"));
        assert!(is_lost("Closed Lost") && is_lost("Verloren"));
        assert!(quote_accepted("Accettato") && !quote_accepted("rejected"));
        assert!(cart_converted("converted") && !cart_converted("abandoned"));
        assert_eq!(spend_category("Google Ads"), SpendCategory::Marketing);
        assert_eq!(spend_category("Vertrieb"), SpendCategory::Sales);
        assert_eq!(spend_category("rent"), SpendCategory::Other);
        assert_eq!(contact_type("Telefono"), ContactType::Call);
        assert_eq!(contact_type("e-mail"), ContactType::Email);
        assert_eq!(contact_type("chat"), ContactType::Other);
        assert!(
            is_wrong_delivery("Wrong delivery")
                && is_wrong_delivery("Merce errata")
                && !is_wrong_delivery("damaged")
        );
    }
}
