/**
 * First key of the per-model advisory lock that orders predictions against labels
 * (second key: hashtext(model id)). Predictions take it shared, labels exclusive.
 */
export const JOIN_LOCK = 7_246_032;
