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
