//! Written by `cargo run --release --bin train-checkworthy -- ../shared/corpora --write`;
//! do not edit by hand. Logistic regression weights in the order of `FEATURES`.

pub const WEIGHTS: [f64; 20] = [-1.0442, 1.4084, 0.8520, 1.0738, 0.1447, 0.6030, 0.7277, 0.0330, 0.8807, -0.8722, -1.0101, -1.1690, 0.8622, -0.1090, 0.8877, 0.6531, -0.2049, -0.5772, 0.8522, -0.0136];
pub const THRESHOLD: f64 = 0.56;
