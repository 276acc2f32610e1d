DROP TABLE refund_sessions;
DROP TABLE refund_attempts;
DROP INDEX refunds_original_payment;
DROP TABLE refunds;
