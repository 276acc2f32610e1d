//! The PDF document of a trade confirmation: one A4 page in Helvetica (a built-in font, so no font file ships),
//! laid out from the confirmation alone and written with a fixed document id and dates, so that the same
//! confirmation always gives byte-identical output.

use anyhow::{Context as _, bail};
use kernel::{DateTime, Money};
use lopdf::{Object, StringFormat};
use printpdf::{
    BuiltinFont, Line, LinePoint, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};
use rust_decimal::RoundingStrategy;

use super::text::{ellipsized, win_ansi, wrap};
use super::{TradeConfirmation, TradeParty};
use crate::PaymentType;

/// A4 in points (210 mm x 297 mm).
pub(super) const PAGE_WIDTH: f32 = 595.276;
pub(super) const PAGE_HEIGHT: f32 = 841.89;
pub(super) const MARGIN: f32 = 56.0;
const LABEL_X: f32 = MARGIN;
const VALUE_X: f32 = MARGIN + 150.0;
const TITLE_SIZE: f32 = 18.0;
const HEADING_SIZE: f32 = 12.0;
const BODY_SIZE: f32 = 10.0;
const LEADING: f32 = 15.0;

/// One line of text placed on the page: `y` is its baseline; `text` is WinAnsi only.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Placed {
    pub bold: bool,
    pub size: f32,
    pub x: f32,
    pub y: f32,
    pub text: String,
}

#[cfg(test)]
impl Placed {
    /// An upper bound of the drawn width, in points.
    pub(super) fn width(&self) -> f32 {
        use super::text::{BOLD_FACTOR, helvetica_width};
        helvetica_width(&self.text, self.size) * if self.bold { BOLD_FACTOR } else { 1.0 }
    }
}

/// The page: its text lines and its horizontal rules (their heights).
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Page {
    pub lines: Vec<Placed>,
    pub rules: Vec<f32>,
}

/// Places text from the top of the page down.
struct Cursor {
    page: Page,
    y: f32,
}

impl Cursor {
    fn place(&mut self, bold: bool, size: f32, x: f32, text: &str) {
        self.page.lines.push(Placed { bold, size, x, y: self.y, text: text.to_string() });
    }

    fn title(&mut self, text: &str) {
        self.y -= TITLE_SIZE;
        self.place(true, TITLE_SIZE, LABEL_X, text);
        self.y -= 10.0;
        self.page.rules.push(self.y);
        self.y -= 6.0;
    }

    fn heading(&mut self, text: &str) {
        self.y -= 12.0 + HEADING_SIZE;
        self.place(true, HEADING_SIZE, LABEL_X, text);
        self.y -= 6.0;
    }

    /// A label and its value, the value wrapped to at most `max_lines` lines; `-` when there is no value.
    fn row(&mut self, label: &str, value: Option<&str>, max_lines: usize) {
        let value = value.map(win_ansi).filter(|value| !value.trim().is_empty()).unwrap_or_else(|| "-".into());
        let lines = wrap(&value, BODY_SIZE, PAGE_WIDTH - MARGIN - VALUE_X, max_lines);
        self.y -= LEADING;
        self.place(true, BODY_SIZE, LABEL_X, label);
        for (index, line) in lines.iter().enumerate() {
            if index > 0 {
                self.y -= LEADING;
            }
            self.place(false, BODY_SIZE, VALUE_X, line);
        }
    }

    fn party(&mut self, heading: &str, party: &TradeParty) {
        self.heading(heading);
        self.row("Name", party.name.as_deref(), 2);
        self.row("Display name", party.display_name.as_deref(), 2);
        self.row("Email", party.email.as_deref(), 1);
        self.row("Country", party.country.map(|country| country.code()), 1);
        self.row("Currency", Some(party.currency.code()), 1);
        self.row("Amount", Some(&amount(party.sub_amount)), 1);
        self.row("Fees", Some(&amount(party.total_fee_amount)), 1);
        self.row("Total", Some(&amount(party.total_amount)), 1);
    }

    /// The description over the full width, in the room left above the bottom margin (text that does not fit
    /// ends in `...`); its paragraphs are kept apart.
    fn description(&mut self, description: Option<&str>) {
        self.heading("Description");
        let room = ((self.y - MARGIN) / LEADING).floor().max(0.0) as usize;
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        let mut lines = Vec::new();
        for paragraph in description.unwrap_or("-").lines() {
            let wrapped = wrap(&win_ansi(paragraph), BODY_SIZE, width, room + 1);
            // An empty paragraph is a blank line.
            lines.extend(if wrapped.is_empty() { vec![String::new()] } else { wrapped });
        }
        if lines.len() > room {
            lines.truncate(room);
            if let Some(last) = lines.last_mut() {
                *last = ellipsized(last, BODY_SIZE, width);
            }
        }
        for line in lines {
            self.y -= LEADING;
            self.place(false, BODY_SIZE, LABEL_X, &line);
        }
    }
}

/// An amount in its currency's minor-unit decimals and its code: `35.00 CAD`, `150 JPY`.
pub(super) fn amount(money: Money) -> String {
    format!("{} {}", money.to_decimal(), money.currency().code())
}

/// The rate with exactly 6 decimals, rounded half-even: `0.728938`.
pub(super) fn rate_text(confirmation: &TradeConfirmation) -> String {
    let mut rate = confirmation.rate.to_decimal().round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven);
    rate.rescale(6);
    rate.to_string()
}

fn date(date: DateTime) -> String {
    date.0.format("%Y-%m-%d").to_string()
}

fn payment_type(payment_type: PaymentType) -> &'static str {
    match payment_type {
        PaymentType::Local => "LOCAL",
        PaymentType::International => "INTERNATIONAL",
    }
}

/// Refuses a party whose amounts are not all in its currency.
fn check_party(side: &str, party: &TradeParty) -> anyhow::Result<()> {
    for money in [party.sub_amount, party.total_fee_amount, party.total_amount] {
        if money.currency() != party.currency {
            bail!("the {side}'s amount {} is not in its currency {}", amount(money), party.currency.code());
        }
    }
    Ok(())
}

/// The page of a confirmation, before it is written as PDF.
pub(super) fn layout(confirmation: &TradeConfirmation) -> anyhow::Result<Page> {
    check_party("payer", &confirmation.payer)?;
    check_party("beneficiary", &confirmation.beneficiary)?;
    let mut cursor = Cursor { page: Page::default(), y: PAGE_HEIGHT - MARGIN };
    cursor.title("Trade Confirmation");
    cursor.row("Trade number", Some(&confirmation.trade_number), 1);
    cursor.row("Payment ID", Some(&confirmation.payment_id), 1);
    cursor.row("Trade date", Some(&date(confirmation.trade_date)), 1);
    cursor.row("Value date", Some(&date(confirmation.value_date)), 1);
    cursor.row("Status", Some(&confirmation.status), 1);
    cursor.row("Type", Some(payment_type(confirmation.payment_type)), 1);
    let rate = format!(
        "1 {} = {} {}",
        confirmation.payer.currency.code(),
        rate_text(confirmation),
        confirmation.beneficiary.currency.code()
    );
    cursor.row("Rate", Some(&rate), 1);
    cursor.party("Payer", &confirmation.payer);
    cursor.party("Beneficiary", &confirmation.beneficiary);
    cursor.description(confirmation.description.as_deref());
    Ok(cursor.page)
}

/// A stable 16-byte digest (two FNV-1a 64 hashes) of the confirmation, for the document id.
fn document_id(confirmation: &TradeConfirmation) -> Vec<u8> {
    let canonical = format!("{confirmation:?}");
    let fnv = |seed: u64| {
        canonical.bytes().fold(seed, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3))
    };
    let mut id = fnv(0xcbf2_9ce4_8422_2325).to_be_bytes().to_vec();
    id.extend(fnv(0x84222325_cbf29ce4).to_be_bytes());
    id
}

/// The one-page PDF of a trade confirmation (tradeConfirmationForPayment.md, "The document"). Names and texts
/// are shown in WinAnsi (the built-in fonts' encoding): a character it cannot represent is shown as `?`; text
/// too long for its place is wrapped and, past its room, cut with `...`, so the page never overflows. Fails
/// only when a party's amounts are not in its currency.
pub fn render_pdf(confirmation: &TradeConfirmation) -> anyhow::Result<Vec<u8>> {
    let page = layout(confirmation)?;
    let mut ops = Vec::new();
    for placed in &page.lines {
        let font = if placed.bold { BuiltinFont::HelveticaBold } else { BuiltinFont::Helvetica };
        ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::Builtin(font), size: Pt(placed.size) },
            Op::SetTextCursor { pos: Point { x: Pt(placed.x), y: Pt(placed.y) } },
            Op::ShowText { items: vec![TextItem::Text(placed.text.clone())] },
            Op::EndTextSection,
        ]);
    }
    ops.push(Op::SetOutlineThickness { pt: Pt(0.75) });
    for &y in &page.rules {
        let point = |x: f32| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false };
        ops.push(Op::DrawLine {
            line: Line { points: vec![point(MARGIN), point(PAGE_WIDTH - MARGIN)], is_closed: false },
        });
    }

    let title = format!("Trade confirmation {}", win_ansi(&confirmation.trade_number));
    let mut pdf = PdfDocument::new(&title);
    pdf.metadata.info.producer = "borderless".into();
    pdf.metadata.info.creator = "borderless".into();
    pdf.pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));

    let mut warnings = Vec::new();
    let mut doc = printpdf::to_lopdf_doc(&pdf, &PdfSaveOptions::default(), &mut warnings);
    // printpdf writes a random trailer id and the epoch as dates: make both follow from the confirmation.
    let id = document_id(confirmation);
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    let stamp = confirmation.trade_date.0.format("D:%Y%m%d%H%M%SZ").to_string();
    let info_id = doc.trailer.get(b"Info").and_then(Object::as_reference).context("the PDF has no Info")?;
    let info = doc.get_dictionary_mut(info_id).context("the PDF's Info is not a dictionary")?;
    for key in ["CreationDate", "ModDate"] {
        info.set(key, Object::String(stamp.clone().into_bytes(), StringFormat::Literal));
    }
    doc.compress();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).context("writing the trade confirmation PDF")?;
    Ok(bytes)
}
