//! The BAI2 reader of ar-formats on any bytes: a statement or a typed
//! error with a short message, never a panic; every receipt a booked credit
//! above zero at its currency's minor unit that converts to a core receipt.
//! The same bytes also go through format detection.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn check(result: ar_formats::Result<ar_formats::Statement>) {
    match result {
        Ok(statement) => {
            for r in statement.receipts() {
                assert!(r.amount > ar_core::rust_decimal::Decimal::ZERO);
                assert_eq!(r.amount.scale(), r.currency.minor_units());
                if let Ok(id) = ar_core::ReceiptId::new("R") {
                    assert!(r.to_receipt(id, None).is_ok());
                }
            }
        }
        Err(e) => assert!(e.message.len() < 400, "{}", e.message),
    }
}

fuzz_target!(|data: &[u8]| {
    check(ar_formats::parse_bai2(data));
    check(ar_formats::parse(data));
});
