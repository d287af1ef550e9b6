//! Structured payment references: ISO 11649 creditor references and Belgian
//! structured communications, checked by their mod-97 digits and found in
//! any free text.

use crate::model::{Reference, ReferenceKind};

/// Longest body of an ISO 11649 reference (after `RF` and the check digits).
const RF_MAX_BODY: usize = 21;

/// The remainder modulo 97 of `chars` read as one number, letters as 10-35
/// (the IBAN scheme). `None` for a character that is not an ASCII digit or
/// upper-case letter.
fn mod97(chars: impl Iterator<Item = u8>) -> Option<u32> {
    let mut rem: u32 = 0;
    for c in chars {
        let v = match c {
            b'0'..=b'9' | b'A'..=b'Z' => char::from(c).to_digit(36)?,
            _ => return None,
        };
        // `rem` < 97 and `v` < 36: at most 9,735, exact in u32.
        let shift = if v >= 10 { 100 } else { 10 };
        rem = rem.saturating_mul(shift).saturating_add(v) % 97;
    }
    Some(rem)
}

/// The compact form (`RF18539007547034`) of an ISO 11649 creditor reference
/// written with or without spaces, lower or upper case, when its check
/// digits hold.
///
/// # Example
/// ```
/// use ar_formats::creditor_reference;
/// assert_eq!(creditor_reference("RF18 5390 0754 7034").as_deref(), Some("RF18539007547034"));
/// assert_eq!(creditor_reference("RF19 5390 0754 7034"), None);
/// ```
pub fn creditor_reference(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    rf_valid(compact.as_bytes()).then_some(compact)
}

fn rf_valid(compact: &[u8]) -> bool {
    let (Some(head), Some(body)) = (compact.get(..4), compact.get(4..)) else {
        return false;
    };
    if body.is_empty() || body.len() > RF_MAX_BODY || !head.starts_with(b"RF") {
        return false;
    }
    if !head.iter().skip(2).all(u8::is_ascii_digit) {
        return false;
    }
    mod97(body.iter().chain(head).copied()) == Some(1)
}

/// The 12 digits of a Belgian structured communication written as
/// `+++ddd/dddd/ddddd+++`, `***ddd/dddd/ddddd***` or as 12 bare digits,
/// when its check digits hold: the last two are the first ten modulo 97,
/// with 97 for a remainder of 0.
///
/// # Example
/// ```
/// use ar_formats::belgian_reference;
/// assert_eq!(belgian_reference("+++090/9337/55493+++").as_deref(), Some("090933755493"));
/// assert_eq!(belgian_reference("+++090/9337/55494+++"), None);
/// ```
pub fn belgian_reference(text: &str) -> Option<String> {
    let t = text.trim();
    let inner = ["+++", "***"]
        .iter()
        .find_map(|m| t.strip_prefix(m).and_then(|r| r.strip_suffix(m)))
        .unwrap_or(t);
    let digits: String = inner.chars().filter(|c| *c != '/' && *c != ' ').collect();
    belgian_valid(digits.as_bytes()).then_some(digits)
}

fn belgian_valid(digits: &[u8]) -> bool {
    if digits.len() != 12 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut base: u64 = 0;
    for &d in digits.iter().take(10) {
        base = base
            .saturating_mul(10)
            .saturating_add(u64::from(d.saturating_sub(b'0')));
    }
    let check = digits.iter().skip(10).fold(0u64, |acc, &d| {
        acc.saturating_mul(10)
            .saturating_add(u64::from(d.saturating_sub(b'0')))
    });
    let expected = match base % 97 {
        0 => 97,
        r => r,
    };
    check == expected
}

/// `ddd/dddd/ddddd` wrapped in `+++`, from 12 digits.
pub(crate) fn belgian_display(digits: &str) -> String {
    match (digits.get(..3), digits.get(3..7), digits.get(7..12)) {
        (Some(a), Some(b), Some(c)) => format!("+++{a}/{b}/{c}+++"),
        _ => digits.to_owned(),
    }
}

/// A creditor reference given in a structured field (camt `CdtrRefInf`),
/// classified: a valid RF reference, a valid Belgian communication, or
/// kept as written with its scheme.
pub(crate) fn classify_creditor(value: &str, scheme: Option<String>) -> Reference {
    if let Some(rf) = creditor_reference(value) {
        return Reference::new(ReferenceKind::CreditorReference, rf).with_scheme(scheme);
    }
    if let Some(be) = belgian_reference(value) {
        return Reference::new(ReferenceKind::Belgian, be).with_scheme(scheme);
    }
    Reference::new(ReferenceKind::Other, value.trim()).with_scheme(scheme)
}

/// Every creditor reference and Belgian structured communication in free
/// text, in order of appearance, each once. Linear in the text.
///
/// # Example
/// ```
/// use ar_formats::{find_references, ReferenceKind};
/// let refs = find_references("paid RF18 5390 0754 7034 and +++090/9337/55493+++, thanks");
/// assert_eq!(refs.len(), 2);
/// assert_eq!(refs[0].kind, ReferenceKind::CreditorReference);
/// assert_eq!(refs[0].value, "RF18539007547034");
/// assert_eq!(refs[1].kind, ReferenceKind::Belgian);
/// assert_eq!(refs[1].value, "090933755493");
/// ```
pub fn find_references(text: &str) -> Vec<Reference> {
    let mut found: Vec<Reference> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        let next = match b {
            b'+' | b'*' => belgian_at(bytes, i).map(|(digits, len)| {
                push_unique(&mut found, ReferenceKind::Belgian, digits);
                len
            }),
            b'R' | b'r' => rf_at(bytes, i).map(|(rf, len)| {
                push_unique(&mut found, ReferenceKind::CreditorReference, rf);
                len
            }),
            _ => None,
        };
        i = i.saturating_add(next.unwrap_or(1));
    }
    found
}

fn push_unique(found: &mut Vec<Reference>, kind: ReferenceKind, value: String) {
    if !found.iter().any(|r| r.kind == kind && r.value == value) {
        found.push(Reference::new(kind, value));
    }
}

/// A Belgian communication starting at `i` (`+++` or `***`, 3/4/5 digits
/// with `/` or nothing between groups, the same marker closing), with the
/// bytes it spans.
fn belgian_at(bytes: &[u8], i: usize) -> Option<(String, usize)> {
    let marker = *bytes.get(i)?;
    let rest = bytes.get(i..)?;
    if rest.len() < 18 || rest.get(..3)? != [marker; 3] {
        return None;
    }
    let mut digits = Vec::with_capacity(12);
    let mut j = 3usize;
    while digits.len() < 12 {
        match rest.get(j)? {
            d @ b'0'..=b'9' => digits.push(*d),
            b'/' | b' ' => {}
            _ => return None,
        }
        j = j.saturating_add(1);
        if j > 20 {
            return None;
        }
    }
    if rest.get(j..j.saturating_add(3))? != [marker; 3] {
        return None;
    }
    belgian_valid(&digits).then(|| {
        (
            String::from_utf8_lossy(&digits).into_owned(),
            j.saturating_add(3),
        )
    })
}

/// An RF reference starting at `i`: `RF`, two digits, then up to 21 letters
/// and digits, optionally in groups separated by single spaces. The longest
/// grouping whose check digits hold wins.
fn rf_at(bytes: &[u8], i: usize) -> Option<(String, usize)> {
    // Not in the middle of a word.
    if i > 0
        && bytes
            .get(i.saturating_sub(1))
            .is_some_and(u8::is_ascii_alphanumeric)
    {
        return None;
    }
    let rest = bytes.get(i..)?;
    let (r, f) = (rest.first()?, rest.get(1)?);
    if !r.eq_ignore_ascii_case(&b'R') || !f.eq_ignore_ascii_case(&b'F') {
        return None;
    }
    let mut compact: Vec<u8> = Vec::with_capacity(25);
    // (length of compact, bytes consumed) at each group end.
    let mut ends: Vec<(usize, usize)> = Vec::new();
    let mut j = 0usize;
    while let Some(&c) = rest.get(j) {
        if c.is_ascii_alphanumeric() {
            if compact.len() >= 4 + RF_MAX_BODY {
                // Too long for an RF reference at this group: stop here.
                break;
            }
            compact.push(c.to_ascii_uppercase());
            j = j.saturating_add(1);
            let at_end = !rest.get(j).is_some_and(u8::is_ascii_alphanumeric);
            if at_end {
                ends.push((compact.len(), j));
            }
        } else if c == b' '
            && rest
                .get(j.saturating_add(1))
                .is_some_and(u8::is_ascii_alphanumeric)
        {
            j = j.saturating_add(1);
        } else {
            break;
        }
    }
    ends.iter().rev().find_map(|&(len, used)| {
        let cand = compact.get(..len)?;
        rf_valid(cand).then(|| (String::from_utf8_lossy(cand).into_owned(), used))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgian_check_digits_by_hand() {
        // 97 * 9,374,613 = 909,337,461 and 909,337,554 - 909,337,461 = 93:
        // the check digits of 0909337554 are 93.
        assert_eq!(
            belgian_reference("+++090/9337/55493+++").as_deref(),
            Some("090933755493")
        );
        // 0000000097 is 97 * 1: remainder 0 gives check digits 97.
        assert_eq!(
            belgian_reference("***000/0000/09797***").as_deref(),
            Some("000000009797")
        );
        assert_eq!(belgian_reference("***000/0000/09700***"), None);
        assert_eq!(belgian_reference("+++090/9337/5549+++"), None);
    }

    #[test]
    fn rf_in_text_with_groups_and_trailing_words() {
        let refs = find_references("REF RF18 5390 0754 7034 INVOICE 12");
        assert_eq!(refs.len(), 1);
        assert_eq!(
            refs.first().map(|r| r.value.as_str()),
            Some("RF18539007547034")
        );
        // Glued to a word: not a reference.
        assert!(find_references("XRF18539007547034").is_empty());
        // Wrong check digits: nothing.
        assert!(find_references("RF17539007547034").is_empty());
    }

    #[test]
    fn rf_too_long_is_cut_back_to_a_valid_group() {
        let refs = find_references("RF18539007547034 12345678901234567890");
        assert_eq!(
            refs.first().map(|r| r.value.as_str()),
            Some("RF18539007547034")
        );
    }
}
